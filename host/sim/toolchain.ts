/**
 * Finds (and, where it safely can, installs) Verilator, the tool that turns the RTL into the C++
 * simulation. Debian and Ubuntu ship a usable Verilator 5 as the `verilator` package; CI images run
 * as root, so there the package is installed on first use, while a developer machine gets the one
 * command to run instead of an unexpected sudo prompt.
 */
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { EvmFpgaError } from '../errors.ts';

/** Verilator is missing (or unusable) and could not be installed automatically. */
export class ToolchainError extends EvmFpgaError {
  override readonly code = 'TOOLCHAIN';
  override name = 'ToolchainError';
}

export interface Verilator {
  /** Absolute path of the `verilator` executable. */
  path: string;
  /** The version number, e.g. `5.006`. */
  version: string;
  /** The full `verilator --version` line, e.g. `Verilator 5.006 2023-01-22 rev (Debian 5.006-3)`. */
  banner: string;
}

const INSTALL_HINT = "Verilator is not installed: run 'sudo apt-get install -y verilator'";

/** Finds an executable on PATH, like `command -v`. */
export async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

interface RunResult {
  code: number;
  output: string;
}

/** Runs a command, feeding each output line to `onLine`; resolves with the exit code and all output. */
export function runCommand(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    let partial = '';
    const onData = (buf: Buffer) => {
      const text = buf.toString('utf8');
      chunks.push(text);
      if (!opts.onLine) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) opts.onLine(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (opts.onLine && partial.trim()) opts.onLine(partial);
      resolve({ code: code ?? (signal ? 128 : 1), output: chunks.join('') });
    });
  });
}

async function probe(path: string): Promise<Verilator | undefined> {
  try {
    const { code, output } = await runCommand(path, ['--version']);
    const banner = output.trim().split('\n')[0] ?? '';
    const m = /Verilator\s+(\d+\.\d+)/.exec(banner);
    if (code !== 0 || !m) return undefined;
    return { path, version: m[1]!, banner };
  } catch {
    return undefined;
  }
}

/**
 * Returns the Verilator on PATH. If there is none and this process runs as root on a system with
 * apt-get (a CI container), installs it, along with the C++ compiler, make and zlib that
 * `verilator --build` needs for the simulation and FST waveforms. Otherwise throws a
 * {@link ToolchainError} whose message names the command to run.
 */
export async function ensureVerilator(progress?: (line: string) => void): Promise<Verilator> {
  const found = await findOnPath('verilator');
  const existing = found ? await probe(found) : undefined;
  if (existing) return existing;

  const aptGet = await findOnPath('apt-get');
  if (process.getuid?.() !== 0 || !aptGet) {
    throw new ToolchainError(INSTALL_HINT, {
      details: found ? `${found} exists but 'verilator --version' failed` : 'no verilator on PATH',
    });
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const show = (line: string) => progress?.(line.trim().slice(0, 120));
  progress?.('installing Verilator: apt-get update');
  const update = await runCommand(aptGet, ['update'], { env, onLine: show });
  if (update.code !== 0) {
    throw new ToolchainError(INSTALL_HINT, { details: `apt-get update failed:\n${tail(update.output)}` });
  }
  progress?.('installing Verilator: apt-get install -y verilator');
  const install = await runCommand(aptGet, ['install', '-y', '--no-install-recommends', 'verilator', 'g++', 'make', 'zlib1g-dev'], {
    env,
    onLine: show,
  });
  if (install.code !== 0) {
    throw new ToolchainError(INSTALL_HINT, { details: `apt-get install failed:\n${tail(install.output)}` });
  }
  const installed = await findOnPath('verilator');
  const result = installed ? await probe(installed) : undefined;
  if (!result) throw new ToolchainError(INSTALL_HINT, { details: 'apt-get install succeeded but verilator is still not usable' });
  progress?.(`installed ${result.banner}`);
  return result;
}

/** The last `lines` lines of a tool's output, for error details. */
export function tail(output: string, lines = 40): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}
