/**
 * The `EVM` command's records (docs/protocol.md "EVM"): 104-byte requests (opcode, 7 reserved
 * bytes, operands A, B, C as 256-bit little-endian words) and 40-byte results (256-bit result,
 * u32 cycles, status byte, 3 reserved bytes). One frame carries 1 … 39 records.
 */
import { ProtocolError } from '../errors.ts';
import { EVM } from '../protocol/spec.ts';

/** Status byte of a result record. */
export const EVM_RECORD_STATUS = {
  /** The opcode was evaluated. */
  OK: 0,
  /** The unit does not know the opcode; the result is 0. */
  UNKNOWN_OPCODE: 1,
} as const;

/** Offsets within a request record. */
const REQ_OPCODE = 0;
const REQ_A = 8;
const REQ_B = 40;
const REQ_C = 72;
/** Offsets within a result record. */
const RES_CYCLES = 32;
const RES_STATUS = 36;

const MASK64 = (1n << 64n) - 1n;

/** One operand record to encode: the raw byte code (unchecked, so tests can send unknown ones). */
export interface EvmRecordInput {
  code: number;
  a: bigint;
  b: bigint;
  c: bigint;
}

/** One decoded result record. */
export interface EvmResultRecord {
  /** The 256-bit result. */
  result: bigint;
  /** Cycles the opcode unit took for this opcode. */
  cycles: number;
  /** {@link EVM_RECORD_STATUS}: 0 ok, 1 unknown opcode. */
  status: number;
}

/**
 * Writes `value` (0 ≤ value < 2^256, not checked) as a 32-byte little-endian word at `offset`.
 */
export function writeWord(view: DataView, offset: number, value: bigint): void {
  view.setBigUint64(offset, value & MASK64, true);
  view.setBigUint64(offset + 8, (value >> 64n) & MASK64, true);
  view.setBigUint64(offset + 16, (value >> 128n) & MASK64, true);
  view.setBigUint64(offset + 24, (value >> 192n) & MASK64, true);
}

/** Reads a 32-byte little-endian word at `offset`. */
export function readWord(view: DataView, offset: number): bigint {
  return (
    view.getBigUint64(offset, true) |
    (view.getBigUint64(offset + 8, true) << 64n) |
    (view.getBigUint64(offset + 16, true) << 128n) |
    (view.getBigUint64(offset + 24, true) << 192n)
  );
}

/**
 * Encodes `ops[start, end)` as one `EVM` request payload (104 bytes per record, reserved bytes 0).
 * @throws RangeError when the range is empty or longer than `EVM.maxOpsPerFrame` (39).
 */
export function encodeEvmRecords(ops: readonly EvmRecordInput[], start = 0, end = ops.length): Uint8Array {
  const count = end - start;
  if (count < 1 || count > EVM.maxOpsPerFrame) {
    throw new RangeError(`an EVM frame carries 1 to ${EVM.maxOpsPerFrame} records, not ${count}`);
  }
  const payload = new Uint8Array(count * EVM.recordBytes);
  const view = new DataView(payload.buffer);
  for (let i = 0; i < count; i++) {
    const op = ops[start + i]!;
    const at = i * EVM.recordBytes;
    payload[at + REQ_OPCODE] = op.code;
    writeWord(view, at + REQ_A, op.a);
    writeWord(view, at + REQ_B, op.b);
    writeWord(view, at + REQ_C, op.c);
  }
  return payload;
}

/** Decodes an `EVM` request payload back into records (for device models and tools). */
export function decodeEvmRecords(payload: Uint8Array): EvmRecordInput[] {
  if (payload.length === 0 || payload.length % EVM.recordBytes !== 0) {
    throw new ProtocolError(`EVM request payload of ${payload.length} bytes is not a whole number of ${EVM.recordBytes}-byte records`);
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const out: EvmRecordInput[] = [];
  for (let at = 0; at < payload.length; at += EVM.recordBytes) {
    out.push({ code: payload[at + REQ_OPCODE]!, a: readWord(view, at + REQ_A), b: readWord(view, at + REQ_B), c: readWord(view, at + REQ_C) });
  }
  return out;
}

/** Encodes result records (the `OK` answer after its status byte; for device models). */
export function encodeEvmResults(results: readonly EvmResultRecord[]): Uint8Array {
  const out = new Uint8Array(results.length * EVM.resultBytes);
  const view = new DataView(out.buffer);
  results.forEach((r, i) => {
    const at = i * EVM.resultBytes;
    writeWord(view, at, r.result);
    view.setUint32(at + RES_CYCLES, r.cycles, true);
    out[at + RES_STATUS] = r.status;
  });
  return out;
}

/**
 * Decodes the result of an `EVM` answer (the payload after the status byte): 40 bytes per record.
 * @throws ProtocolError when the length is not a whole number of records, or `expected` records.
 */
export function decodeEvmResults(result: Uint8Array, expected?: number): EvmResultRecord[] {
  if (result.length % EVM.resultBytes !== 0 || (expected !== undefined && result.length !== expected * EVM.resultBytes)) {
    const want = expected === undefined ? `a multiple of ${EVM.resultBytes}` : `${expected * EVM.resultBytes}`;
    throw new ProtocolError(`EVM result of ${result.length} bytes, expected ${want}`);
  }
  const view = new DataView(result.buffer, result.byteOffset, result.byteLength);
  const out = new Array<EvmResultRecord>(result.length / EVM.resultBytes);
  for (let i = 0, at = 0; at < result.length; i++, at += EVM.resultBytes) {
    out[i] = { result: readWord(view, at), cycles: view.getUint32(at + RES_CYCLES, true), status: result[at + RES_STATUS]! };
  }
  return out;
}

/** Result bytes an `EVM` answer carries for a request payload of `payloadLength` bytes. */
export function evmResultLength(payloadLength: number): number {
  return (payloadLength / EVM.recordBytes) * EVM.resultBytes;
}
