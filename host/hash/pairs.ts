/**
 * Recorded Keccak calls (source, input, digest) in a compact form that crosses threads cheaply:
 * a {@link PairBuffer} collects them, {@link PairBuffer.take} packs them into a {@link PairBatch}
 * (three flat arrays whose buffers can be transferred to another thread).
 */
import { KECCAK_SOURCES, type KeccakSource } from '../executor/keccak.ts';

/** Packed pairs: pair i is `data[offsets[i] .. offsets[i+1])` with digest `digests[32i .. 32i+32)`. */
export interface PairBatch {
  /** Index into KECCAK_SOURCES per pair. */
  sources: Uint8Array;
  offsets: Uint32Array;
  data: Uint8Array;
  digests: Uint8Array;
}

const SOURCE_INDEX = new Map(KECCAK_SOURCES.map((s, i) => [s, i]));

/** Collects pairs until taken. */
export class PairBuffer {
  private sources: number[] = [];
  private inputs: Uint8Array[] = [];
  private digests: Uint8Array[] = [];
  private bytes = 0;

  get length(): number {
    return this.inputs.length;
  }

  push(source: KeccakSource, input: Uint8Array, digest: Uint8Array): void {
    this.sources.push(SOURCE_INDEX.get(source)!);
    this.inputs.push(input);
    this.digests.push(digest);
    this.bytes += input.length;
  }

  /** Packs and empties the buffer. */
  take(): PairBatch {
    const n = this.inputs.length;
    const batch: PairBatch = { sources: Uint8Array.from(this.sources), offsets: new Uint32Array(n + 1), data: new Uint8Array(this.bytes), digests: new Uint8Array(32 * n) };
    let at = 0;
    for (let i = 0; i < n; i++) {
      batch.offsets[i] = at;
      batch.data.set(this.inputs[i]!, at);
      at += this.inputs[i]!.length;
      batch.digests.set(this.digests[i]!, 32 * i);
    }
    batch.offsets[n] = at;
    this.sources = [];
    this.inputs = [];
    this.digests = [];
    this.bytes = 0;
    return batch;
  }
}

/** Pairs in a batch. */
export const batchLength = (b: PairBatch) => b.sources.length;
/** Input of pair `i` (a view into the batch). */
export const batchInput = (b: PairBatch, i: number) => b.data.subarray(b.offsets[i]!, b.offsets[i + 1]!);
/** Recorded digest of pair `i` (a view into the batch). */
export const batchDigest = (b: PairBatch, i: number) => b.digests.subarray(32 * i, 32 * i + 32);
/** Source of pair `i`. */
export const batchSource = (b: PairBatch, i: number): KeccakSource => KECCAK_SOURCES[b.sources[i]!]!;
/** The buffers of a batch, for a postMessage transfer list. */
export const batchTransfer = (b: PairBatch) => [b.sources.buffer, b.offsets.buffer, b.data.buffer, b.digests.buffer] as ArrayBuffer[];
