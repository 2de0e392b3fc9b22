/**
 * Shadow verification (docs/hash-offload.md): the EVM, the tries and the transaction code hash in
 * software as usual, and every Keccak call they make is recorded with its digest (through the
 * per-thread tap in host/executor/keccak.ts) and checked on a device in batches while execution
 * goes on. Main-thread calls go straight into the verifier's buffer; worker threads stream theirs
 * over a MessagePort each (shadow-worker.ts). A buffer is sent for checking as soon as it holds
 * `batchPairs` pairs, so at most that many pairs per thread wait to be sent; batches queue behind
 * the device in arrival order.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { EvmFpgaError } from '../errors.ts';
import { KECCAK_SOURCES, setKeccakTap, type KeccakSource, type KeccakTap } from '../executor/keccak.ts';
import { emptyHashStats, type BatchHashStats, type BatchHasher } from './batch-hasher.ts';
import { PairBuffer, batchDigest, batchInput, batchLength, batchSource, type PairBatch } from './pairs.ts';
import { DEFAULT_BATCH_PAIRS, recordToPort, type ShadowFlushRequest, type ShadowPortMessage } from './shadow-worker.ts';

/** Options of {@link ShadowVerifier}. */
export interface ShadowOptions {
  /** Pairs per check batch (default 4096). */
  batchPairs?: number;
  /**
   * Fault injection: flip the lowest bit of the recorded digest of the pair with this index
   * (0-based, in arrival order), to show that a wrong digest is caught.
   */
  corruptPair?: number;
  /** Mismatches kept with their details (default 5; all are counted). */
  keepMismatches?: number;
}

/** One digest the device disagreed with. */
export interface ShadowMismatch {
  source: KeccakSource;
  /** Input length and its first bytes (hex). */
  inputBytes: number;
  inputHead: string;
  recorded: string;
  device: string;
}

/** Counts so far. */
export interface ShadowStats {
  /** Pairs recorded, by source: calls and input bytes. */
  bySource: Record<KeccakSource, { calls: number; bytes: number }>;
  /** Of those, pairs that came from worker threads. */
  fromWorkers: number;
  /** Pairs checked on the device (or in software where the device could not take an input). */
  checks: number;
  mismatches: number;
  /** Check batches sent. */
  batches: number;
  /** Most pairs waiting to be checked at once. */
  peakQueuedPairs: number;
  /** The device hasher's statistics for the checks (hashes, bytes, device cycles). */
  hashing: BatchHashStats;
  /** The first mismatches, in detail. */
  firstMismatches: ShadowMismatch[];
}

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** Records Keccak calls and checks them on a device. */
export class ShadowVerifier {
  private readonly buffer = new PairBuffer();
  private readonly batchPairs: number;
  private readonly ports: MessagePort[] = [];
  private readonly flushWaiters = new Map<number, () => void>();
  private nextFlush = 0;
  private chain: Promise<void> = Promise.resolve();
  private error: unknown;
  private arrived = 0;
  private queued = 0;
  private readonly counts: ShadowStats;

  /** The tap for this thread's Keccak calls (see {@link install}). */
  readonly tap: KeccakTap = (source, input, digest) => {
    this.buffer.push(source, input, digest);
    if (this.buffer.length >= this.batchPairs) this.enqueue(this.buffer.take());
  };

  constructor(
    readonly hasher: BatchHasher,
    private readonly options: ShadowOptions = {},
  ) {
    this.batchPairs = options.batchPairs ?? DEFAULT_BATCH_PAIRS;
    const bySource = Object.fromEntries(KECCAK_SOURCES.map((s) => [s, { calls: 0, bytes: 0 }])) as ShadowStats['bySource'];
    this.counts = { bySource, fromWorkers: 0, checks: 0, mismatches: 0, batches: 0, peakQueuedPairs: 0, hashing: emptyHashStats(), firstMismatches: [] };
  }

  /** Starts recording this thread's Keccak calls. */
  install(): void {
    setKeccakTap(this.tap);
  }

  /** Stops recording this thread's Keccak calls (what was recorded stays queued). */
  uninstall(): void {
    setKeccakTap(undefined);
  }

  /**
   * Takes the main-thread end of a worker's shadow port (the executor calls this for each worker
   * it starts when given the verifier as `keccakShadow`).
   */
  attach(port: MessagePort): void {
    this.ports.push(port);
    port.on('message', (m: ShadowPortMessage) => {
      if (m.type === 'pairs') {
        this.counts.fromWorkers += batchLength(m.batch);
        this.enqueue(m.batch);
      }
      else this.flushWaiters.get(m.id)?.();
    });
    port.on('close', () => {
      for (const done of this.flushWaiters.values()) done();
    });
  }

  /** A port pair for a thread that records with {@link recordToPort} (the other end is attached). */
  channel(): MessagePort {
    const { port1, port2 } = new MessageChannel();
    this.attach(port1);
    return port2;
  }

  /**
   * Collects every worker's pending pairs and this thread's buffer, waits until all are checked,
   * and returns the counts. Call it before the workers are closed.
   * @throws EvmFpgaError when the device failed during a check (the cause is the device error).
   */
  async drain(): Promise<ShadowStats> {
    await Promise.all(
      this.ports.map(
        (port) =>
          new Promise<void>((resolve) => {
            const id = this.nextFlush++;
            this.flushWaiters.set(id, () => {
              this.flushWaiters.delete(id);
              resolve();
            });
            port.postMessage({ type: 'flush', id } satisfies ShadowFlushRequest);
          }),
      ),
    );
    if (this.buffer.length) this.enqueue(this.buffer.take());
    await this.chain;
    if (this.error !== undefined) {
      const err = this.error;
      this.error = undefined;
      throw new EvmFpgaError(`shadow verification on ${this.hasher.name} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
    return this.stats;
  }

  /** Closes the worker ports. */
  close(): void {
    for (const p of this.ports) p.close();
    this.ports.length = 0;
  }

  get stats(): ShadowStats {
    return {
      ...this.counts,
      bySource: Object.fromEntries(KECCAK_SOURCES.map((s) => [s, { ...this.counts.bySource[s] }])) as ShadowStats['bySource'],
      hashing: this.hasher.stats,
      firstMismatches: [...this.counts.firstMismatches],
    };
  }

  private enqueue(batch: PairBatch): void {
    const n = batchLength(batch);
    if (!n) return;
    const c = this.options.corruptPair;
    if (c !== undefined && c >= this.arrived && c < this.arrived + n) batch.digests[32 * (c - this.arrived)]! ^= 1;
    this.arrived += n;
    for (let i = 0; i < n; i++) {
      const s = this.counts.bySource[batchSource(batch, i)];
      s.calls++;
      s.bytes += batchInput(batch, i).length;
    }
    this.queued += n;
    this.counts.peakQueuedPairs = Math.max(this.counts.peakQueuedPairs, this.queued);
    this.chain = this.chain.then(() => this.check(batch));
  }

  private async check(batch: PairBatch): Promise<void> {
    const n = batchLength(batch);
    try {
      if (this.error !== undefined) return;
      const inputs = Array.from({ length: n }, (_, i) => batchInput(batch, i));
      const digests = await this.hasher.hashBatch(inputs);
      this.counts.batches++;
      for (let i = 0; i < n; i++) {
        this.counts.checks++;
        const recorded = batchDigest(batch, i);
        const device = digests[i]!;
        let same = device.length === 32;
        for (let k = 0; same && k < 32; k++) same = recorded[k] === device[k];
        if (same) continue;
        this.counts.mismatches++;
        if (this.counts.firstMismatches.length < (this.options.keepMismatches ?? 5)) {
          this.counts.firstMismatches.push({ source: batchSource(batch, i), inputBytes: inputs[i]!.length, inputHead: hex(inputs[i]!.subarray(0, 32)), recorded: hex(recorded), device: hex(device) });
        }
      }
    } catch (err) {
      this.error ??= err;
    } finally {
      this.queued -= n;
    }
  }
}

export { recordToPort };
