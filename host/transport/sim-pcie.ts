/**
 * `sim:pcie`: the simulated PCIe card, reached through the real PCIe transport. Builds (or finds
 * cached) the Verilator model of evm_fpga_pcie_top, starts it with `--xdma DIR/xdma0` in a fresh
 * temporary directory, waits for it to announce the files, and opens them with
 * {@link openPcieTransport} exactly as `pcie:/dev/xdma0` opens a card. Closing the transport stops
 * the simulation and removes the directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TransportError } from '../errors.ts';
import { buildSim } from '../sim/build.ts';
import { TransportBase } from './listeners.ts';
import { openPcieTransport, type PcieTransport } from './pcie.ts';
import type { PcieRegisters } from './pcie-regs.ts';

/** Options for {@link openSimPcieTransport}. */
export interface SimPcieTransportOptions {
  /** Keccak rounds per clock to build the design with (default 1). */
  roundsPerClock?: number;
  /** Use this harness binary (a `top: 'pcie'` build) instead of building one. */
  binary?: string;
  /** Receives build and simulation log lines. */
  progress?: (line: string) => void;
  /** Milliseconds to wait for the simulation to create its files (default 30000). */
  startTimeoutMs?: number;
}

const STDERR_TAIL_BYTES = 4096;

/** Starts `binary --xdma PREFIX` and resolves once it printed `xdma: PREFIX`. */
export async function startXdmaSimulation(
  binary: string,
  prefix: string,
  options: { timeoutMs?: number; onStderr?: (text: string) => void; quiet?: boolean } = {},
): Promise<ChildProcess> {
  const args = ['--xdma', prefix, ...(options.quiet === false ? [] : ['--quiet'])];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (t: string) => {
    stderr = (stderr + t).slice(-STDERR_TAIL_BYTES);
    options.onStderr?.(t);
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const timer = setTimeout(() => reject(new Error(`no announcement within ${timeoutMs} ms`)), timeoutMs);
      lines.once('line', (line) => {
        clearTimeout(timer);
        if (line === `xdma: ${prefix}`) resolve();
        else reject(new Error(`unexpected output '${line}'`));
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        // Let stderr drain so the message carries the simulation's own reason.
        setImmediate(() => reject(new Error(stderr.trim().split('\n').at(-1) || `exited with code ${code}`)));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw new TransportError(`cannot start the simulated PCIe card: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
      details: stderr.trim() || undefined,
    });
  }
  return child;
}

/** The PCIe transport plus the simulation process and its directory. */
class SimPcieTransport extends TransportBase implements PcieTransport {
  readonly type = 'pcie' as const;
  private closed: Promise<void> | null = null;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    private readonly inner: PcieTransport,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly stderrTail: () => string,
  ) {
    super();
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    inner.onData((chunk) => this.listeners.emitData(chunk));
    inner.onClose((error) => {
      if (this.closing) return;
      // The transport saw the files go away; say why, with the simulation's last words.
      const last = this.stderrTail().trim().split('\n').filter(Boolean).at(-1);
      const lost = error && last ? new TransportError(`${error.shortMessage}: ${last}`, { cause: error }) : error;
      this.listeners.emitClose(lost);
      void this.stop();
    });
  }

  get prefix(): string {
    return this.inner.prefix;
  }

  write(bytes: Uint8Array): void {
    if (this.isOpen) this.inner.write(bytes);
  }

  readRegister(offset: number): Promise<number> {
    return this.inner.readRegister(offset);
  }

  writeRegister(offset: number, value: number): Promise<void> {
    return this.inner.writeRegister(offset, value);
  }

  readRegisters(): Promise<PcieRegisters> {
    return this.inner.readRegisters();
  }

  softReset(): Promise<void> {
    return this.inner.softReset();
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      await this.inner.close();
      await this.stop();
      this.listeners.emitClose();
    })();
    return this.closed;
  }

  /** SIGTERM (the harness removes its files), SIGKILL after 5 s, then the directory goes. */
  private async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(timer);
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Builds (or reuses) the PCIe simulation, starts it behind XDMA-like files in a temporary
 * directory and connects the real PCIe transport to them.
 * @throws TransportError when the build, the start or the open fails.
 */
export async function openSimPcieTransport(options: SimPcieTransportOptions = {}): Promise<PcieTransport> {
  const roundsPerClock = options.roundsPerClock ?? 1;
  let binary = options.binary;
  if (binary === undefined) {
    try {
      binary = (await buildSim({ top: 'pcie', roundsPerClock }, options.progress)).binary;
    } catch (err) {
      const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new TransportError(`cannot build the PCIe simulation: ${message}`, { cause: err });
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'evm-fpga-xdma-'));
  const prefix = join(dir, 'xdma0');
  let tail = '';
  let child: ChildProcess;
  try {
    child = await startXdmaSimulation(binary, prefix, {
      timeoutMs: options.startTimeoutMs,
      onStderr: (t) => {
        tail = (tail + t).slice(-STDERR_TAIL_BYTES);
        if (options.progress) for (const line of t.split('\n')) if (line.trim()) options.progress(line.trimEnd());
      },
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const name = `sim:pcie (${roundsPerClock} round${roundsPerClock === 1 ? '' : 's'}/clock, ${prefix})`;
  let inner: PcieTransport;
  try {
    inner = await openPcieTransport({ prefix, name });
  } catch (err) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return new SimPcieTransport(name, inner, child, dir, () => tail);
}
