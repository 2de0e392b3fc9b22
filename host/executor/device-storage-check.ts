/**
 * The storage-check interface on the device's storage-check unit (docs/storage-check-unit.md): a
 * drop-in {@link StorageChecker} whose answers are identical to the software checker's.
 *
 * The device validates every read against its table of 31-bit keys ({@link reduceKeyDigest} of
 * the 64-bit digests). Two digests may share a device key, which can only make the device report
 * a conflict that is not one. Such a false conflict must not reach the executor: it would send a
 * transaction re-executed on the committed state back for re-execution forever. So the host keeps
 * the committed writes of the block at 64 bits (a map key → last writer, written once per
 * committed write, never read on the fast path) and re-checks only the transaction the device
 * names: a real conflict is reported with its 64-bit key exactly as software would; a false one is
 * committed, its writes are sent to the device, and checking resumes at the next transaction.
 *
 * A device VALID is exact under the executor's invariant that a read's version is the pre-state
 * or a committed writer of that same key (workers read committed state): a colliding key can only
 * move the device's entry to a later writer, never back to the version a stale reader saw.
 *
 * Fallbacks, each for the rest of the block (reset() returns to the device): the table overflowed
 * (a set is full), the link re-sent a STORAGE frame (the unit may have seen frames out of order),
 * the device failed or has no unit, or a transaction index does not fit 16 bits (blocks of 65,535
 * transactions or more). The block's committed writes are replayed into a software checker, which
 * answers from then on. Each fallback is counted and its reason kept in the block's statistics.
 */
import { InvalidInputError } from '../errors.ts';
import { STORAGE } from '../protocol/spec.ts';
import { reduceKeyDigest, STORAGE_MAX_TX, type StorageRecord } from '../storage/records.ts';
import type { StorageUnit } from '../storage/unit.ts';
import { createSoftwareStorageChecker, type AccessRecord, type CheckResult, type StorageChecker } from './storage-check.ts';

/** What the device checker did in one block (from one reset() to the next). */
export interface StorageBlockStats {
  /** Who answered the block's last batch: the device, or software after a fallback. */
  checker: 'device' | 'software';
  /** check() calls. */
  batches: number;
  /** Records sent to the device (resent writes after a false conflict included). */
  records: number;
  /** Records the unit looked at (a batch stops at its first invalid transaction). */
  looked: number;
  /** STORAGE frames sent (RESET included). */
  frames: number;
  /** Unit cycles: the sum of the answers' `cycles` fields (RESET included). */
  cycles: number;
  /** Device conflicts the host found to be 31-bit key collisions (committed anyway). */
  falseConflicts: number;
  /** Records checked in software after a fallback. */
  softwareRecords: number;
  /** Why the block went to software, if it did. */
  fallback?: string;
}

/** Totals over every block since the checker was made. */
export interface DeviceStorageCheckerStats {
  blocks: number;
  records: number;
  looked: number;
  frames: number;
  cycles: number;
  falseConflicts: number;
  softwareRecords: number;
  /** Blocks that fell back to software. */
  fallbacks: number;
}

/** A {@link StorageChecker} on a device's storage-check unit, with statistics. */
export interface DeviceStorageChecker extends StorageChecker {
  /** Totals (a snapshot). */
  readonly stats: DeviceStorageCheckerStats;
  /** One entry per block (per reset()), oldest first. */
  readonly blocks: readonly StorageBlockStats[];
}

/**
 * A storage checker on `device.storage` (or any {@link StorageUnit}). The device is not closed by
 * the checker. A device without the unit is accepted: every block then falls back (reported).
 */
export function createDeviceStorageChecker(device: { storage: StorageUnit } | StorageUnit): DeviceStorageChecker {
  return new DeviceChecker('storage' in device ? device.storage : device);
}

/** A run of one transaction's records in a batch: `[start, end)`. */
interface TxGroup {
  tx: number;
  start: number;
  end: number;
}

function groupByTx(batch: readonly AccessRecord[]): TxGroup[] {
  const groups: TxGroup[] = [];
  for (let i = 0; i < batch.length; ) {
    const tx = batch[i]!.tx;
    let j = i;
    while (j < batch.length && batch[j]!.tx === tx) j++;
    groups.push({ tx, start: i, end: j });
    i = j;
  }
  return groups;
}

const toDevice = (r: AccessRecord): StorageRecord => ({
  key: reduceKeyDigest(r.key),
  write: r.kind === 'write',
  tx: r.tx,
  version: r.kind === 'write' ? 0 : r.version < 0 ? STORAGE.preStateVersion : r.version,
});

/** Whether every record of the batch fits the device's 16-bit tx and version fields. */
function fitsDevice(batch: readonly AccessRecord[]): boolean {
  for (const r of batch) {
    if (!Number.isInteger(r.tx) || r.tx < 0 || r.tx > STORAGE_MAX_TX) return false;
    if (r.kind === 'read' && (!Number.isInteger(r.version) || r.version < -1 || r.version > STORAGE_MAX_TX)) return false;
  }
  return true;
}

class DeviceChecker implements DeviceStorageChecker {
  readonly name = 'device';
  readonly blocks: StorageBlockStats[] = [];
  private block: StorageBlockStats | undefined;
  /** The block's committed writes at 64 bits: key → last writer (the referee for device conflicts). */
  private lastWriter = new Map<bigint, number>();
  /** The same writes in commit order, for the replay into software on a fallback. */
  private committedWrites: AccessRecord[] = [];
  private software: StorageChecker | undefined;

  constructor(private readonly unit: StorageUnit) {}

  get stats(): DeviceStorageCheckerStats {
    const t: DeviceStorageCheckerStats = { blocks: this.blocks.length, records: 0, looked: 0, frames: 0, cycles: 0, falseConflicts: 0, softwareRecords: 0, fallbacks: 0 };
    for (const b of this.blocks) {
      t.records += b.records;
      t.looked += b.looked;
      t.frames += b.frames;
      t.cycles += b.cycles;
      t.falseConflicts += b.falseConflicts;
      t.softwareRecords += b.softwareRecords;
      if (b.fallback !== undefined) t.fallbacks++;
    }
    return t;
  }

  async reset(): Promise<void> {
    const block: StorageBlockStats = { checker: 'device', batches: 0, records: 0, looked: 0, frames: 0, cycles: 0, falseConflicts: 0, softwareRecords: 0 };
    this.block = block;
    this.blocks.push(block);
    this.lastWriter = new Map();
    this.committedWrites = [];
    this.software = undefined;
    if (!this.unit.available) return this.fallBack('the device has no storage-check unit');
    try {
      const r = await this.unit.reset();
      block.frames++;
      block.cycles += r.cycles;
    } catch (err) {
      if (err instanceof InvalidInputError) throw err;
      await this.fallBack(`device error on RESET: ${(err as Error).message}`);
    }
  }

  async check(batch: readonly AccessRecord[]): Promise<CheckResult> {
    if (!this.block) await this.reset();
    const block = this.block!;
    block.batches++;
    if (batch.length === 0) return { committed: 0 };
    const groups = groupByTx(batch);
    if (!this.software && !fitsDevice(batch)) await this.fallBack('a transaction index or version does not fit 16 bits (block of 65,535 transactions or more)');
    if (this.software) return this.inSoftware(batch, groups, 0);

    let g = 0;
    /** Writes of a transaction the host confirmed after a false conflict: sent first to resume. */
    let carry: StorageRecord[] = [];
    for (;;) {
      const records = carry;
      for (let k = g; k < groups.length; k++) {
        const { start, end } = groups[k]!;
        for (let i = start; i < end; i++) if (batch[i]!.kind === 'read') records.push(toDevice(batch[i]!));
        for (let i = start; i < end; i++) if (batch[i]!.kind === 'write') records.push(toDevice(batch[i]!));
      }
      let answer;
      try {
        answer = await this.unit.check(records);
      } catch (err) {
        if (err instanceof InvalidInputError) throw err;
        await this.fallBack(`device error on CHECK: ${(err as Error).message}`);
        return this.inSoftware(batch, groups, g);
      }
      block.records += records.length;
      block.looked += answer.looked;
      block.frames += answer.frames;
      block.cycles += answer.cycles;
      if (answer.overflow || answer.retried) {
        await this.fallBack(answer.overflow ? `table overflow after ${block.records} records` : 'the link re-sent a STORAGE frame (order not guaranteed)');
        return this.inSoftware(batch, groups, g);
      }
      if (!answer.invalid) {
        for (let k = g; k < groups.length; k++) this.commit(batch, groups[k]!);
        return { committed: groups.length };
      }
      let f = g;
      while (f < groups.length && groups[f]!.tx !== answer.invalid.tx) f++;
      if (f === groups.length) {
        await this.fallBack(`the device named transaction ${answer.invalid.tx}, which is not in the batch`);
        return this.inSoftware(batch, groups, g);
      }
      for (let k = g; k < f; k++) this.commit(batch, groups[k]!);
      const bad = groups[f]!;
      for (let i = bad.start; i < bad.end; i++) {
        const r = batch[i]!;
        if (r.kind === 'read' && (this.lastWriter.get(r.key) ?? -1) !== r.version) return { committed: f, invalidTx: bad.tx, conflictKey: r.key };
      }
      // A 31-bit collision: the transaction is valid at 64 bits. Commit it and resume after it.
      block.falseConflicts++;
      this.commit(batch, bad);
      carry = [];
      for (let i = bad.start; i < bad.end; i++) if (batch[i]!.kind === 'write') carry.push(toDevice(batch[i]!));
      g = f + 1;
    }
  }

  private commit(batch: readonly AccessRecord[], group: TxGroup): void {
    for (let i = group.start; i < group.end; i++) {
      const r = batch[i]!;
      if (r.kind !== 'write') continue;
      this.lastWriter.set(r.key, group.tx);
      this.committedWrites.push(r);
    }
  }

  /** Switches the block to software: the committed writes so far are replayed into a software table. */
  private async fallBack(reason: string): Promise<void> {
    const block = this.block!;
    block.checker = 'software';
    block.fallback ??= reason;
    const software = createSoftwareStorageChecker();
    await software.check(this.committedWrites);
    this.software = software;
  }

  /** Answers the batch from transaction group `from` on in software (groups before it are committed). */
  private async inSoftware(batch: readonly AccessRecord[], groups: TxGroup[], from: number): Promise<CheckResult> {
    const rest = from < groups.length ? batch.slice(groups[from]!.start) : [];
    this.block!.softwareRecords += rest.length;
    const r = await this.software!.check(rest);
    return { ...r, committed: from + r.committed };
  }
}
