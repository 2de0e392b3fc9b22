/**
 * A TypeScript model of the device side of the `STORAGE` command (docs/protocol.md "STORAGE"),
 * for unit tests of the driver and of the device storage checker only; the real unit is the RTL,
 * tested through the simulation (test/storage-device.test.ts). The table is set-associative:
 * `sets` sets (a power of two, indexed by the key's low bits) of `ways` entries; a write of a new
 * key into a full set raises OVERFLOW until RESET. Served over the memory transport with INFO.
 */
import { FrameDecoder } from '../../host/protocol/decoder.ts';
import { encodeResponse } from '../../host/protocol/frame.ts';
import { blankInfo, encodeInfo } from '../../host/protocol/info.ts';
import { CAPABILITY, CMD, STATUS, STORAGE } from '../../host/protocol/spec.ts';
import { decodeStorageRequest, encodeStorageResult, type StorageFrameResult } from '../../host/storage/records.ts';
import type { Transport } from '../../host/transport/transport.ts';

/** The conflict table of the model. */
export class StorageTableModel {
  private table: Map<number, number>[] = [];
  overflow = false;
  stopped = false;

  constructor(
    readonly sets: number,
    readonly ways: number,
  ) {
    this.reset();
  }

  reset(): void {
    this.table = Array.from({ length: this.sets }, () => new Map());
    this.overflow = false;
    this.stopped = false;
  }

  /** Executes one request payload; returns the 16-byte result fields. */
  execute(payload: Uint8Array): StorageFrameResult {
    const { op, first, records } = decodeStorageRequest(payload);
    const r: StorageFrameResult = { looked: 0, invalid: false, overflow: false, stopped: false, invalidTx: 0, invalidKey: 0, cycles: 1 };
    if (op === STORAGE.opReset) {
      this.reset();
      return r;
    }
    if (first) this.stopped = false;
    if (this.overflow || this.stopped) {
      r.overflow = this.overflow;
      r.stopped = this.stopped;
      return r;
    }
    for (const rec of records) {
      r.looked++;
      r.cycles++;
      const set = this.table[rec.key & (this.sets - 1)]!;
      if (!rec.write) {
        if ((set.get(rec.key) ?? STORAGE.preStateVersion) !== rec.version) {
          r.invalid = true;
          r.invalidTx = rec.tx;
          r.invalidKey = rec.key;
          this.stopped = true;
          break;
        }
      } else if (set.has(rec.key) || set.size < this.ways) {
        set.set(rec.key, rec.tx);
      } else {
        this.overflow = true;
        break;
      }
    }
    r.overflow = this.overflow;
    return r;
  }
}

export interface StorageModelOptions {
  sets?: number;
  ways?: number;
  capabilities?: number;
  /** Drop the STORAGE request frame with this index (from 0), once: the host retries it. */
  dropStorageFrame?: number;
  /** Answer every STORAGE frame with this status instead of executing it. */
  storageStatus?: number;
}

export interface StorageModel {
  table: StorageTableModel;
  /** Records per STORAGE CHECK frame, in arrival order. */
  frames: number[];
  /** Largest number of STORAGE frames that arrived in one write. */
  maxFramesPerWrite: number;
}

/** Serves the model on the device end of a memory link. */
export function serveStorageModel(transport: Transport, o: StorageModelOptions = {}): StorageModel {
  const sets = o.sets ?? 256;
  const ways = o.ways ?? 4;
  const model: StorageModel = { table: new StorageTableModel(sets, ways), frames: [], maxFramesPerWrite: 0 };
  const capabilities = o.capabilities ?? (1 << CAPABILITY.KECCAK) | (1 << CAPABILITY.STORAGE_CHECK);
  const decoder = new FrameDecoder();
  let index = 0;
  transport.onData((chunk) => {
    const out: Uint8Array[] = [];
    let inThisWrite = 0;
    decoder.push(chunk, (cmd, id, payload) => {
      const answer = (status: number, result?: Uint8Array) => {
        out.push(encodeResponse(cmd, id, status, result));
      };
      if (cmd === CMD.INFO) {
        const info = blankInfo({ buildId: 1, clockHz: 48_000_000, capabilities, keccakCores: 1, keccakRoundsPerClock: 1, rxRingBytes: 16384, uartDivider: 16, storageEntries: sets * ways });
        return answer(STATUS.OK, encodeInfo(info));
      }
      if (cmd !== CMD.STORAGE || ((capabilities >> CAPABILITY.STORAGE_CHECK) & 1) === 0) return answer(STATUS.UNKNOWN_CMD);
      const i = index++;
      inThisWrite++;
      if (i === o.dropStorageFrame) return;
      if (o.storageStatus !== undefined) return answer(o.storageStatus);
      const n = (payload.length - STORAGE.headerBytes) / STORAGE.recordBytes;
      if (!Number.isInteger(n) || n < 0 || n > STORAGE.maxRecordsPerFrame || (payload[0] === STORAGE.opReset && n !== 0)) return answer(STATUS.BAD_LENGTH);
      if (payload[0] === STORAGE.opCheck) model.frames.push(n);
      answer(STATUS.OK, encodeStorageResult(model.table.execute(payload)));
    });
    model.maxFramesPerWrite = Math.max(model.maxFramesPerWrite, inThisWrite);
    setImmediate(() => out.forEach((b) => transport.write(b)));
  });
  return model;
}
