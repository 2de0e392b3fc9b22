/**
 * The link benchmark (`evm-fpga bench link`): the same Keccak requests over every way of reaching
 * the simulated device, side by side in one run, plus the in-memory null device for the driver's
 * own cost. For each transport, single requests (one at a time, each awaited) and a pipelined
 * batch:
 *
 * - requests per second (wall clock);
 * - bytes on the wire per device cycle (host stats for bytes, INFO `totalCycles` before and after
 *   for cycles; a pool sums both over its members, so it is bytes per member cycle);
 * - device cycles per request;
 * - host CPU time per request (`process.cpuUsage`, this process only: the simulation's own CPU is
 *   not the host's cost).
 *
 * The null device answers from the same process, so its CPU time per request is the driver's
 * overhead with a device that costs almost nothing: the goal is at most 1 µs per request in batch
 * mode, enough to feed a PCIe card at 1,000,000 requests per second on one core.
 */
import { cpus, loadavg } from 'node:os';
import { openDevice, type Device } from '../device/device.ts';
import { serveNullDevice } from '../device/null-device.ts';
import { parseDeviceSpec } from '../device/spec.ts';
import { createMemoryLink } from '../transport/memory.ts';
import { seededBytes } from '../selftest/run.ts';
import { serveSim, type ServedSim } from '../sim/serve.ts';

/** The transports the benchmark knows, in report order. */
export const LINK_TRANSPORTS = ['memory', 'sim', 'sim:uart', 'tcp', 'pty', 'pool', 'pcie'] as const;
export type LinkTransport = (typeof LINK_TRANSPORTS)[number];

/** Host overhead goal: µs of host CPU per Keccak request in batch mode. */
export const HOST_OVERHEAD_GOAL_US = 1;

/** One transport in one mode. */
export interface LinkBenchRow {
  transport: LinkTransport;
  /** The device spec used (`memory` for the null device). */
  spec: string;
  mode: 'single' | 'batch';
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Bytes written plus bytes read by the host. */
  wireBytes: number;
  /** Device clock cycles over the run (INFO `totalCycles` delta); null for the null device. */
  deviceCycles: number | null;
  bytesPerCycle: number | null;
  cyclesPerRequest: number | null;
  /** Host CPU (user + system) per request, µs. */
  hostCpuUsPerRequest: number;
}

/** The driver's own cost, measured with the null device in batch mode. */
export interface HostOverhead {
  /** Requests per measured batch. */
  requests: number;
  /** Measured batches (after one warm-up batch). */
  repeats: number;
  /** Host CPU µs per request: median and best over the batches. */
  cpuUsPerRequest: { median: number; best: number };
  /** Wall-clock µs per request: median and best. */
  wallUsPerRequest: { median: number; best: number };
  goalUs: number;
  /** Whether the median CPU time per request meets the goal. */
  pass: boolean;
}

/** The whole report. */
export interface LinkBenchReport {
  messageBytes: number;
  rows: LinkBenchRow[];
  hostOverhead: HostOverhead | null;
  /** Transports that were asked for but could not be measured, with the reason. */
  failed: { transport: LinkTransport; reason: string }[];
  /** Transports left out because this build does not offer them. */
  unavailable: { transport: LinkTransport; reason: string }[];
  machine: { cores: number; loadAverage: number[] };
}

/** Options of {@link benchLink}. */
export interface LinkBenchOptions {
  /** Transports to measure (default all). */
  transports?: readonly LinkTransport[];
  /** Requests per batch (default 2000; a tenth of it for the bit-accurate UART). */
  count?: number;
  /** Single requests per transport (default 200; a quarter of it for the bit-accurate UART). */
  singles?: number;
  /** Requests per null-device batch (default 100,000). */
  overheadCount?: number;
  /** Null-device batches measured (default 5). */
  overheadRepeats?: number;
  /** Message size in bytes (default 64). */
  messageBytes?: number;
  progress?: (line: string) => void;
}

interface Target {
  transport: LinkTransport;
  spec: string;
  open: () => Promise<Device>;
  /** Scales the request counts (slow links). */
  scale: { batch: number; single: number };
  cleanup?: () => Promise<void>;
}

const TIMEOUT_MS = 60_000;

/** Whether this build knows the `sim:pcie` spec (the PCIe top behind XDMA-like files). */
export function pcieSimAvailable(): boolean {
  try {
    parseDeviceSpec('sim:pcie');
    return true;
  } catch {
    return false;
  }
}

/** Runs the benchmark. Transports that fail are reported in `failed`; the others still run. */
export async function benchLink(options: LinkBenchOptions = {}): Promise<LinkBenchReport> {
  const wanted = new Set(options.transports ?? LINK_TRANSPORTS);
  const count = options.count ?? 2000;
  const singles = options.singles ?? 200;
  const messageBytes = options.messageBytes ?? 64;
  const progress = options.progress ?? (() => {});
  const rnd = seededBytes(7);
  const messages = Array.from({ length: Math.max(count, singles) }, () => rnd(messageBytes));
  const report: LinkBenchReport = {
    messageBytes,
    rows: [],
    hostOverhead: null,
    failed: [],
    unavailable: [],
    machine: { cores: cpus().length, loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) },
  };

  if (wanted.has('memory')) {
    progress('memory (null device): host overhead');
    try {
      const { rows, overhead } = await benchNullDevice(messages, count, singles, options.overheadCount ?? 100_000, options.overheadRepeats ?? 5, messageBytes);
      report.rows.push(...rows);
      report.hostOverhead = overhead;
    } catch (err) {
      report.failed.push({ transport: 'memory', reason: oneLine(err) });
    }
  }

  for (const target of targets(wanted, report, progress)) {
    progress(`${target.transport} (${target.spec})`);
    let device: Device | undefined;
    try {
      device = await target.open();
      await device.keccak256Batch(messages.slice(0, 20)); // warm up: JIT, first round trips
      const nSingle = Math.max(1, Math.round(singles * target.scale.single));
      const nBatch = Math.max(1, Math.round(count * target.scale.batch));
      progress(`${target.transport}: ${nSingle} single requests`);
      report.rows.push(await measure(device, target, 'single', messages.slice(0, nSingle)));
      progress(`${target.transport}: batch of ${nBatch}`);
      report.rows.push(await measure(device, target, 'batch', messages.slice(0, nBatch)));
    } catch (err) {
      report.failed.push({ transport: target.transport, reason: oneLine(err) });
    } finally {
      await device?.close().catch(() => {});
      await target.cleanup?.().catch(() => {});
    }
  }
  return report;
}

/** The simulated-device targets asked for, in report order; harness processes start on demand. */
function* targets(wanted: Set<LinkTransport>, report: LinkBenchReport, progress: (line: string) => void): Generator<Target> {
  const open = (spec: string) => () => openDevice(spec, { timeoutMs: TIMEOUT_MS, progress });
  const full = { batch: 1, single: 1 };
  if (wanted.has('sim')) yield { transport: 'sim', spec: 'sim', open: open('sim'), scale: full };
  // 10 bits of 16 clocks per byte each way: a tenth of the batch keeps the run short.
  if (wanted.has('sim:uart')) yield { transport: 'sim:uart', spec: 'sim:uart', open: open('sim:uart'), scale: { batch: 0.1, single: 0.25 } };
  for (const mode of ['tcp', 'pty'] as const) {
    if (!wanted.has(mode)) continue;
    let served: ServedSim | undefined;
    const target: Target = {
      transport: mode,
      spec: mode === 'tcp' ? 'tcp:<harness --tcp 0>' : 'uart:<harness --pty>',
      open: async () => {
        served = await serveSim(mode, { progress });
        target.spec = mode === 'tcp' ? `tcp:${served.address}` : `uart:${served.address}`;
        return openDevice(target.spec, { timeoutMs: TIMEOUT_MS, progress });
      },
      scale: full,
      cleanup: async () => served?.stop(),
    };
    yield target;
  }
  if (wanted.has('pool')) yield { transport: 'pool', spec: 'pool:sim,sim', open: open('pool:sim,sim'), scale: full };
  if (wanted.has('pcie')) {
    if (pcieSimAvailable()) yield { transport: 'pcie', spec: 'sim:pcie', open: open('sim:pcie'), scale: full };
    else report.unavailable.push({ transport: 'pcie', reason: 'this build has no sim:pcie device spec' });
  }
}

async function measure(device: Device, target: Target, mode: 'single' | 'batch', messages: Uint8Array[]): Promise<LinkBenchRow> {
  const before = await device.info();
  const s0 = device.stats;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (mode === 'single') for (const m of messages) await device.keccak256(m);
  else await device.keccak256Batch(messages);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const s1 = device.stats;
  const after = await device.info();
  const wireBytes = s1.bytesSent - s0.bytesSent + (s1.bytesReceived - s0.bytesReceived);
  const deviceCycles = Number(after.totalCycles - before.totalCycles);
  return {
    transport: target.transport,
    spec: target.spec,
    mode,
    requests: messages.length,
    seconds,
    requestsPerSecond: messages.length / seconds,
    wireBytes,
    deviceCycles,
    bytesPerCycle: deviceCycles > 0 ? wireBytes / deviceCycles : null,
    cyclesPerRequest: deviceCycles / messages.length,
    hostCpuUsPerRequest: (cpu.user + cpu.system) / messages.length,
  };
}

/** The null device over the memory link: the rows for the table, and the host-overhead figure. */
async function benchNullDevice(
  messages: Uint8Array[],
  count: number,
  singles: number,
  overheadCount: number,
  repeats: number,
  messageBytes: number,
): Promise<{ rows: LinkBenchRow[]; overhead: HostOverhead }> {
  const link = createMemoryLink('memory (null device)');
  const stop = serveNullDevice(link.device);
  const device = await openDevice('sim', { transport: link.host });
  try {
    const row = async (mode: 'single' | 'batch', batch: Uint8Array[]): Promise<LinkBenchRow> => {
      const s0 = device.stats;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      if (mode === 'single') for (const m of batch) await device.keccak256(m);
      else await device.keccak256Batch(batch);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      const s1 = device.stats;
      return {
        transport: 'memory',
        spec: 'memory (null device)',
        mode,
        requests: batch.length,
        seconds,
        requestsPerSecond: batch.length / seconds,
        wireBytes: s1.bytesSent - s0.bytesSent + (s1.bytesReceived - s0.bytesReceived),
        deviceCycles: null,
        bytesPerCycle: null,
        cyclesPerRequest: null,
        hostCpuUsPerRequest: (cpu.user + cpu.system) / batch.length,
      };
    };
    const big = Array.from({ length: overheadCount }, (_, i) => messages[i % messages.length]!.subarray(0, messageBytes));
    await device.keccak256Batch(big); // warm up
    const cpuUs: number[] = [];
    const wallUs: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const m = await row('batch', big);
      cpuUs.push(m.hostCpuUsPerRequest);
      wallUs.push((m.seconds * 1e6) / m.requests);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const overhead: HostOverhead = {
      requests: overheadCount,
      repeats,
      cpuUsPerRequest: { median: median(cpuUs), best: Math.min(...cpuUs) },
      wallUsPerRequest: { median: median(wallUs), best: Math.min(...wallUs) },
      goalUs: HOST_OVERHEAD_GOAL_US,
      pass: median(cpuUs) <= HOST_OVERHEAD_GOAL_US,
    };
    const rows = [await row('single', messages.slice(0, Math.max(singles, 1000))), await row('batch', messages.slice(0, count))];
    return { rows, overhead };
  } finally {
    await device.close();
    stop();
  }
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
