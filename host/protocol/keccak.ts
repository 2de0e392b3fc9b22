/**
 * The `KECCAK` command's chunk format (docs/protocol.md "KECCAK"): an 8-byte header
 * (`OFFSET u32`, `FLAGS u8` with bit 0 `FINAL`, 3 reserved bytes) followed by message bytes.
 */
import { InvalidInputError } from '../errors.ts';
import { writeFrameCrc, writeFrameHeader } from './frame.ts';
import { CMD, KECCAK, PROTOCOL } from './spec.ts';

/** Most message bytes a `FINAL` chunk can carry: `maxPayload − 8` = 4,088. */
export const MAX_FINAL_CHUNK_DATA = PROTOCOL.maxPayload - KECCAK.chunkHeaderBytes;

/**
 * Length of the chunk that carries `remaining` message bytes next: everything when it fits one
 * final chunk, else `KECCAK.maxChunkData` (4,080 = 30 whole blocks), a non-final chunk.
 */
export function nextChunkLength(remaining: number): number {
  return remaining <= MAX_FINAL_CHUNK_DATA ? remaining : KECCAK.maxChunkData;
}

/** Number of `KECCAK` frames a message of `length` bytes travels in. */
export function chunkCount(length: number): number {
  if (length <= MAX_FINAL_CHUNK_DATA) return 1;
  return 1 + Math.ceil((length - MAX_FINAL_CHUNK_DATA) / KECCAK.maxChunkData);
}

/**
 * Encodes a `KECCAK` request payload: chunk header then `data`.
 * @param offset byte offset of `data` within the message (0 starts a new message)
 * @param final whether this chunk ends the message (the device answers with the digest)
 * @throws InvalidInputError when the chunk breaks the chunk rules (size, block alignment, offset).
 */
export function encodeKeccakChunk(offset: number, final: boolean, data: Uint8Array): Uint8Array {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0xffffffff) {
    throw new InvalidInputError(`Keccak chunk offset ${offset} is not a u32`);
  }
  const limit = final ? MAX_FINAL_CHUNK_DATA : KECCAK.maxChunkData;
  if (data.length > limit) throw new InvalidInputError(`Keccak chunk of ${data.length} bytes exceeds ${limit}`);
  if (!final && data.length % KECCAK.rateBytes !== 0) {
    throw new InvalidInputError(`non-final Keccak chunk of ${data.length} bytes is not a multiple of ${KECCAK.rateBytes}`);
  }
  const payload = new Uint8Array(KECCAK.chunkHeaderBytes + data.length);
  writeChunkHeader(payload, 0, offset, final);
  payload.set(data, KECCAK.chunkHeaderBytes);
  return payload;
}

/**
 * Writes a whole `KECCAK` request frame for `message[offset, offset + length)` into `target` at
 * `at` and returns the offset past it. The hot path of the driver; no checks, no allocation.
 */
export function writeKeccakFrame(
  target: Uint8Array,
  at: number,
  id: number,
  message: Uint8Array,
  offset: number,
  length: number,
  final: boolean,
): number {
  writeFrameHeader(target, at, CMD.KECCAK, id, KECCAK.chunkHeaderBytes + length);
  const body = at + PROTOCOL.headerBytes;
  writeChunkHeader(target, body, offset, final);
  const dataAt = body + KECCAK.chunkHeaderBytes;
  if (length <= 64) {
    // A short copy loop beats the setup cost of TypedArray#set + subarray for small messages.
    for (let i = 0; i < length; i++) target[dataAt + i] = message[offset + i]!;
  } else {
    target.set(message.subarray(offset, offset + length), dataAt);
  }
  return writeFrameCrc(target, at);
}

function writeChunkHeader(target: Uint8Array, at: number, offset: number, final: boolean): void {
  target[at] = offset & 0xff;
  target[at + 1] = (offset >>> 8) & 0xff;
  target[at + 2] = (offset >>> 16) & 0xff;
  target[at + 3] = (offset >>> 24) & 0xff;
  target[at + 4] = final ? KECCAK.flagFinal : 0;
  target[at + 5] = 0;
  target[at + 6] = 0;
  target[at + 7] = 0;
}

/** A decoded `KECCAK` chunk header (used by device models and tools that read requests). */
export interface KeccakChunk {
  /** Byte offset of `data` within the message. */
  offset: number;
  /** Whether the chunk ends the message. */
  final: boolean;
  /** The chunk's message bytes (a view into the payload). */
  data: Uint8Array;
}

/** Splits a `KECCAK` request payload into header fields and data; `null` when `LEN < 8`. */
export function decodeKeccakChunk(payload: Uint8Array): KeccakChunk | null {
  if (payload.length < KECCAK.chunkHeaderBytes) return null;
  const offset = (payload[0]! | (payload[1]! << 8) | (payload[2]! << 16) | (payload[3]! << 24)) >>> 0;
  return {
    offset,
    final: (payload[4]! & KECCAK.flagFinal) !== 0,
    data: payload.subarray(KECCAK.chunkHeaderBytes),
  };
}
