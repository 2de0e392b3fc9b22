/**
 * Storage checks: conflict detection and validation as ONE batch operation over access records,
 * so that a device (the next hardware issue) can take the place of the software table.
 *
 * An access record says that transaction `tx` read or wrote the state item `key` (a 64-bit digest
 * of an access key: an account, a storage slot, or an account's storage epoch). For a read,
 * `version` is the index of the transaction whose write the reader saw (-1: the pre-state); for a
 * write, `version` is the writer's incarnation (informational).
 *
 * `check(batch)` processes the batch's transactions in ascending `tx` order against a table
 * key → last committed writer that persists across calls within a block:
 *   - a transaction is VALID when every one of its reads has `version` equal to the table's entry
 *     for its key (absent: -1); then each of its writes sets the entry to `tx`;
 *   - at the first INVALID transaction the batch stops: neither it nor any later transaction of
 *     the batch is entered, and its index is returned with the key that failed.
 * Records of one transaction must be contiguous; a transaction's reads are checked before its
 * writes are entered. Digest collisions only ever cause false conflicts (re-execution), never a
 * missed one: a colliding write can only make a table entry differ from the version a reader saw.
 */
export interface AccessRecord {
  tx: number;
  key: bigint;
  kind: 'read' | 'write';
  version: number;
}

export interface CheckResult {
  /** Transactions of the batch found valid and entered into the table (a prefix of the batch). */
  committed: number;
  /** The first invalid transaction, if any. */
  invalidTx?: number;
  /** The key whose version did not match. */
  conflictKey?: bigint;
}

export interface StorageChecker {
  readonly name: string;
  /** Empties the table (a new block). */
  reset(): Promise<void>;
  /** Validates and enters one batch (see the module comment). */
  check(batch: readonly AccessRecord[]): Promise<CheckResult>;
}

/** The software table: a Map from key digest to last writer. */
export function createSoftwareStorageChecker(): StorageChecker {
  let table = new Map<bigint, number>();
  return {
    name: 'software',
    async reset() {
      table = new Map();
    },
    async check(batch) {
      let committed = 0;
      let i = 0;
      while (i < batch.length) {
        const tx = batch[i]!.tx;
        let j = i;
        while (j < batch.length && batch[j]!.tx === tx) j++;
        for (let r = i; r < j; r++) {
          const rec = batch[r]!;
          if (rec.kind === 'read' && (table.get(rec.key) ?? -1) !== rec.version) {
            return { committed, invalidTx: tx, conflictKey: rec.key };
          }
        }
        for (let r = i; r < j; r++) {
          const rec = batch[r]!;
          if (rec.kind === 'write') table.set(rec.key, tx);
        }
        committed++;
        i = j;
      }
      return { committed };
    },
  };
}

/**
 * The 64-bit digest of an access key string (`a<addr>`, `s<addr><slot>`, `e<addr>`): two
 * independent 32-bit FNV-1a hashes. Only the device-side table width depends on this choice.
 */
export function accessKeyDigest(key: string): bigint {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 13);
  }
  return (BigInt(h1 >>> 0) << 32n) | BigInt(h2 >>> 0);
}
