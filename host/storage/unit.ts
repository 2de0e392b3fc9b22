/**
 * `device.storage`: the storage-check unit behind the `STORAGE` command (docs/protocol.md
 * "STORAGE", docs/storage-check-unit.md). `reset()` empties the device's conflict table (a new
 * block); `check(records)` sends one batch in frames of up to 511 records, the first with
 * FLAGS.FIRST, all pipelined through the request engine, and combines the answers.
 *
 * The command is stateful: a frame the link lost and the engine sent again reaches the unit after
 * its successors (and possibly twice), so the answer of an exchange with any retry is marked
 * `retried` and must not be trusted; {@link DeviceStorageChecker} then answers in software.
 */
import { DeviceStatusError } from '../errors.ts';
import type { RequestEngine } from '../device/client.ts';
import type { DeviceInfo } from '../protocol/info.ts';
import { CAPABILITY, CMD, STATUS, STORAGE } from '../protocol/spec.ts';
import { decodeStorageResult, encodeStorageCheck, encodeStorageReset, type StorageFrameResult, type StorageRecord } from './records.ts';

/** The combined answer to one batch. */
export interface StorageBatchAnswer {
  /** Frames sent. */
  frames: number;
  /** Records the unit looked at, over all frames. */
  looked: number;
  /** The first failed read of the batch (the unit stopped there), if any. */
  invalid?: { tx: number; key: number };
  /** The table overflowed (now or earlier in the block): the answer is void until RESET. */
  overflow: boolean;
  /** Unit cycles, summed over the frames' `cycles` fields. */
  cycles: number;
  /** The link re-sent a frame during the exchange: the unit may have seen frames out of order. */
  retried: boolean;
  /** The raw per-frame answers. */
  results: StorageFrameResult[];
}

/** The storage-check unit of an open device (`device.storage`). */
export interface StorageUnit {
  /** Whether the device has the unit (INFO capability bit `STORAGE_CHECK` at the handshake). */
  readonly available: boolean;
  /** Capacity of the device's table (INFO `storageEntries`). */
  readonly entries: number;
  /** Empties the table (a new block); resolves to the RESET answer (its cycles). */
  reset(): Promise<StorageFrameResult>;
  /**
   * Checks one batch of records in block order (each transaction's reads before its writes).
   * @throws InvalidInputError for a record out of range (nothing is sent); DeviceStatusError when
   *   the device has no unit or rejects a frame; TimeoutError, TransportError, ProtocolError from the link.
   */
  check(records: readonly StorageRecord[]): Promise<StorageBatchAnswer>;
}

/** Creates the `storage` facet of a device over its request engine. */
export function createStorageUnit(engine: RequestEngine, handshake: DeviceInfo): StorageUnit {
  return new DeviceStorageUnit(engine, handshake);
}

const resultLength = () => STORAGE.resultBytes;

class DeviceStorageUnit implements StorageUnit {
  readonly available: boolean;
  readonly entries: number;

  constructor(
    private readonly engine: RequestEngine,
    private readonly handshake: DeviceInfo,
  ) {
    this.available = ((handshake.capabilities >>> CAPABILITY.STORAGE_CHECK) & 1) === 1;
    this.entries = handshake.storageEntries;
  }

  async reset(): Promise<StorageFrameResult> {
    this.requireUnit();
    const [answer] = await this.engine.request(CMD.STORAGE, [encodeStorageReset()], resultLength);
    return decodeStorageResult(answer!);
  }

  async check(records: readonly StorageRecord[]): Promise<StorageBatchAnswer> {
    this.requireUnit();
    const payloads: Uint8Array[] = [];
    for (let start = 0; start < records.length; start += STORAGE.maxRecordsPerFrame) {
      payloads.push(encodeStorageCheck(records, start, Math.min(records.length, start + STORAGE.maxRecordsPerFrame), start === 0));
    }
    const answer: StorageBatchAnswer = { frames: payloads.length, looked: 0, overflow: false, cycles: 0, retried: false, results: [] };
    if (payloads.length === 0) return answer;
    const retriesBefore = this.engine.stats.retries;
    const raw = await this.engine.request(CMD.STORAGE, payloads, resultLength);
    answer.retried = this.engine.stats.retries !== retriesBefore;
    for (const bytes of raw) {
      const r = decodeStorageResult(bytes);
      answer.results.push(r);
      answer.looked += r.looked;
      answer.cycles += r.cycles;
      if (r.overflow) answer.overflow = true;
      if (r.invalid && !answer.invalid) answer.invalid = { tx: r.invalidTx, key: r.invalidKey };
    }
    return answer;
  }

  private requireUnit(): void {
    if (this.available) return;
    const caps = this.handshake.capabilityNames.length > 0 ? this.handshake.capabilityNames.join(', ') : 'none';
    throw new DeviceStatusError(`this device has no storage-check unit (capabilities: ${caps})`, {
      status: 'UNKNOWN_CMD',
      statusCode: STATUS.UNKNOWN_CMD,
      details: 'INFO capability bit STORAGE_CHECK is clear: the build does not implement the STORAGE command',
    });
  }
}
