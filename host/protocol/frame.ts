/**
 * Frame encoding (docs/protocol.md "Frames"): `A5 | LEN u16 | CMD | ID u16 | payload | CRC u32`,
 * little-endian, CRC-32 over LEN … payload.
 */
import { crc32 } from './crc32.ts';
import { PROTOCOL } from './spec.ts';

/** Bytes a frame adds around its payload: SOF, LEN, CMD, ID and CRC. */
export const FRAME_OVERHEAD = PROTOCOL.headerBytes + PROTOCOL.crcBytes;

/** Largest frame on the wire, in bytes. */
export const MAX_FRAME_BYTES = PROTOCOL.maxPayload + FRAME_OVERHEAD;

/** One decoded frame. `payload` is a view, not a copy (see {@link FrameDecoder}). */
export interface Frame {
  /** Command code; responses have bit 7 (`PROTOCOL.responseFlag`) set. */
  cmd: number;
  /** Request id (16 bits). */
  id: number;
  /** The payload; for responses, `payload[0]` is the status. */
  payload: Uint8Array;
}

/**
 * Bytes of the device's receive ring a frame with `payloadLength` payload bytes occupies until it
 * is answered: `8 × (1 + ⌈LEN/8⌉)` (docs/protocol.md "Guarantees" 3).
 */
export function frameCost(payloadLength: number): number {
  return 8 * (1 + Math.ceil(payloadLength / 8));
}

/**
 * Writes the 6-byte frame header for a payload of `payloadLength` bytes at `target[offset]`.
 * The caller then writes the payload and calls {@link writeFrameCrc}.
 */
export function writeFrameHeader(target: Uint8Array, offset: number, cmd: number, id: number, payloadLength: number): void {
  target[offset] = PROTOCOL.sof;
  target[offset + 1] = payloadLength & 0xff;
  target[offset + 2] = payloadLength >>> 8;
  target[offset + 3] = cmd;
  target[offset + 4] = id & 0xff;
  target[offset + 5] = (id >>> 8) & 0xff;
}

/**
 * Computes and writes the CRC of the frame starting at `target[offset]` whose header is already
 * written; returns the offset just past the frame.
 */
export function writeFrameCrc(target: Uint8Array, offset: number): number {
  const length = target[offset + 1]! | (target[offset + 2]! << 8);
  const end = offset + PROTOCOL.headerBytes + length;
  const crc = crc32(target, offset + 1, end);
  target[end] = crc & 0xff;
  target[end + 1] = (crc >>> 8) & 0xff;
  target[end + 2] = (crc >>> 16) & 0xff;
  target[end + 3] = crc >>> 24;
  return end + PROTOCOL.crcBytes;
}

/**
 * Writes a whole frame into `target` at `offset` and returns the offset just past it. `target`
 * must have room for `payload.length + FRAME_OVERHEAD` bytes.
 */
export function writeFrame(target: Uint8Array, offset: number, cmd: number, id: number, payload: Uint8Array): number {
  writeFrameHeader(target, offset, cmd, id, payload.length);
  target.set(payload, offset + PROTOCOL.headerBytes);
  return writeFrameCrc(target, offset);
}

/**
 * Encodes one frame. `cmd` is a command code (requests) or `code | 0x80` (responses); `id` is
 * 16 bits; `payload` is at most `PROTOCOL.maxPayload` bytes.
 * @throws RangeError when the payload is too long or `cmd`/`id` are out of range.
 */
export function encodeFrame(cmd: number, id: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (payload.length > PROTOCOL.maxPayload) {
    throw new RangeError(`frame payload of ${payload.length} bytes exceeds maxPayload ${PROTOCOL.maxPayload}`);
  }
  if (!Number.isInteger(cmd) || cmd < 0 || cmd > 0xff) throw new RangeError(`command code ${cmd} is not a byte`);
  if (!Number.isInteger(id) || id < 0 || id > 0xffff) throw new RangeError(`frame id ${id} is not 16 bits`);
  const frame = new Uint8Array(payload.length + FRAME_OVERHEAD);
  writeFrame(frame, 0, cmd, id, payload);
  return frame;
}

/**
 * Encodes the device's answer to request `cmd`/`id`: CMD with the response flag set, and a payload
 * of the status byte followed by `result` (device models and test responders).
 */
export function encodeResponse(cmd: number, id: number, status: number, result: Uint8Array = new Uint8Array(0)): Uint8Array {
  const payload = new Uint8Array(1 + result.length);
  payload[0] = status;
  payload.set(result, 1);
  return encodeFrame(cmd | PROTOCOL.responseFlag, id, payload);
}
