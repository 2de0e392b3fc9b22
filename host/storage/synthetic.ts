/**
 * Synthetic access sets for storage-check tests and benchmarks, and a recorder of the access sets
 * the executor checks.
 *
 * {@link AccessSetGenerator} plays the executor's side of a block: batches of consecutive
 * transactions whose reads carry the version of the committed writer they saw, sometimes a stale
 * one (a conflict), as workers reading an older committed replica would. Versions always name the
 * pre-state or a committed writer of the same key (the executor's invariant). Keys come from a
 * pool of 64-bit digests that the caller may craft (31-bit collisions, keys sharing a table set).
 */
import { createSoftwareStorageChecker, type AccessRecord, type CheckResult, type StorageChecker } from '../executor/storage-check.ts';
import { mulberry32 } from '../prng.ts';

/** A small seeded PRNG (mulberry32): deterministic access sets from a seed. */
export const seededRandom = mulberry32;

/** Random 64-bit digests. */
export function randomDigests(count: number, random: () => number): bigint[] {
  const out = new Set<bigint>();
  while (out.size < count) out.add((BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32)));
  return [...out];
}

/** Shape of a synthetic block. */
export interface AccessSetOptions {
  /** The pool of key digests. */
  keys: readonly bigint[];
  /** Reads per transaction: drawn uniformly from [min, max]. */
  reads: [number, number];
  writes: [number, number];
  /** Probability that a read carries a stale (older committed) version. */
  staleness: number;
  /** Transactions per batch: drawn uniformly from [min, max]. */
  batch: [number, number];
  /** Put some transactions' writes before their reads (the checker must reorder them). */
  shuffleWithinTx?: boolean;
  /** Skew: probability of picking a key from the hot tenth of the pool. */
  hot?: number;
}

/** The executor's side of a block: next batch, then commit what the checker accepted. */
export class AccessSetGenerator {
  /** Committed writers per key, oldest first (absent: only the pre-state). */
  private readonly writers = new Map<bigint, number[]>();
  /** The first transaction not committed yet. */
  frontier = 0;
  /** Incarnation per transaction (re-executions bump it). */
  private readonly incarnation = new Map<number, number>();
  private pending: AccessRecord[][] = [];

  constructor(
    private readonly options: AccessSetOptions,
    private readonly random: () => number,
  ) {}

  private int([lo, hi]: [number, number]): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  private key(): bigint {
    const { keys, hot = 0 } = this.options;
    const hotCount = Math.max(1, Math.floor(keys.length / 10));
    return this.random() < hot ? keys[Math.floor(this.random() * hotCount)]! : keys[Math.floor(this.random() * keys.length)]!;
  }

  /** The records of one execution of transaction `tx` against the committed state. */
  private execute(tx: number, fresh: boolean): AccessRecord[] {
    const reads: AccessRecord[] = [];
    const writes: AccessRecord[] = [];
    const seen = new Set<bigint>();
    const inc = this.incarnation.get(tx) ?? 0;
    for (let i = this.int(this.options.reads); i > 0; i--) {
      const key = this.key();
      if (seen.has(key)) continue;
      seen.add(key);
      const history = this.writers.get(key) ?? [];
      let version = history.length ? history[history.length - 1]! : -1;
      if (!fresh && history.length && this.random() < this.options.staleness) {
        const k = Math.floor(this.random() * history.length); // an older writer, or the pre-state
        version = k === 0 ? -1 : history[k - 1]!;
      }
      reads.push({ tx, key, kind: 'read', version });
    }
    const written = new Set<bigint>();
    for (let i = this.int(this.options.writes); i > 0; i--) {
      const key = this.key();
      if (written.has(key)) continue;
      written.add(key);
      writes.push({ tx, key, kind: 'write', version: inc });
    }
    if (reads.length + writes.length === 0) writes.push({ tx, key: this.key(), kind: 'write', version: inc });
    return this.options.shuffleWithinTx && this.random() < 0.3 ? [...writes, ...reads] : [...reads, ...writes];
  }

  /** The next batch: up to `batch` transactions from the frontier, below `total`. */
  next(total: number): AccessRecord[] {
    const count = Math.min(this.int(this.options.batch), total - this.frontier);
    while (this.pending.length < count) this.pending.push(this.execute(this.frontier + this.pending.length, false));
    return this.pending.slice(0, count).flat();
  }

  /** Takes the checker's verdict on the last batch: commits the valid prefix, re-executes the invalid one. */
  commit(batch: readonly AccessRecord[], result: CheckResult): void {
    const end = this.frontier + result.committed;
    for (const r of batch) {
      if (r.tx >= end || r.kind !== 'write') continue;
      const h = this.writers.get(r.key) ?? [];
      h.push(r.tx);
      this.writers.set(r.key, h);
    }
    this.pending.splice(0, result.committed);
    this.frontier += result.committed;
    if (result.invalidTx !== undefined) {
      this.incarnation.set(result.invalidTx, (this.incarnation.get(result.invalidTx) ?? 0) + 1);
      this.pending[0] = this.execute(result.invalidTx, true);
    }
  }
}

/**
 * A block whose transactions are all valid, as one batch: each read carries the version of the
 * last earlier writer of its key (or the pre-state), as sequential execution would see it.
 */
export function sequentialBlockRecords(txs: number, options: AccessSetOptions, random: () => number): AccessRecord[] {
  const gen = new AccessSetGenerator({ ...options, staleness: 0 }, random);
  const out: AccessRecord[] = [];
  while (gen.frontier < txs) {
    const batch = gen.next(gen.frontier + 1);
    out.push(...batch);
    gen.commit(batch, { committed: 1 });
  }
  return out;
}

/** One checker call as recorded: a reset, or a batch with the answer it got. */
export type RecordedCall = { op: 'reset' } | { op: 'check'; batch: AccessRecord[]; result: CheckResult };

/** A checker that records every call and delegates to `inner` (default: software). */
export function createRecordingChecker(inner: StorageChecker = createSoftwareStorageChecker()): StorageChecker & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  return {
    name: `recording ${inner.name}`,
    calls,
    async reset() {
      calls.push({ op: 'reset' });
      await inner.reset();
    },
    async check(batch) {
      const result = await inner.check(batch);
      calls.push({ op: 'check', batch: batch.map((r) => ({ ...r })), result });
      return result;
    },
  };
}

/**
 * Runs a synthetic block of `txs` transactions through `checkers` in lockstep (the generator
 * follows the first one's verdicts) and returns every checker's answers per call.
 */
export async function runSyntheticBlock(txs: number, options: AccessSetOptions, seed: number, checkers: StorageChecker[]): Promise<{ calls: RecordedCall[][] }> {
  const gen = new AccessSetGenerator(options, seededRandom(seed));
  const calls: RecordedCall[][] = checkers.map(() => [{ op: 'reset' }]);
  for (const c of checkers) await c.reset();
  while (gen.frontier < txs) {
    const batch = gen.next(txs);
    const results: CheckResult[] = [];
    for (const [i, c] of checkers.entries()) {
      const result = await c.check(batch);
      results.push(result);
      calls[i]!.push({ op: 'check', batch, result });
    }
    gen.commit(batch, results[0]!);
  }
  return { calls };
}
