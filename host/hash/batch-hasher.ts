/**
 * The {@link BatchHasher} interface: Keccak-256 of many independent messages at once, with
 * statistics. The trie builder (trie.ts) and the shadow verifier (shadow.ts) hash through it; the
 * software implementation is here, the device implementation in device-hasher.ts.
 */
import { keccak256 } from '../executor/keccak.ts';

/** What a hasher did since it was made (or between two snapshots, see {@link diffHashStats}). */
export interface BatchHashStats {
  /** hashBatch() calls. */
  batches: number;
  /** Messages hashed, and their bytes. */
  hashes: number;
  bytes: number;
  /** Of those, hashed on the device. */
  deviceHashes: number;
  deviceBytes: number;
  /** Of those, hashed in software (a software hasher, or what a device could not take). */
  softwareHashes: number;
  softwareBytes: number;
  /** Device sponge-busy cycles (INFO `keccakCycles` after − before), 0 in software. */
  deviceCycles: number;
  /** Keccak-f[1600] permutations the device ran (INFO `permutations` after − before). */
  permutations: number;
  /** Wall time inside hashBatch, milliseconds. */
  ms: number;
}

/** Keccak-256 of many independent messages. */
export interface BatchHasher {
  /** `software` or the device spec. */
  readonly name: string;
  /**
   * The 32-byte Keccak-256 digest of every input, in order. The inputs are not modified and may
   * be reused once the promise settles.
   */
  hashBatch(inputs: readonly Uint8Array[]): Promise<Uint8Array[]>;
  /** Totals so far (a snapshot). */
  readonly stats: BatchHashStats;
}

/** All-zero statistics. */
export function emptyHashStats(): BatchHashStats {
  return { batches: 0, hashes: 0, bytes: 0, deviceHashes: 0, deviceBytes: 0, softwareHashes: 0, softwareBytes: 0, deviceCycles: 0, permutations: 0, ms: 0 };
}

/** `after − before`, field by field. */
export function diffHashStats(after: BatchHashStats, before: BatchHashStats): BatchHashStats {
  const out = emptyHashStats();
  for (const k of Object.keys(out) as (keyof BatchHashStats)[]) out[k] = after[k] - before[k];
  return out;
}

/** Bytes of all inputs. */
export const totalBytes = (inputs: readonly Uint8Array[]) => inputs.reduce((n, m) => n + m.length, 0);

/** A software hasher (hash-wasm, synchronous underneath). */
export function createSoftwareBatchHasher(): BatchHasher {
  const stats = emptyHashStats();
  return {
    name: 'software',
    get stats() {
      return { ...stats };
    },
    async hashBatch(inputs) {
      const t0 = performance.now();
      const out = inputs.map((m) => keccak256(m));
      const bytes = totalBytes(inputs);
      stats.batches++;
      stats.hashes += inputs.length;
      stats.bytes += bytes;
      stats.softwareHashes += inputs.length;
      stats.softwareBytes += bytes;
      stats.ms += performance.now() - t0;
      return out;
    },
  };
}
