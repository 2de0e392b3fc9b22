/**
 * The wire format of the `STORAGE` command (docs/protocol.md "STORAGE"): the 8-byte request
 * header, the 8-byte access records, and the 16-byte check result; and the fixed reduction of the
 * executor's 64-bit access-key digests to the device's 31-bit keys.
 */
import { InvalidInputError, ProtocolError } from '../errors.ts';
import { STORAGE } from '../protocol/spec.ts';

/** One access record as the device sees it. */
export interface StorageRecord {
  /** 31-bit key digest (0 … 2^31 − 1); see {@link reduceKeyDigest}. */
  key: number;
  write: boolean;
  /** The transaction's index in the block, 0 … 0xFFFE (0xFFFF is the pre-state version). */
  tx: number;
  /** For a read: the writer whose value it saw, 0xFFFF = the pre-state. Ignored for a write (sent as 0). */
  version: number;
}

/** The decoded 16-byte answer to one `STORAGE` frame. */
export interface StorageFrameResult {
  /** Records of this frame the unit looked at. */
  looked: number;
  /** A read in this frame failed: `invalidTx` and `invalidKey` are set. */
  invalid: boolean;
  /** The table is full (holds until RESET): nothing the unit said since is to be trusted. */
  overflow: boolean;
  /** The batch had stopped before this frame: the frame was not looked at. */
  stopped: boolean;
  invalidTx: number;
  /** The 31-bit key whose read failed. */
  invalidKey: number;
  /** Clock cycles the unit spent on this frame. */
  cycles: number;
}

/** The answer flags (byte 2 of the result). */
export const STORAGE_RESULT_FLAGS = { INVALID: 1, OVERFLOW: 2, STOPPED: 4 } as const;

/** Largest transaction index a record can carry (0xFFFF is reserved for the pre-state version). */
export const STORAGE_MAX_TX = STORAGE.preStateVersion - 1;

const KEY_MASK = 0x7fff_ffff;

/**
 * The device key of a 64-bit access-key digest: the XOR of its two 32-bit halves, folded to 31 bits
 * (bit 31 of the XOR is XORed into bit 0). Fixed, so the device table and any host-side model agree.
 * Different digests may share a device key; the device then reports a false conflict at worst,
 * which {@link DeviceStorageChecker} re-checks on the host (docs/storage-check-unit.md).
 */
export function reduceKeyDigest(digest: bigint): number {
  const x = (Number(digest & 0xffff_ffffn) ^ Number((digest >> 32n) & 0xffff_ffffn)) >>> 0;
  return ((x & KEY_MASK) ^ (x >>> 31)) >>> 0;
}

/** Bytes of a CHECK payload carrying `n` records. */
export function storagePayloadLength(n: number): number {
  return STORAGE.headerBytes + n * STORAGE.recordBytes;
}

/** The RESET request payload: the header alone. */
export function encodeStorageReset(): Uint8Array {
  const p = new Uint8Array(STORAGE.headerBytes);
  p[0] = STORAGE.opReset;
  return p;
}

/**
 * A CHECK payload with `records[start, end)` (at most 511). `first` sets FLAGS.FIRST: the frame
 * starts a new batch. Records are validated (InvalidInputError naming the index).
 */
export function encodeStorageCheck(records: readonly StorageRecord[], start: number, end: number, first: boolean): Uint8Array {
  const n = end - start;
  if (n < 0 || n > STORAGE.maxRecordsPerFrame) throw new InvalidInputError(`a STORAGE frame carries 0 … ${STORAGE.maxRecordsPerFrame} records, not ${n}`);
  const p = new Uint8Array(storagePayloadLength(n));
  const v = new DataView(p.buffer);
  p[0] = STORAGE.opCheck;
  p[1] = first ? STORAGE.flagFirst : 0;
  for (let i = 0; i < n; i++) {
    const r = records[start + i]!;
    if (!Number.isInteger(r.key) || r.key < 0 || r.key > KEY_MASK) throw new InvalidInputError(`storage record ${start + i}: key ${r.key} is not a 31-bit integer`);
    if (!Number.isInteger(r.tx) || r.tx < 0 || r.tx > STORAGE_MAX_TX) throw new InvalidInputError(`storage record ${start + i}: tx ${r.tx} is out of range 0 … ${STORAGE_MAX_TX}`);
    if (!r.write && (!Number.isInteger(r.version) || r.version < 0 || r.version > STORAGE.preStateVersion)) {
      throw new InvalidInputError(`storage record ${start + i}: version ${r.version} is out of range 0 … 0xffff`);
    }
    const o = STORAGE.headerBytes + i * STORAGE.recordBytes;
    v.setUint32(o, (r.key | (r.write ? 0x8000_0000 : 0)) >>> 0, true);
    v.setUint16(o + 4, r.tx, true);
    v.setUint16(o + 6, r.write ? 0 : r.version, true);
  }
  return p;
}

/** Decodes a CHECK payload (for device models and tools). */
export function decodeStorageRequest(p: Uint8Array): { op: number; first: boolean; records: StorageRecord[] } {
  if (p.length < STORAGE.headerBytes || (p.length - STORAGE.headerBytes) % STORAGE.recordBytes !== 0) {
    throw new ProtocolError(`a STORAGE payload of ${p.length} bytes is not 8 + 8 × N`);
  }
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const records: StorageRecord[] = [];
  for (let o = STORAGE.headerBytes; o < p.length; o += STORAGE.recordBytes) {
    const w = v.getUint32(o, true);
    records.push({ key: w & KEY_MASK, write: w >>> 31 === 1, tx: v.getUint16(o + 4, true), version: v.getUint16(o + 6, true) });
  }
  return { op: p[0]!, first: (p[1]! & STORAGE.flagFirst) !== 0, records };
}

/** Decodes the 16-byte result (the payload after the OK status). */
export function decodeStorageResult(r: Uint8Array): StorageFrameResult {
  if (r.length !== STORAGE.resultBytes) throw new ProtocolError(`a STORAGE result is ${STORAGE.resultBytes} bytes, got ${r.length}`);
  const v = new DataView(r.buffer, r.byteOffset, r.byteLength);
  const flags = r[2]!;
  return {
    looked: v.getUint16(0, true),
    invalid: (flags & STORAGE_RESULT_FLAGS.INVALID) !== 0,
    overflow: (flags & STORAGE_RESULT_FLAGS.OVERFLOW) !== 0,
    stopped: (flags & STORAGE_RESULT_FLAGS.STOPPED) !== 0,
    invalidTx: v.getUint16(4, true),
    invalidKey: v.getUint32(8, true),
    cycles: v.getUint32(12, true),
  };
}

/** Encodes a result (for device models). */
export function encodeStorageResult(r: StorageFrameResult): Uint8Array {
  const out = new Uint8Array(STORAGE.resultBytes);
  const v = new DataView(out.buffer);
  v.setUint16(0, r.looked, true);
  out[2] = (r.invalid ? STORAGE_RESULT_FLAGS.INVALID : 0) | (r.overflow ? STORAGE_RESULT_FLAGS.OVERFLOW : 0) | (r.stopped ? STORAGE_RESULT_FLAGS.STOPPED : 0);
  v.setUint16(4, r.invalidTx, true);
  v.setUint32(8, r.invalidKey >>> 0, true);
  v.setUint32(12, r.cycles >>> 0, true);
  return out;
}
