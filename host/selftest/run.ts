/**
 * The Keccak self-test: known answers from outside the project, then seeded random messages
 * against software Keccak. Used by `evm-fpga selftest` (the first step of board bring-up) and the
 * demo; messages go to the device as pipelined batches.
 */
import type { Device } from '../index.ts';
import { softwareKeccak256 } from './software-keccak.ts';
import { defaultVectorDir, loadKeccakVectors, type KeccakVector } from './vectors.ts';

/** Options of {@link runKeccakSelftest}. */
export interface SelftestOptions {
  /** Directory of the vector files (default: ../shared/vectors/keccak or $EVM_FPGA_VECTORS). */
  vectorDir?: string;
  /** Leave out known-answer messages longer than this (bytes). */
  maxBytes?: number;
  /** How many seeded random messages to check against software Keccak (default 200). */
  random?: number;
  /** Seed of the random messages (default 1). */
  seed?: number;
  /** Progress lines for long runs. */
  progress?: (line: string) => void;
}

/** A failed check: what was hashed, what was expected and what the device said. */
export interface SelftestFailure {
  name: string;
  expected: string;
  got: string;
}

/** Outcome of a self-test run. */
export interface SelftestReport {
  knownAnswers: number;
  random: number;
  passed: number;
  failures: SelftestFailure[];
  bytesHashed: number;
  seconds: number;
}

/** Lengths that straddle the rate (136 bytes) boundaries, where padding bugs live. */
export const EDGE_LENGTHS = [0, 1, 7, 8, 9, 31, 32, 33, 55, 56, 64, 127, 128, 134, 135, 136, 137, 143, 144, 271, 272, 273, 408, 543, 544, 545];

/** Deterministic xorshift32 byte source, so a failing seed can be replayed. */
export function seededBytes(seed: number): (n: number) => Uint8Array {
  let s = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = next() & 0xff;
    return out;
  };
}

/** Random messages: the edge lengths first, then uniform lengths in 0 … 600. */
export function randomMessages(count: number, seed: number): Uint8Array[] {
  const bytes = seededBytes(seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const len = i < EDGE_LENGTHS.length ? EDGE_LENGTHS[i]! : bytes(2).reduce((a, b) => a * 256 + b, 0) % 601;
    out.push(bytes(len));
  }
  return out;
}

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

/** Runs the self-test on `device`; resolves with a report (it does not throw on mismatches). */
export async function runKeccakSelftest(device: Device, options: SelftestOptions = {}): Promise<SelftestReport> {
  const started = performance.now();
  const progress = options.progress ?? (() => {});
  const sw = await softwareKeccak256();
  const known: KeccakVector[] = loadKeccakVectors(options.vectorDir ?? defaultVectorDir(), options.maxBytes);
  const randoms = randomMessages(options.random ?? 200, options.seed ?? 1).map((message, i) => ({
    name: `random #${i} (${message.length} bytes, seed ${options.seed ?? 1})`,
    message,
    digest: sw(message),
  }));
  const all = [...known, ...randoms];
  const failures: SelftestFailure[] = [];
  let bytesHashed = 0;
  // Batches keep progress moving and bound memory; each batch is pipelined by the driver.
  const BATCH_BYTES = 1 << 20;
  for (let i = 0; i < all.length; ) {
    let j = i;
    let bytes = 0;
    while (j < all.length && (j === i || bytes + all[j]!.message.length <= BATCH_BYTES)) bytes += all[j++]!.message.length;
    const batch = all.slice(i, j);
    const got = await device.keccak256Batch(batch.map((v) => v.message));
    batch.forEach((v, k) => {
      const g = got[k]!;
      if (Buffer.compare(Buffer.from(g), Buffer.from(v.digest)) !== 0) failures.push({ name: v.name, expected: hex(v.digest), got: hex(g) });
    });
    bytesHashed += bytes;
    i = j;
    progress(`${i}/${all.length} messages checked, ${failures.length} failed`);
  }
  return {
    knownAnswers: known.length,
    random: randoms.length,
    passed: all.length - failures.length,
    failures,
    bytesHashed,
    seconds: (performance.now() - started) / 1000,
  };
}
