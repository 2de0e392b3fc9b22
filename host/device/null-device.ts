/**
 * A device that does no work: it answers every `KECCAK` final chunk at once with an all-zero
 * digest (other chunks with a bare `OK`) and `INFO` with a synthetic identity. Served on the
 * device end of an in-memory link it measures the driver's own cost per request, since the
 * "device" adds little more than decoding and encoding frames. It does not hash; never use it
 * to check results.
 */
import { FrameDecoder } from '../protocol/decoder.ts';
import { blankInfo, encodeInfo } from '../protocol/info.ts';
import { FRAME_OVERHEAD, writeFrameCrc, writeFrameHeader } from '../protocol/frame.ts';
import { CAPABILITY, CMD, KECCAK, PROTOCOL, STATUS } from '../protocol/spec.ts';
import type { Transport } from '../transport/transport.ts';

/** Options for {@link serveNullDevice}. */
export interface NullDeviceOptions {
  /** `rxRingBytes` the device reports (the host's window), default 1 MiB. */
  rxRingBytes?: number;
}

/** Serves the null device on `transport` (the device end of a link); returns a stop function. */
export function serveNullDevice(transport: Transport, options: NullDeviceOptions = {}): () => void {
  const decoder = new FrameDecoder();
  const info = encodeInfo(blankInfo({
    capabilities: 1 << CAPABILITY.KECCAK,
    keccakCores: 1,
    keccakRoundsPerClock: 24,
    rxRingBytes: options.rxRingBytes ?? 1 << 20,
  }));
  let out = new Uint8Array(1 << 16);
  let at = 0;
  const reply = (cmd: number, id: number, status: number, result: Uint8Array | null, resultLength: number) => {
    const length = 1 + resultLength;
    if (at + length + FRAME_OVERHEAD > out.length) {
      const bigger = new Uint8Array(2 * (out.length + length + FRAME_OVERHEAD));
      bigger.set(out.subarray(0, at));
      out = bigger;
    }
    writeFrameHeader(out, at, cmd | PROTOCOL.responseFlag, id, length);
    out[at + PROTOCOL.headerBytes] = status;
    const body = at + PROTOCOL.headerBytes + 1;
    if (result) out.set(result, body);
    else out.fill(0, body, body + resultLength);
    at = writeFrameCrc(out, at);
  };
  const onFrame = (cmd: number, id: number, bytes: Uint8Array, offset: number, length: number) => {
    if (cmd === CMD.INFO) reply(cmd, id, STATUS.OK, info, info.length);
    else if (cmd === CMD.KECCAK) {
      const chunk = length >= KECCAK.chunkHeaderBytes ? (bytes[offset + 4]! & KECCAK.flagFinal) !== 0 : null;
      if (chunk === null) reply(cmd, id, STATUS.BAD_LENGTH, null, 0);
      else reply(cmd, id, STATUS.OK, null, chunk ? KECCAK.digestBytes : 0);
    } else reply(cmd, id, STATUS.UNKNOWN_CMD, null, 0);
  };
  const stopData = transport.onData((bytes) => {
    decoder.scan(bytes, onFrame);
    if (at > 0) {
      transport.write(out.slice(0, at));
      at = 0;
    }
  });
  return stopData;
}
