/**
 * Synthesis with Yosys from npm (@yowasp/yosys): reads the board design's sources into the
 * tool's virtual file system, sets the top's parameters, runs the family's synth script, and
 * returns the netlist and the cell counts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HDL_DIR } from './boards.ts';
import type { BoardDesign } from './design.ts';
import { BuildToolError } from './errors.ts';
import { runTool, textFile, type ToolTree } from './tools.ts';
import { yosysCellCounts } from './report.ts';

/** The design's sources as a virtual tree under `hdl/`, keyed by their paths. */
export function sourceTree(design: BoardDesign): ToolTree {
  const root: ToolTree = {};
  for (const rel of design.sources) {
    const parts = rel.split('/');
    let dir = root;
    for (const p of parts.slice(0, -1)) dir = (dir[p] ??= {}) as ToolTree;
    dir[parts.at(-1)!] = readFileSync(join(HDL_DIR, rel), 'utf8');
  }
  return { hdl: root };
}

/** Yosys's literal for a parameter value (reals with a fraction stay reals). */
function paramValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(6);
}

export interface SynthResult {
  /** The netlist (Yosys JSON), for nextpnr; empty when not asked for. */
  netlistJson: string;
  cellCounts: Record<string, number>;
  log: string;
  seconds: number;
  version: string;
}

/**
 * Synthesises `design` with `synthCommand` (e.g. `synth_ice40 -abc9 -device hx`); Yosys's own
 * checks (elaboration $fatal, unknown modules, parameter errors) come back as BuildToolError.
 */
export async function synthesize(
  design: BoardDesign,
  synthCommand: string,
  onLine?: (line: string) => void,
  writeNetlist = true,
): Promise<SynthResult> {
  const t0 = performance.now();
  const defines = design.defines.map((d) => `-D${d}`).join(' ');
  const params = Object.entries(design.parameters)
    .map(([k, v]) => `-set ${k} ${paramValue(v)}`)
    .join(' ');
  const script = [
    `read_verilog -sv ${defines} ${design.sources.map((s) => `hdl/${s}`).join(' ')}`,
    `chparam ${params} ${design.top}`,
    // Writing the JSON netlist is slow in WebAssembly (about half of a large synth_xilinx run):
    // only when a place-and-route step needs it.
    `${synthCommand} -top ${design.top}${writeNetlist ? ' -json netlist.json' : ''}`,
    'tee -q -o stat.json stat -json',
  ].join('\n');
  const files: ToolTree = { ...sourceTree(design), 'synth.ys': script };
  const run = await runTool('yosys', ['synth.ys'], files, onLine);
  const netlistJson = writeNetlist ? textFile(run.files, 'netlist.json') : '';
  const stat = textFile(run.files, 'stat.json');
  const log = run.output;
  if (netlistJson === undefined || !stat) throw new BuildToolError('Yosys wrote no netlist', { details: log.slice(-4000) });
  const version = /Yosys (\d+\.\d+[^\s]*)/.exec(log)?.[1] ?? 'unknown';
  return { netlistJson, cellCounts: yosysCellCounts(stat), log, seconds: (performance.now() - t0) / 1000, version };
}
