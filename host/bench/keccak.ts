/**
 * The Keccak benchmark: latency in device cycles (from the device's own counters, so it is
 * deterministic), throughput through the simulated device, and software Keccak on the same
 * machine in the same run.
 */
import { openDevice, type Device, type DeviceInfo } from '../index.ts';
import { softwareKeccak256 } from '../selftest/software-keccak.ts';
import { seededBytes } from '../selftest/run.ts';

/** Message sizes whose cycles per hash the report gives. */
export const BENCH_SIZES = [32, 64, 136, 1024] as const;

/** Results for one device configuration. */
export interface KeccakBenchConfig {
  device: string;
  roundsPerClock: number;
  /** Cycles a Keccak-f[1600] permutation takes: INFO permutationCycles / permutations. */
  cyclesPerPermutation: number;
  /** Marginal cycles per extra 136-byte block within a chunk: (cycles(1024 B) − cycles(64 B)) / 7. */
  cyclesPerExtraBlock: number;
  /** Sponge-busy cycles per hash, by message size in bytes. */
  cyclesPerHash: Record<number, number>;
  /** One 1 MiB message: cycles against 24/rounds per block. */
  longMessage: { bytes: number; blocks: number; cycles: number; cyclesPerBlock: number; overheadCycles: number };
  /** Simulated clock cycles per wall-clock second while serving a pipelined batch. */
  simCyclesPerSecond: number;
  /** 64-byte hashes per second through the simulated device (host, link and RTL together). */
  deviceHashesPerSecond: number;
}

/** The whole report. */
export interface KeccakBenchReport {
  messagesPerSize: number;
  configs: KeccakBenchConfig[];
  software: { library: string; messageBytes: number; hashesPerSecond: number };
}

/** Blocks Keccak-256 absorbs for an n-byte message (padding always adds at least one byte). */
export const keccakBlocks = (n: number) => Math.floor(n / 136) + 1;

const delta = (a: DeviceInfo, b: DeviceInfo, k: 'keccakCycles' | 'totalCycles' | 'permutationCycles') => Number(b[k] - a[k]);

async function measure(device: Device, messages: Uint8Array[]) {
  const before = await device.info();
  const t0 = performance.now();
  await device.keccak256Batch(messages);
  const seconds = (performance.now() - t0) / 1000;
  const after = await device.info();
  return {
    seconds,
    keccakCycles: delta(before, after, 'keccakCycles'),
    totalCycles: delta(before, after, 'totalCycles'),
    permutationCycles: delta(before, after, 'permutationCycles'),
    hashes: after.hashes - before.hashes,
    permutations: after.permutations - before.permutations,
  };
}

/** Benchmarks one simulated configuration. */
export async function benchDevice(spec: string, count: number, progress: (line: string) => void): Promise<KeccakBenchConfig> {
  const device = await openDevice(spec, { progress, timeoutMs: 30_000 });
  try {
    const info = await device.info();
    const rnd = seededBytes(42);
    const cyclesPerHash: Record<number, number> = {};
    let sim = { cycles: 0, seconds: 0, hashes: 0 };
    for (const size of BENCH_SIZES) {
      progress(`${spec}: ${count} hashes of ${size} bytes`);
      const n = size >= 1024 ? Math.max(1, count >> 2) : count;
      const m = await measure(device, Array.from({ length: n }, () => rnd(size)));
      if (m.hashes !== n) throw new Error(`device counted ${m.hashes} hashes for a batch of ${n}`);
      cyclesPerHash[size] = m.keccakCycles / n;
      if (size === 64) sim = { cycles: m.totalCycles, seconds: m.seconds, hashes: n };
    }
    progress(`${spec}: one 1 MiB message`);
    const bytes = 1 << 20;
    const long = await measure(device, [rnd(bytes)]);
    const blocks = keccakBlocks(bytes);
    // Measured, not derived from the rounds per clock: the compact core reports 0 there (docs/protocol.md).
    const perPerm = long.permutationCycles / long.permutations;
    return {
      device: spec,
      roundsPerClock: info.keccakRoundsPerClock,
      cyclesPerPermutation: perPerm,
      cyclesPerExtraBlock: (cyclesPerHash[1024]! - cyclesPerHash[64]!) / (keccakBlocks(1024) - keccakBlocks(64)),
      cyclesPerHash,
      longMessage: { bytes, blocks, cycles: long.keccakCycles, cyclesPerBlock: long.keccakCycles / blocks, overheadCycles: long.keccakCycles - perPerm * blocks },
      simCyclesPerSecond: sim.cycles / sim.seconds,
      deviceHashesPerSecond: sim.hashes / sim.seconds,
    };
  } finally {
    await device.close();
  }
}

/** Software Keccak-256 rate on 64-byte messages, timed for about `ms` milliseconds. */
export async function benchSoftware(ms = 1000): Promise<KeccakBenchReport['software']> {
  const keccak = await softwareKeccak256();
  const msgs = Array.from({ length: 1024 }, (_, i) => seededBytes(i + 1)(64));
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < msgs.length; i++) keccak(msgs[i]!);
    n += msgs.length;
  }
  return { library: 'hash-wasm', messageBytes: 64, hashesPerSecond: n / ((performance.now() - t0) / 1000) };
}

/** Runs the benchmark over the given simulated configurations (rounds per clock). */
export async function benchKeccak(opts: { rounds: number[]; count: number; progress: (line: string) => void }): Promise<KeccakBenchReport> {
  const configs: KeccakBenchConfig[] = [];
  for (const r of opts.rounds) configs.push(await benchDevice(r === 1 ? 'sim' : `sim?rounds=${r}`, opts.count, opts.progress));
  opts.progress('software Keccak');
  return { messagesPerSize: opts.count, configs, software: await benchSoftware() };
}
