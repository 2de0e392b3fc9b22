/**
 * The Verilator simulation of the real RTL as a transport: spawns the harness binary with
 * `--stdio` (device input on its stdin, device output on its stdout, logs on stderr). The
 * binary comes from {@link buildSim}, which caches builds by configuration, so only the first
 * open of a configuration pays for a Verilator build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { TransportError } from '../errors.ts';
import { buildSim, type SimBuildOptions, type SimEvmDatapath, type SimKeccakCore } from '../sim/build.ts';
import { TransportBase } from './listeners.ts';
import type { Transport } from './transport.ts';

/** How the simulated UART carries bytes. */
export type SimUartMode = 'fast' | 'bit';

/** Options for {@link openSimTransport}. */
export interface SimTransportOptions {
  /** `'fast'` (default) hands bytes straight to the RTL's byte stream; `'bit'` drives the real UART RTL bit by bit. */
  uart?: SimUartMode;
  /** Keccak rounds per clock to build the design with (default 1). */
  roundsPerClock?: number;
  /** Write an FST waveform to this file (builds a tracing variant of the simulation). */
  trace?: string;
  /**
   * Build with the compact Keccak core (`'compact'`, docs/keccak-compact.md) or the lean
   * round-per-clock core without a block buffer (`'lean'`) instead of the full one.
   */
  keccakCore?: SimKeccakCore;
  /** Build without the EVM opcode unit (`false`; EVM then answers UNKNOWN_CMD). Default true. */
  evmUnit?: boolean;
  /** Build the EVM unit with the compact datapath (`'compact'`, docs/opcode-unit.md). Default `'fast'`. */
  evmDatapath?: SimEvmDatapath;
  /** Use this harness binary instead of building one (skips {@link buildSim}). */
  binary?: string;
  /** Receives build and simulation log lines. */
  progress?: (line: string) => void;
  /** Milliseconds `close()` waits for the simulation to finish before killing it (default 5000). */
  closeGraceMs?: number;
}

/** How many bytes of the simulation's stderr to keep for error reports. */
const STDERR_TAIL_BYTES = 4096;

class SimTransport extends TransportBase {
  readonly type = 'sim' as const;
  private stderrTail = '';
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly closeGraceMs: number,
    progress: ((line: string) => void) | undefined,
  ) {
    super();
    child.stdout!.on('data', (chunk: Buffer) => this.listeners.emitData(chunk));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_BYTES);
      if (progress) for (const line of text.split('\n')) if (line.trim()) progress(line.trimEnd());
    });
    // EPIPE when the child dies first: the exit handler reports it with the stderr tail.
    child.stdin!.on('error', () => {});
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        resolve();
        if (this.closing) {
          this.listeners.emitClose();
          return;
        }
        // Let stderr drain so the report carries the simulation's last words.
        setImmediate(() => this.listeners.emitClose(this.exitError(code, signal)));
      });
      child.on('error', (err) => {
        // Spawn failures (missing binary) emit 'error' and never 'exit'.
        resolve();
        this.listeners.emitClose(new TransportError(`${name}: cannot run the simulation: ${err.message}`, { cause: err }));
      });
    });
  }

  write(bytes: Uint8Array): void {
    if (!this.isOpen) return;
    this.child.stdin!.write(bytes);
  }

  /** Ends stdin (the harness finishes the requests in flight and exits); kills it after the grace period. */
  async close(): Promise<void> {
    if (this.closing || this.child.exitCode !== null || this.child.signalCode !== null) {
      await this.exited;
      return;
    }
    this.closing = true;
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), this.closeGraceMs);
    await this.exited;
    clearTimeout(timer);
    this.listeners.emitClose();
  }

  private exitError(code: number | null, signal: NodeJS.Signals | null): TransportError {
    const lines = this.stderrTail.trim().split('\n').filter(Boolean);
    const last = lines.at(-1);
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    return new TransportError(`${this.name}: the simulation ${how}${last ? `: ${last}` : ''}`, {
      details: lines.length ? `simulation stderr (tail):\n${lines.join('\n')}` : undefined,
    });
  }
}

/**
 * Spawns the simulation harness `binary` with `--stdio` and the given extra arguments, and
 * returns the link to it. Errors of the child process arrive as a {@link TransportError}
 * through the close listeners (with the tail of its stderr).
 */
export function spawnSimTransport(
  binary: string,
  args: readonly string[] = [],
  options: { name?: string; closeGraceMs?: number; progress?: (line: string) => void } = {},
): Transport {
  const child = spawn(binary, ['--stdio', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new SimTransport(options.name ?? 'sim', child, options.closeGraceMs ?? 5000, options.progress);
}

/**
 * Builds (or reuses a cached build of) the simulation for `options` and starts it:
 * `<binary> --stdio [--uart bit] [--trace FILE] --quiet`.
 * @throws TransportError when the build fails.
 */
export async function openSimTransport(options: SimTransportOptions = {}): Promise<Transport> {
  const uart = options.uart ?? 'fast';
  const roundsPerClock = options.roundsPerClock ?? 1;
  const build: SimBuildOptions = {
    roundsPerClock,
    trace: options.trace !== undefined,
    ...(options.keccakCore !== undefined ? { keccakCore: options.keccakCore } : {}),
    ...(options.evmUnit !== undefined ? { evmUnit: options.evmUnit } : {}),
    ...(options.evmDatapath !== undefined ? { evmDatapath: options.evmDatapath } : {}),
  };
  const binary = options.binary ?? (await buildBinary(build, options.progress));
  const args = ['--uart', uart];
  if (options.trace !== undefined) args.push('--trace', options.trace);
  args.push('--quiet');
  const core =
    options.keccakCore === 'compact' || options.keccakCore === 'lean'
      ? `${options.keccakCore} Keccak core`
      : `${roundsPerClock} round${roundsPerClock === 1 ? '' : 's'}/clock`;
  const name = `sim (${uart === 'bit' ? 'bit-accurate UART' : 'fast UART'}, ${core}${options.evmUnit === false ? ', no EVM unit' : options.evmDatapath === 'compact' ? ', compact EVM datapath' : ''})`;
  return spawnSimTransport(binary, args, { name, closeGraceMs: options.closeGraceMs, progress: options.progress });
}

async function buildBinary(build: SimBuildOptions, progress?: (line: string) => void): Promise<string> {
  try {
    return (await buildSim(build, progress)).binary;
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new TransportError(`cannot build the simulation: ${message}`, { cause: err });
  }
}
