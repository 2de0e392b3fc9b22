import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../host/protocol/crc32.ts';
import { FrameDecoder } from '../../host/protocol/decoder.ts';
import { encodeFrame, frameCost, type Frame } from '../../host/protocol/frame.ts';
import { chunkCount, decodeKeccakChunk, encodeKeccakChunk, nextChunkLength, MAX_FINAL_CHUNK_DATA } from '../../host/protocol/keccak.ts';
import { InvalidInputError } from '../../host/errors.ts';
import { PROTOCOL } from '../../host/protocol/spec.ts';

const frameArb = fc.record({
  cmd: fc.integer({ min: 0, max: 255 }),
  id: fc.integer({ min: 0, max: 0xffff }),
  payload: fc.uint8Array({ maxLength: 300 }),
});

/** Splits `bytes` at the given cut points (any chunking of the stream). */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.slice(last, p));
    last = p;
  }
  out.push(bytes.slice(last));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function decodeAll(chunks: Uint8Array[], decoder = new FrameDecoder()): Frame[] {
  return chunks.flatMap((c) => decoder.decode(c)).map((f) => ({ ...f, payload: f.payload.slice() }));
}

describe('crc32', () => {
  it('matches the IEEE check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
  it('agrees between the table loop and zlib at every length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), (bytes, s) => {
        const start = bytes.length ? s % bytes.length : 0;
        // Reference: plain bitwise CRC.
        let c = 0xffffffff;
        for (let i = start; i < bytes.length; i++) {
          c ^= bytes[i]!;
          for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
        }
        expect(crc32(bytes, start)).toBe((c ^ 0xffffffff) >>> 0);
      }),
    );
  });
});

describe('frames', () => {
  it('encodes the documented layout', () => {
    const f = encodeFrame(0x02, 0x1234, new Uint8Array([0xaa, 0xbb]));
    expect([...f.subarray(0, 8)]).toEqual([0xa5, 2, 0, 0x02, 0x34, 0x12, 0xaa, 0xbb]);
    const crc = crc32(f, 1, 8);
    expect([...f.subarray(8)]).toEqual([crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24]);
  });
  it('rejects oversize payloads and bad ids', () => {
    expect(() => encodeFrame(1, 0, new Uint8Array(PROTOCOL.maxPayload + 1))).toThrow(RangeError);
    expect(() => encodeFrame(1, 0x10000)).toThrow(RangeError);
  });
  it('computes ring cost', () => {
    expect(frameCost(0)).toBe(8);
    expect(frameCost(1)).toBe(16);
    expect(frameCost(8)).toBe(16);
    expect(frameCost(40)).toBe(48);
    expect(frameCost(4096)).toBe(4104);
  });
  it('round-trips any frames under any chunking', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const stream = concat(frames.map((f) => encodeFrame(f.cmd, f.id, f.payload)));
        expect(decodeAll(chunk(stream, cuts))).toEqual(frames);
      }),
    );
  });
  it('skips garbage between frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 40 }), frameArb), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (items, cuts) => {
          // Garbage never contains SOF here, so no frame can be swallowed by a bogus header.
          const parts = items.flatMap(([garbage, f]) => [garbage.map((b) => (b === 0xa5 ? 0 : b)), encodeFrame(f.cmd, f.id, f.payload)]);
          const decoder = new FrameDecoder();
          expect(decodeAll(chunk(concat(parts), cuts), decoder)).toEqual(items.map(([, f]) => f));
          expect(decoder.stats.crcErrors).toBe(0);
        },
      ),
    );
  });
  it('never reports a corrupted frame, and recovers the frames after it', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (frames, which, where, flip, cuts) => {
          const encoded = frames.map((f) => encodeFrame(f.cmd, f.id, f.payload));
          const k = which % frames.length;
          const bad = encoded[k]!.slice();
          const at = where % bad.length;
          bad[at] = bad[at]! ^ flip;
          encoded[k] = bad;
          // A trailing long-enough quiet frame makes sure a corrupted LEN cannot hold the rest back.
          const tail = encodeFrame(0x7f, 0xbeef, new Uint8Array(PROTOCOL.maxPayload));
          const decoded = decodeAll(chunk(concat([...encoded, tail, tail]), cuts));
          const good = new Set([...frames.map((f) => JSON.stringify({ ...f, payload: [...f.payload] }))]);
          good.add(JSON.stringify({ cmd: 0x7f, id: 0xbeef, payload: [...new Uint8Array(PROTOCOL.maxPayload)] }));
          // Every reported frame is one that was sent intact...
          for (const f of decoded) expect(good.has(JSON.stringify({ ...f, payload: [...f.payload] }))).toBe(true);
          // ...the frames after the corrupted one are recovered (in order).
          const after = frames.slice(k + 1);
          const seen = decoded.filter((f) => f.id !== 0xbeef || f.cmd !== 0x7f);
          if (after.length > 0) expect(seen.slice(-after.length)).toEqual(after);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('handles a frame arriving one byte at a time', () => {
    const f = encodeFrame(0x82, 7, new Uint8Array(4096).fill(3));
    const decoder = new FrameDecoder();
    const out: Frame[] = [];
    for (let i = 0; i < f.length; i++) out.push(...decoder.decode(f.subarray(i, i + 1)));
    expect(out).toHaveLength(1);
    expect(out[0]!.payload).toEqual(new Uint8Array(4096).fill(3));
    expect(decoder.bufferedBytes).toBe(0);
  });
  it('counts oversize headers', () => {
    const decoder = new FrameDecoder();
    decoder.decode(new Uint8Array([0xa5, 0xff, 0xff, 1, 0, 0]));
    expect(decoder.stats.oversize).toBe(1);
  });
});

describe('keccak chunks', () => {
  it('encodes the chunk header', () => {
    const p = encodeKeccakChunk(0x01020304, true, new Uint8Array([9]));
    expect([...p]).toEqual([4, 3, 2, 1, 1, 0, 0, 0, 9]);
    expect(decodeKeccakChunk(p)).toEqual({ offset: 0x01020304, final: true, data: new Uint8Array([9]) });
    expect(decodeKeccakChunk(new Uint8Array(7))).toBeNull();
  });
  it('enforces the chunk rules', () => {
    expect(() => encodeKeccakChunk(0, false, new Uint8Array(100))).toThrow(InvalidInputError);
    expect(() => encodeKeccakChunk(0, false, new Uint8Array(4216))).toThrow(InvalidInputError);
    expect(() => encodeKeccakChunk(0, true, new Uint8Array(4089))).toThrow(InvalidInputError);
    expect(encodeKeccakChunk(0, false, new Uint8Array(4080))).toHaveLength(4088);
    expect(encodeKeccakChunk(0, true, new Uint8Array(4088))).toHaveLength(4096);
  });
  it('splits messages into 4080-byte chunks and a final one', () => {
    expect(MAX_FINAL_CHUNK_DATA).toBe(4088);
    expect(nextChunkLength(4088)).toBe(4088);
    expect(nextChunkLength(4089)).toBe(4080);
    expect(chunkCount(0)).toBe(1);
    expect(chunkCount(4088)).toBe(1);
    expect(chunkCount(4089)).toBe(2);
    expect(chunkCount(4080 + 4088)).toBe(2);
    expect(chunkCount(4080 + 4089)).toBe(3);
    // 256 chunks of 4080 leave 4096 > 4088, so one more 4080 and a final 16.
    expect(chunkCount(1 << 20)).toBe(258);
  });
});
