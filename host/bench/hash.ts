/**
 * The hash-offload benchmark (`evm-fpga bench hash`, docs/hash-offload.md): for fixture blocks, the
 * Keccak calls a block needs by source, their bytes, the device cycles they take (measured on the
 * device, per source), the software Keccak time for the same inputs measured in the same run with
 * two libraries, and projections of the device time at a stated clock over three link rates.
 *
 * Per block, the executor runs on the calling thread (no workers, so every call is recorded once)
 * with the state root computed by the level-batched trie builder on the device; a Keccak tap records
 * every other call (EVM, transactions, code, and the Merkle state's intermediate roots before
 * Byzantium). The recorded inputs then go to the device grouped by source, and the device digests
 * are compared with the recorded ones.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { openDevice } from '../device/device.ts';
import { KECCAK_SOURCES, keccak256, setKeccakTap, type KeccakSource } from '../executor/keccak.ts';
import { loadCases } from '../executor/load/index.ts';
import { createExecutor } from '../executor/parallel.ts';
import { buildStateManager } from '../executor/state.ts';
import { loadState } from '../executor/versioned-state.ts';
import { FRAME_OVERHEAD } from '../protocol/frame.ts';
import { chunkCount } from '../protocol/keccak.ts';
import { KECCAK } from '../protocol/spec.ts';
import { createDeviceBatchHasher } from '../hash/device-hasher.ts';
import { totalBytes, type BatchHasher } from '../hash/batch-hasher.ts';
import { PairBuffer, batchDigest, batchInput, batchLength, batchSource } from '../hash/pairs.ts';

/** Link rates the projection uses (payload bytes per second, one direction). */
export const LINKS = [
  { name: 'UART 12 Mbaud', key: 'uart', bytesPerSecond: 12e6 / 10 },
  { name: 'PCIe Gen2 x4', key: 'gen2x4', bytesPerSecond: 2e9 },
  { name: 'PCIe Gen3 x16', key: 'gen3x16', bytesPerSecond: 15.75e9 },
] as const;
export type LinkKey = (typeof LINKS)[number]['key'];

/** Calls of one source in one block. */
export interface SourceFigures {
  calls: number;
  bytes: number;
  /** Device sponge-busy cycles for these calls (measured). */
  deviceCycles: number;
}

/** A projection of one block's hashing time on a real device over one link. */
export interface Projection {
  /** max(core, link) milliseconds. */
  ms: number;
  bound: 'core' | 'link';
}

/** One block's figures. */
export interface HashBenchBlock {
  name: string;
  transactions: number;
  /** By source; `trie` is the batched state-root builder plus any Merkle-state hashing left (pre-Byzantium receipts). */
  sources: Record<KeccakSource, SourceFigures>;
  /** The level batches of the state root (inputs per batch). */
  stateRootBatches: number[];
  /** What the incremental Merkle state (@ethereumjs/mpt, as the executor uses it without a device) hashes for the same root. */
  incrementalTrie: { calls: number; bytes: number };
  total: SourceFigures & { permutations: number; upBytes: number; downBytes: number };
  /** Device digests that differ from the recorded software digests (must be 0). */
  mismatches: number;
  /** Wall time of the device hashing on this run's device (the simulation is slow: not a projection). */
  measuredDeviceMs: number;
  /** Software Keccak over the same inputs, measured now (best of several runs per library). */
  software: { hashWasmMs: number; nobleMs: number; best: 'hash-wasm' | '@noble/hashes'; bestMs: number };
  /** Projected device time at `clockHz`: core-bound = cycles / clock. */
  projectedCoreMs: number;
  projected: Record<LinkKey, Projection>;
}

export interface HashBenchReport {
  device: string;
  /** The clock the projections assume. */
  clockHz: number;
  links: { name: string; key: LinkKey; bytesPerSecond: number }[];
  blocks: HashBenchBlock[];
  totals: { calls: number; bytes: number; deviceCycles: number; softwareBestMs: number; projected: Record<LinkKey, number> };
  note: string;
}

/** Bytes on the wire for one message: KECCAK request frames up, one digest response down. */
export function wireBytes(length: number): { up: number; down: number } {
  const frames = chunkCount(length);
  return { up: length + frames * (FRAME_OVERHEAD + KECCAK.chunkHeaderBytes), down: FRAME_OVERHEAD + 1 + KECCAK.digestBytes };
}

/** A hasher that keeps every input it was given (to replay in software). */
function recording(inner: BatchHasher): BatchHasher & { inputs: Uint8Array[] } {
  const inputs: Uint8Array[] = [];
  return {
    name: inner.name,
    inputs,
    get stats() {
      return inner.stats;
    },
    hashBatch(batch) {
      for (const m of batch) inputs.push(m);
      return inner.hashBatch(batch);
    },
  };
}

/** Best-of-`reps` milliseconds to hash every input with `fn`. */
function timeSoftware(inputs: Uint8Array[], fn: (m: Uint8Array) => Uint8Array, reps: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (const m of inputs) fn(m);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Runs the benchmark over the blocks of `fixtures` (files or mainnet directories). */
export async function benchHash(opts: { device: string; fixtures: string[]; clockHz: number; progress: (line: string) => void }): Promise<HashBenchReport> {
  const device = await openDevice(opts.device, { progress: opts.progress, timeoutMs: 30_000 });
  // The state-root hasher is swapped per block (a fresh recording device hasher each time).
  let rootHasher = recording(createDeviceBatchHasher(device));
  const delegate: BatchHasher = {
    name: opts.device,
    get stats() {
      return rootHasher.stats;
    },
    hashBatch: (batch) => rootHasher.hashBatch(batch),
  };
  const executor = await createExecutor({ workers: 0, stateRootHasher: delegate }).catch(async (err: unknown) => {
    await device.close();
    throw err;
  });
  const blocks: HashBenchBlock[] = [];
  try {
    const checker = createDeviceBatchHasher(device);
    for (const path of opts.fixtures) {
      for (const c of await loadCases(path)) {
        const sm = await buildStateManager(c.preState);
        let pre = c.preState;
        for (const [i, blockRlp] of c.blocksRlp.entries()) {
          const name = c.blocksRlp.length > 1 ? `${c.name}#${i}` : c.name;
          opts.progress(`${name}: executing`);
          loadState(pre); // index the pre-state (and hash its code) before recording: setup, not block work
          const buffer = new PairBuffer();
          rootHasher = recording(createDeviceBatchHasher(device));
          setKeccakTap((s, m, d) => buffer.push(s, m, d));
          let result;
          try {
            result = await executor.executeBlock({ chain: c.chain, blockRlp, preState: pre, blockHashes: c.blockHashes, stateManager: sm });
          } finally {
            setKeccakTap(undefined);
          }
          const recorded = buffer.take();
          // What the incremental Merkle state hashes for the same root.
          const incremental = { calls: 0, bytes: 0 };
          setKeccakTap((s, m) => {
            incremental.calls++;
            incremental.bytes += m.length;
          });
          try {
            await sm.getStateRoot();
          } finally {
            setKeccakTap(undefined);
          }
          opts.progress(`${name}: ${batchLength(recorded) + rootHasher.inputs.length} hashes on ${opts.device}`);
          const sources = Object.fromEntries(KECCAK_SOURCES.map((s) => [s, { calls: 0, bytes: 0, deviceCycles: 0 }])) as Record<KeccakSource, SourceFigures>;
          let mismatches = 0;
          const t0 = performance.now();
          const before = checker.stats;
          for (const s of KECCAK_SOURCES) {
            const idx = Array.from({ length: batchLength(recorded) }, (_, k) => k).filter((k) => batchSource(recorded, k) === s);
            if (!idx.length) continue;
            const inputs = idx.map((k) => batchInput(recorded, k));
            const cyc = checker.stats.deviceCycles;
            const digests = await checker.hashBatch(inputs);
            idx.forEach((k, j) => {
              if (Buffer.compare(digests[j]!, batchDigest(recorded, k)) !== 0) mismatches++;
            });
            sources[s].calls += inputs.length;
            sources[s].bytes += totalBytes(inputs);
            sources[s].deviceCycles += checker.stats.deviceCycles - cyc;
          }
          const offload = result.stats.hashOffload!;
          sources.trie.calls += offload.hashes;
          sources.trie.bytes += offload.bytes;
          sources.trie.deviceCycles += offload.deviceCycles;
          const measuredDeviceMs = performance.now() - t0 + offload.ms;
          const inputs = [...Array.from({ length: batchLength(recorded) }, (_, k) => batchInput(recorded, k)), ...rootHasher.inputs];
          let up = 0;
          let down = 0;
          for (const m of inputs) {
            const w = wireBytes(m.length);
            up += w.up;
            down += w.down;
          }
          const hashWasmMs = timeSoftware(inputs, keccak256, 5);
          const nobleMs = timeSoftware(inputs, keccak_256, 5);
          const deviceCycles = KECCAK_SOURCES.reduce((n, s) => n + sources[s].deviceCycles, 0);
          const projectedCoreMs = (deviceCycles / opts.clockHz) * 1000;
          const projected = Object.fromEntries(
            LINKS.map((l) => {
              const linkMs = (Math.max(up, down) / l.bytesPerSecond) * 1000;
              return [l.key, { ms: Math.max(linkMs, projectedCoreMs), bound: linkMs > projectedCoreMs ? 'link' : 'core' }];
            }),
          ) as Record<LinkKey, Projection>;
          blocks.push({
            name,
            transactions: result.stats.transactions,
            sources,
            stateRootBatches: offload.batchSizes,
            incrementalTrie: incremental,
            total: {
              calls: inputs.length,
              bytes: totalBytes(inputs),
              deviceCycles,
              permutations: checker.stats.permutations - before.permutations + offload.permutations,
              upBytes: up,
              downBytes: down,
            },
            mismatches,
            measuredDeviceMs,
            software: { hashWasmMs, nobleMs, best: hashWasmMs <= nobleMs ? 'hash-wasm' : '@noble/hashes', bestMs: Math.min(hashWasmMs, nobleMs) },
            projectedCoreMs,
            projected,
          });
          pre = result.outputs.postState;
        }
      }
    }
  } finally {
    setKeccakTap(undefined);
    await executor.close();
    await device.close();
  }
  const sum = (f: (b: HashBenchBlock) => number) => blocks.reduce((n, b) => n + f(b), 0);
  return {
    device: opts.device,
    clockHz: opts.clockHz,
    links: LINKS.map((l) => ({ name: l.name, key: l.key, bytesPerSecond: l.bytesPerSecond })),
    blocks,
    totals: {
      calls: sum((b) => b.total.calls),
      bytes: sum((b) => b.total.bytes),
      deviceCycles: sum((b) => b.total.deviceCycles),
      softwareBestMs: sum((b) => b.software.bestMs),
      projected: Object.fromEntries(LINKS.map((l) => [l.key, sum((b) => b.projected[l.key].ms)])) as Record<LinkKey, number>,
    },
    note:
      `Projections, not measurements: device time = max(cycles / ${opts.clockHz / 1e6} MHz, wire bytes / link rate) with the cycles ` +
      'measured on the simulated RTL (one Keccak core) and the framed protocol\'s bytes; software times are measured in this run.',
  };
}
