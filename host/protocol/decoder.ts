/**
 * A streaming frame decoder: feed it the byte stream in chunks of any size and it reports every
 * frame with a valid LEN and CRC. It hunts for `SOF`, rejects `LEN > maxPayload`, and on a bad
 * CRC skips one byte past that `SOF` and hunts again, so a corrupted frame is never reported and
 * a real frame hidden inside a bogus one is still found.
 *
 * Cost: frames that lie wholly inside one chunk are reported as views into that chunk (no copy).
 * A frame split across chunks is assembled once into a fresh buffer, so every reported payload
 * stays valid for as long as the caller keeps it (the decoder never reuses memory it handed out),
 * provided the caller does not modify the chunks it pushed.
 */
import { crc32 } from './crc32.ts';
import { FRAME_OVERHEAD, type Frame } from './frame.ts';
import { PROTOCOL } from './spec.ts';

/** Receives one decoded frame. `payload` is a view; see the module comment for its lifetime. */
export type FrameListener = (cmd: number, id: number, payload: Uint8Array) => void;

/**
 * Receives one decoded frame without a payload view being created: the payload is
 * `bytes[offset, offset + length)`. For hot paths, where one typed-array object per frame shows
 * up as garbage-collection time.
 */
export type RawFrameListener = (cmd: number, id: number, bytes: Uint8Array, offset: number, length: number) => void;

/** Options for {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Largest accepted LEN; longer headers are treated as corrupt. Default `PROTOCOL.maxPayload`. */
  maxPayload?: number;
}

/** Counters kept by a {@link FrameDecoder}. */
export interface FrameDecoderStats {
  /** Frames reported. */
  frames: number;
  /** Frames whose CRC did not match (each costs one byte of resynchronisation). */
  crcErrors: number;
  /** Headers with `LEN > maxPayload`. */
  oversize: number;
  /** Bytes skipped while hunting for `SOF` (garbage between frames, and resynchronisation). */
  skippedBytes: number;
}

const HEADER = PROTOCOL.headerBytes;
const SOF = PROTOCOL.sof;

/** Incremental decoder for the frame format in docs/protocol.md. */
export class FrameDecoder {
  /** Error and traffic counters since construction. */
  readonly stats: FrameDecoderStats = { frames: 0, crcErrors: 0, oversize: 0, skippedBytes: 0 };
  private readonly maxPayload: number;
  /** Bytes of an incomplete frame (from its SOF on) carried to the next chunk. */
  private carry: Uint8Array;
  private carryLength = 0;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxPayload = options.maxPayload ?? PROTOCOL.maxPayload;
    this.carry = new Uint8Array(this.maxPayload + FRAME_OVERHEAD);
  }

  /** Bytes buffered from an incomplete frame. */
  get bufferedBytes(): number {
    return this.carryLength;
  }

  /** Forgets any partial frame (for example after the link was reset). */
  reset(): void {
    this.carryLength = 0;
  }

  /** Pushes the next chunk of the stream and calls `onFrame` for each complete frame, in order. */
  push(chunk: Uint8Array, onFrame: FrameListener): void {
    this.scan(chunk, (cmd, id, bytes, offset, length) => onFrame(cmd, id, bytes.subarray(offset, offset + length)));
  }

  /** Like {@link push}, but reports each payload as a range of a buffer instead of a view. */
  scan(chunk: Uint8Array, onFrame: RawFrameListener): void {
    if (chunk.length === 0) return;
    if (this.carryLength === 0) {
      this.parse(chunk, onFrame);
      return;
    }
    // A frame is in progress: only combine once enough bytes are here to finish it (or at least
    // its header), so a large frame trickling in byte by byte costs linear, not quadratic, copying.
    const have = this.carryLength + chunk.length;
    if (have < this.bytesNeeded()) {
      this.carry.set(chunk, this.carryLength);
      this.carryLength = have;
      return;
    }
    const joined = new Uint8Array(have);
    joined.set(this.carry.subarray(0, this.carryLength), 0);
    joined.set(chunk, this.carryLength);
    this.carryLength = 0;
    this.parse(joined, onFrame);
  }

  /** Pushes a chunk and returns its complete frames (convenient for tests and tools). */
  decode(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    this.push(chunk, (cmd, id, payload) => frames.push({ cmd, id, payload }));
    return frames;
  }

  /** Total bytes the carried partial frame needs before it can be decided (header or frame). */
  private bytesNeeded(): number {
    if (this.carryLength < HEADER) return HEADER;
    return (this.carry[1]! | (this.carry[2]! << 8)) + FRAME_OVERHEAD;
  }

  private parse(bytes: Uint8Array, onFrame: RawFrameListener): void {
    const end = bytes.length;
    const maxPayload = this.maxPayload;
    const stats = this.stats;
    let pos = 0;
    for (;;) {
      if (bytes[pos] !== SOF) {
        const sof = bytes.indexOf(SOF, pos);
        if (sof < 0) {
          stats.skippedBytes += end - pos;
          return;
        }
        stats.skippedBytes += sof - pos;
        pos = sof;
      }
      if (end - pos < HEADER) break;
      const length = bytes[pos + 1]! | (bytes[pos + 2]! << 8);
      if (length > maxPayload) {
        stats.oversize++;
        stats.skippedBytes++;
        pos++;
        continue;
      }
      const crcAt = pos + HEADER + length;
      if (crcAt + 4 > end) break;
      const expected =
        (bytes[crcAt]! | (bytes[crcAt + 1]! << 8) | (bytes[crcAt + 2]! << 16) | (bytes[crcAt + 3]! << 24)) >>> 0;
      if (crc32(bytes, pos + 1, crcAt) !== expected) {
        stats.crcErrors++;
        stats.skippedBytes++;
        pos++;
        continue;
      }
      stats.frames++;
      const cmd = bytes[pos + 3]!;
      const id = bytes[pos + 4]! | (bytes[pos + 5]! << 8);
      const start = pos + HEADER;
      pos = crcAt + 4;
      onFrame(cmd, id, bytes, start, length);
      if (pos >= end) return;
    }
    // An incomplete frame starts at `pos`: keep it for the next chunk.
    this.carry.set(bytes.subarray(pos, end), 0);
    this.carryLength = end - pos;
  }
}
