/**
 * Runs the open FPGA tools that come from npm as WebAssembly (YoWASP): Yosys, nextpnr-ice40,
 * icepll and icepack. No system install and nothing downloaded at run time: the packages carry
 * the tools and the chip databases. Each run gets a virtual file tree and returns the tree after
 * the run; output lines go to `onLine` as they are printed.
 */
import { BuildToolError } from './errors.ts';

/** A virtual file tree: names to contents (or to sub-trees). */
export interface ToolTree {
  [name: string]: ToolTree | string | Uint8Array;
}

export type ToolName = 'yosys' | 'nextpnr-ice40' | 'icepll' | 'icepack';

type Command = (args?: string[], files?: ToolTree, options?: Record<string, unknown>) => Promise<ToolTree> | ToolTree | undefined;

async function command(tool: ToolName): Promise<Command> {
  if (tool === 'yosys') return (await import('@yowasp/yosys')).runYosys as Command;
  const m = await import('@yowasp/nextpnr-ice40');
  return (tool === 'icepll' ? m.runIcepll : tool === 'icepack' ? m.runIcepack : m.runNextpnrIce40) as Command;
}

export interface ToolRun {
  /** The file tree after the run (inputs plus what the tool wrote). */
  files: ToolTree;
  /** Everything the tool printed (stdout and stderr interleaved). */
  output: string;
}

/** The last `n` lines of a log, for error details. */
export function tail(text: string, n = 30): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

/**
 * Runs `tool` with `args` over `files`. Throws {@link BuildToolError} when the tool exits non-zero;
 * its message is the tool's first ERROR line when there is one.
 */
export async function runTool(tool: ToolName, args: string[], files: ToolTree, onLine?: (line: string) => void): Promise<ToolRun> {
  const run = await command(tool);
  let output = '';
  let partial = '';
  const decoder = new TextDecoder();
  const sink = (bytes: Uint8Array | null) => {
    if (bytes === null) return;
    const text = decoder.decode(bytes, { stream: true });
    output += text;
    if (!onLine) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line);
  };
  try {
    const out = await run(args, files, { stdout: sink, stderr: sink, decodeASCII: false });
    if (onLine && partial.trim()) onLine(partial);
    return { files: out ?? {}, output };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'number') {
      // A trap inside the WebAssembly tool (an abort or a failed assertion in it).
      const last = /^ERROR:? *(.+)$/m.exec(output)?.[1]?.trim() ?? output.trimEnd().split('\n').at(-1)?.trim();
      throw new BuildToolError(`${tool} failed${last ? `: ${last.slice(0, 160)}` : ` (${(err as Error).message})`}`, {
        details: tail(output),
        log: output,
        cause: err,
      });
    }
    const firstError = /^(?:ERROR|Error):? *(.+)$/m.exec(output)?.[1]?.trim();
    throw new BuildToolError(`${tool} failed${firstError ? `: ${firstError}` : ` (exit code ${code})`}`, {
      details: tail(output),
      log: output,
      cause: err,
    });
  }
}

/** A text file from a tool's output tree. */
export function textFile(files: ToolTree, name: string): string | undefined {
  const v = files[name];
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return undefined;
}

/** A binary file from a tool's output tree. */
export function binaryFile(files: ToolTree, name: string): Uint8Array | undefined {
  const v = files[name];
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return new TextEncoder().encode(v);
  return undefined;
}
