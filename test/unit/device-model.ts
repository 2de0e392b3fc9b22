/**
 * A TypeScript model of the device side of docs/protocol.md, for unit tests of the driver only
 * (the real device is the RTL in Verilator; the integration tests use that). It models:
 *
 * - the framer, byte by byte: hunts `SOF`; answers `OVERSIZE` as soon as a header with
 *   `LEN > maxPayload` is in and hunts again from the byte after the header; answers `CRC` with
 *   `CMD`/`ID` as received; answers `TRUNCATED` when the link is quiet mid-frame (after the
 *   header) for `frameTimeoutMs`, and silently drops an incomplete header;
 * - the receive ring: a frame holds `8 × (1 + ⌈LEN/8⌉)` bytes until answered, a frame that
 *   does not fit is answered `OVERFLOW`; frames are executed `framesPerTurn` per event-loop turn,
 *   so a host that ignores the window overflows it;
 * - one Keccak sponge context with the chunk rules (`OFFSET`, `FINAL`, `SEQUENCE`,
 *   `BAD_LENGTH`), hashing with hash-wasm's Keccak-256 as the reference;
 * - answers strictly in arrival order.
 *
 * Faults are injected per frame on both directions through {@link ModelFaults}.
 */
import { createKeccak, type IHasher } from 'hash-wasm';
import { crc32 } from '../../host/protocol/crc32.ts';
import { FrameDecoder } from '../../host/protocol/decoder.ts';
import { encodeFrame, frameCost, encodeResponse } from '../../host/protocol/frame.ts';
import { blankInfo, encodeInfo } from '../../host/protocol/info.ts';
import { CAPABILITY, CMD, KECCAK, PROTOCOL, STATUS } from '../../host/protocol/spec.ts';
import type { Transport } from '../../host/transport/transport.ts';

/** What to do with one frame crossing the link. */
export type FrameFault = 'pass' | 'drop' | 'corrupt' | 'truncate' | 'duplicate' | 'delay';

/** Fault injection: called once per frame; `index` counts frames in that direction from 0. */
export interface ModelFaults {
  /** Host → device (applied before the model's framer sees the bytes). */
  request?: (frame: { cmd: number; id: number; index: number; bytes: Uint8Array }) => FrameFault;
  /** Device → host. `delay` holds the answer back and sends it after the next one. */
  response?: (frame: { cmd: number; id: number; index: number; status: number; bytes: Uint8Array }) => FrameFault;
  /** Source of randomness for `corrupt` and `truncate` (default Math.random). */
  random?: () => number;
}

/** Options of {@link createDeviceModel}. */
export interface DeviceModelOptions {
  rxRingBytes?: number;
  /** Frames executed per event-loop turn (models the device's processing rate). */
  framesPerTurn?: number;
  /** Quiet time mid-frame before `TRUNCATED`, ms. */
  frameTimeoutMs?: number;
  /** Commands the model implements (default INFO and KECCAK). */
  commands?: number[];
  faults?: ModelFaults;
}

/** Counters of the model, for assertions. */
export interface DeviceModelCounters {
  framesOk: number;
  crcErrors: number;
  frameErrors: number;
  hashes: number;
  permutations: number;
  answers: number;
  statusCounts: Record<number, number>;
}

/** A running device model. */
export interface DeviceModel {
  readonly counters: DeviceModelCounters;
  /** While true the model reads and buffers frames but answers nothing. */
  stalled: boolean;
  /** Stops serving. */
  stop(): void;
}

interface Pending {
  cmd: number;
  id: number;
  /** Status to answer without executing, or -1 to execute. */
  status: number;
  payload: Uint8Array;
  cost: number;
}

/** Serves the model on `transport` (the device end of a memory link). */
export async function createDeviceModel(transport: Transport, options: DeviceModelOptions = {}): Promise<DeviceModel> {
  const rxRingBytes = options.rxRingBytes ?? 8192;
  const framesPerTurn = options.framesPerTurn ?? 64;
  const frameTimeoutMs = options.frameTimeoutMs ?? 20;
  const commands = new Set(options.commands ?? [CMD.INFO, CMD.KECCAK]);
  const faults = options.faults ?? {};
  const random = faults.random ?? Math.random;
  const hasher: IHasher = await createKeccak(256);
  const counters: DeviceModelCounters = {
    framesOk: 0,
    crcErrors: 0,
    frameErrors: 0,
    hashes: 0,
    permutations: 0,
    answers: 0,
    statusCounts: {},
  };

  // Sponge context: absorbed bytes of the current message, or -1 when there is none.
  let absorbed = -1;
  // Receive ring: frames in arrival order, answered in order.
  const queue: Pending[] = [];
  let ringUsed = 0;
  let stopped = false;
  let requestIndex = 0;
  let responseIndex = 0;
  let delayed: Uint8Array | null = null;
  let outbox: Uint8Array[] = [];

  // ---- framer state (byte-level, like rx_framer) ----
  const header = new Uint8Array(PROTOCOL.headerBytes);
  let headerFill = 0; // 0: hunting
  let body: Uint8Array | null = null; // payload + CRC once the header is in
  let bodyFill = 0;
  let quietTimer: NodeJS.Timeout | null = null;

  const model: DeviceModel = {
    counters,
    stalled: false,
    stop() {
      stopped = true;
      if (quietTimer) clearTimeout(quietTimer);
      offData();
    },
  };

  function enqueue(p: Pending): void {
    queue.push(p);
    scheduleExecute();
  }

  function framerByte(byte: number): void {
    if (headerFill === 0) {
      if (byte === PROTOCOL.sof) header[headerFill++] = byte;
      return;
    }
    if (body === null) {
      header[headerFill++] = byte;
      if (headerFill < PROTOCOL.headerBytes) return;
      const length = header[1]! | (header[2]! << 8);
      const cmd = header[3]!;
      const id = header[4]! | (header[5]! << 8);
      if (length > PROTOCOL.maxPayload) {
        counters.frameErrors++;
        enqueue({ cmd, id, status: STATUS.OVERSIZE, payload: new Uint8Array(0), cost: 0 });
        headerFill = 0;
        return;
      }
      body = new Uint8Array(length + PROTOCOL.crcBytes);
      bodyFill = 0;
      return;
    }
    body[bodyFill++] = byte;
    if (bodyFill < body.length) return;
    const length = body.length - PROTOCOL.crcBytes;
    const cmd = header[3]!;
    const id = header[4]! | (header[5]! << 8);
    const joined = new Uint8Array(PROTOCOL.headerBytes - 1 + length);
    joined.set(header.subarray(1), 0);
    joined.set(body.subarray(0, length), PROTOCOL.headerBytes - 1);
    const crc = (body[length]! | (body[length + 1]! << 8) | (body[length + 2]! << 16) | (body[length + 3]! << 24)) >>> 0;
    const payload = body.subarray(0, length);
    headerFill = 0;
    body = null;
    if (crc32(joined) !== crc) {
      counters.crcErrors++;
      enqueue({ cmd, id, status: STATUS.CRC, payload: new Uint8Array(0), cost: 0 });
      return;
    }
    const cost = frameCost(length);
    if (ringUsed + cost > rxRingBytes) {
      counters.frameErrors++;
      enqueue({ cmd, id, status: STATUS.OVERFLOW, payload: new Uint8Array(0), cost: 0 });
      return;
    }
    counters.framesOk++;
    ringUsed += cost;
    enqueue({ cmd, id, status: -1, payload, cost });
  }

  function framerChunk(bytes: Uint8Array): void {
    for (const byte of bytes) framerByte(byte);
    if (quietTimer) clearTimeout(quietTimer);
    quietTimer = null;
    if (headerFill > 0) {
      quietTimer = setTimeout(() => {
        quietTimer = null;
        if (stopped) return;
        if (body !== null) {
          counters.frameErrors++;
          enqueue({ cmd: header[3]!, id: header[4]! | (header[5]! << 8), status: STATUS.TRUNCATED, payload: new Uint8Array(0), cost: 0 });
        }
        headerFill = 0;
        body = null;
      }, frameTimeoutMs);
    }
  }

  // ---- request-side fault injection: split the host's writes into frames ----
  const requestSplitter = new FrameDecoder();
  function receive(chunk: Uint8Array): void {
    if (stopped) return;
    if (!faults.request) {
      framerChunk(chunk);
      return;
    }
    const pieces: Uint8Array[] = [];
    requestSplitter.push(chunk, (cmd, id, payload) => {
      const bytes = encodeFrame(cmd, id, payload);
      const fault = faults.request!({ cmd, id, index: requestIndex++, bytes });
      pieces.push(...applyFault(fault, bytes));
    });
    for (const piece of pieces) framerChunk(piece);
  }

  function applyFault(fault: FrameFault, bytes: Uint8Array): Uint8Array[] {
    switch (fault) {
      case 'drop':
        return [];
      case 'corrupt': {
        const copy = bytes.slice();
        const at = Math.floor(random() * copy.length);
        copy[at] = copy[at]! ^ (1 + Math.floor(random() * 255));
        return [copy];
      }
      case 'truncate':
        return [bytes.subarray(0, 1 + Math.floor(random() * (bytes.length - 1)))];
      case 'duplicate':
        return [bytes, bytes];
      default:
        return [bytes];
    }
  }

  // ---- execution, in order ----
  let executeScheduled = false;
  function scheduleExecute(): void {
    if (executeScheduled || stopped) return;
    executeScheduled = true;
    setImmediate(execute);
  }

  function execute(): void {
    executeScheduled = false;
    if (stopped) return;
    if (model.stalled) {
      if (queue.length) setTimeout(scheduleExecute, 5);
      return;
    }
    let n = 0;
    while (queue.length > 0 && n < framesPerTurn) {
      const p = queue.shift()!;
      n++;
      ringUsed -= p.cost;
      const result = p.status >= 0 ? { status: p.status, result: new Uint8Array(0) } : run(p.cmd, p.payload);
      respond(p.cmd, p.id, result.status, result.result);
    }
    flush();
    if (queue.length > 0) scheduleExecute();
  }

  function run(cmd: number, payload: Uint8Array): { status: number; result: Uint8Array } {
    if (!commands.has(cmd)) {
      counters.frameErrors++;
      return { status: STATUS.UNKNOWN_CMD, result: new Uint8Array(0) };
    }
    if (cmd === CMD.INFO) return { status: STATUS.OK, result: infoResult() };
    if (payload.length < KECCAK.chunkHeaderBytes) return keccakError(STATUS.BAD_LENGTH);
    const offset = (payload[0]! | (payload[1]! << 8) | (payload[2]! << 16) | (payload[3]! << 24)) >>> 0;
    const final = (payload[4]! & KECCAK.flagFinal) !== 0;
    const data = payload.subarray(KECCAK.chunkHeaderBytes);
    if (offset === 0) {
      hasher.init();
      absorbed = 0;
    } else if (offset !== absorbed) {
      return keccakError(STATUS.SEQUENCE);
    }
    if (!final && (data.length % KECCAK.rateBytes !== 0 || data.length > KECCAK.maxChunkData)) {
      return keccakError(STATUS.BAD_LENGTH);
    }
    hasher.update(data);
    absorbed += data.length;
    if (!final) {
      counters.permutations += data.length / KECCAK.rateBytes;
      return { status: STATUS.OK, result: new Uint8Array(0) };
    }
    counters.permutations += Math.floor(data.length / KECCAK.rateBytes) + 1;
    counters.hashes++;
    absorbed = -1;
    return { status: STATUS.OK, result: hasher.digest('binary') };
  }

  function keccakError(status: number): { status: number; result: Uint8Array } {
    counters.frameErrors++;
    absorbed = -1;
    return { status, result: new Uint8Array(0) };
  }

  function infoResult(): Uint8Array {
    return encodeInfo(
      blankInfo({
        buildId: 0x12345678,
        clockHz: 48_000_000,
        capabilities: 1 << CAPABILITY.KECCAK,
        keccakCores: 1,
        keccakRoundsPerClock: 1,
        rxRingBytes,
        uartDivider: 16,
        totalCycles: 1000n,
        busyCycles: 10n,
        keccakCycles: 5n,
        framesOk: counters.framesOk,
        crcErrors: counters.crcErrors,
        frameErrors: counters.frameErrors,
        permutations: counters.permutations,
        hashes: counters.hashes,
        permutationCycles: BigInt(counters.permutations * 24),
      }),
    );
  }

  function respond(cmd: number, id: number, status: number, result: Uint8Array): void {
    counters.answers++;
    counters.statusCounts[status] = (counters.statusCounts[status] ?? 0) + 1;
    const bytes = encodeResponse(cmd, id, status, result);
    const fault = faults.response?.({ cmd, id, index: responseIndex++, status, bytes }) ?? 'pass';
    if (fault === 'delay') {
      if (delayed) outbox.push(delayed);
      delayed = bytes;
      return;
    }
    outbox.push(...applyFault(fault, bytes));
    if (delayed) {
      outbox.push(delayed);
      delayed = null;
    }
  }

  function flush(): void {
    if (outbox.length === 0) return;
    const total = outbox.reduce((n, b) => n + b.length, 0);
    const joined = new Uint8Array(total);
    let at = 0;
    for (const b of outbox) {
      joined.set(b, at);
      at += b.length;
    }
    outbox = [];
    transport.write(joined);
  }

  const offData = transport.onData(receive);
  return model;
}
