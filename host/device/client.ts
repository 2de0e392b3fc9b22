/**
 * The request engine: turns Keccak messages and INFO requests into frames, keeps them in flight
 * within the device's flow-control window, matches answers to requests, and retries what the
 * link lost. It relies on the device's guarantees (docs/protocol.md "Guarantees"):
 *
 * - Answers come back in send order, so an answer to request k means every earlier unanswered
 *   request was lost: those are retried at once.
 * - A frame occupies `8 × (1 + ⌈LEN/8⌉)` bytes of the device's receive ring until answered; the
 *   engine keeps the sum over unanswered requests within `windowBytes`.
 * - Only idempotent work is retried: INFO, Keccak messages as a whole from offset 0, and
 *   single-frame requests of stateless commands (EVM), with fresh ids. An answer whose id is not
 *   outstanding is counted and dropped, so nothing is answered twice.
 *
 * Work is organised in jobs (one INFO, one Keccak message, or one single-frame request of a
 * stateless command such as EVM) grouped into batches that share one promise, so
 * `keccak256Batch` costs one promise however many messages it carries. The requests
 * in flight live in a ring of parallel typed arrays (no object per request), one timer covers the
 * oldest live request (deadlines grow in send order), and each turn's frames are encoded into one
 * buffer and handed to the transport in one write.
 */
import { DeviceStatusError, EvmFpgaError, InvalidInputError, ProtocolError, TimeoutError, TransportError } from '../errors.ts';
import { FrameDecoder, type FrameDecoderStats } from '../protocol/decoder.ts';
import { FRAME_OVERHEAD, frameCost, writeFrameCrc, writeFrameHeader } from '../protocol/frame.ts';
import { nextChunkLength, writeKeccakFrame } from '../protocol/keccak.ts';
import { describeStatus, statusName } from '../protocol/status.ts';
import { CMD, KECCAK, PROTOCOL, STATUS } from '../protocol/spec.ts';
import type { Transport } from '../transport/transport.ts';

/** Tuning of the request engine. */
export interface RequestEngineOptions {
  /** Milliseconds a request may stay unanswered before it is retried. */
  timeoutMs: number;
  /** How many times a job is retried before its batch fails. */
  retryCount: number;
  /** Milliseconds to wait before re-sending a failed job (0: at once). */
  retryDelayMs: number;
  /** Flow-control window in bytes of the device's receive ring (INFO `rxRingBytes`). */
  windowBytes: number;
}

/** Link statistics since the engine started. */
export interface LinkStats {
  /** Frames sent, retries included. */
  requests: number;
  /** Answers matched to an outstanding request. */
  responses: number;
  /** Jobs (a Keccak message or an INFO) sent again after a failure. */
  retries: number;
  /** Requests that got no answer within the timeout. */
  timeouts: number;
  /** Requests found lost because a later request was answered first. */
  lost: number;
  /** Non-OK answers from the device (CRC, OVERFLOW, SEQUENCE, ...). */
  deviceErrors: number;
  /** Answers with a bad CRC, dropped by the host's frame decoder. */
  crcErrors: number;
  /** Headers with an impossible length, dropped by the host's frame decoder. */
  framingErrors: number;
  /** Bytes skipped between frames by the host's frame decoder. */
  skippedBytes: number;
  /** Answers whose id was not outstanding (late, duplicated, or a corrupted id), dropped. */
  unknownResponses: number;
  /** Answers to a request that had already been given up on (its job was retried), dropped. */
  staleResponses: number;
  /** Bytes written to and read from the transport. */
  bytesSent: number;
  bytesReceived: number;
}

/** Job kinds. */
const KIND_INFO = 0;
const KIND_KECCAK = 1;
/** One pre-encoded payload per job, sent as one frame of the batch's command (EVM). */
const KIND_FRAME = 2;

/** Outstanding-request states. */
const LIVE = 1;
/** Timed out: its window share is released, but its id stays reserved until a later answer. */
const EXPIRED = 2;

/** Why a job attempt failed. */
const FAIL_TIMEOUT = 0;
const FAIL_LOST = 1;
const FAIL_STATUS = 2;
const FAIL_PROTOCOL = 3;

/** Statuses that mean "the link damaged this exchange": retry the job. Others fail it. */
const RETRYABLE_STATUS = new Set<number>([STATUS.CRC, STATUS.OVERSIZE, STATUS.TRUNCATED, STATUS.SEQUENCE, STATUS.OVERFLOW]);

/**
 * Most requests kept outstanding (live or expired), half the 16-bit id space: beyond it expired
 * entries are forgotten and sending pauses, so ids never run out whatever the window.
 */
const MAX_OUTSTANDING = 32768;

const EMPTY = new Uint8Array(0);

/** A set of jobs sharing one promise: one INFO, one `keccak256` call, or one batch. */
class Batch {
  /** Index of the next job that has not been started. */
  nextFresh = 0;
  /** Jobs not yet answered. */
  remaining: number;
  settled = false;
  /** Failed attempts per job; also the attempt number of the job's live requests. */
  readonly failures: Uint8Array;
  readonly results: (Uint8Array | undefined)[];

  constructor(
    readonly kind: number,
    /** Command code of every frame of the batch. */
    readonly cmd: number,
    readonly messages: readonly Uint8Array[],
    readonly resolve: (results: Uint8Array[]) => void,
    readonly reject: (error: Error) => void,
    /** KIND_FRAME: expected result length (after the status byte) for a payload of n bytes. */
    readonly resultLength?: (payloadLength: number) => number,
  ) {
    this.remaining = messages.length;
    this.failures = new Uint8Array(messages.length);
    this.results = new Array<Uint8Array | undefined>(messages.length);
  }
}

/** Request engine over one transport. Create it with {@link createRequestEngine}. */
export class RequestEngine {
  /** Link statistics; see {@link LinkStats}. */
  readonly stats: LinkStats = {
    requests: 0,
    responses: 0,
    retries: 0,
    timeouts: 0,
    lost: 0,
    deviceErrors: 0,
    crcErrors: 0,
    framingErrors: 0,
    skippedBytes: 0,
    unknownResponses: 0,
    staleResponses: 0,
    bytesSent: 0,
    bytesReceived: 0,
  };

  private readonly options: RequestEngineOptions;
  private readonly decoder = new FrameDecoder();
  private readonly active = new Set<Batch>();
  private closedError: EvmFpgaError | null = null;

  // Work not yet sent: the job being sent (a multi-chunk message in progress has priority, so
  // its chunks stay contiguous), retries (before fresh work), then fresh batches in call order.
  private curBatch: Batch | null = null;
  private curIndex = 0;
  private curOffset = 0;
  private curAttempt = 0;
  private retryBatches: Batch[] = [];
  private retryIndexes: number[] = [];
  private retryHead = 0;
  private freshBatches: Batch[] = [];
  private freshHead = 0;

  // Requests in flight, oldest first: a ring indexed by sequence number & mask.
  private capacity = 1024;
  private mask = this.capacity - 1;
  private head = 0;
  private tail = 0;
  /** Sequence number from which live entries may start (everything before is expired or gone). */
  private liveFrom = 0;
  private oId = new Int32Array(this.capacity);
  private oCost = new Int32Array(this.capacity);
  private oState = new Uint8Array(this.capacity);
  private oFinal = new Uint8Array(this.capacity);
  private oIndex = new Int32Array(this.capacity);
  private oAttempt = new Int32Array(this.capacity);
  private oDeadline = new Float64Array(this.capacity);
  private oBatch: (Batch | null)[] = new Array<Batch | null>(this.capacity).fill(null);
  /** Slot of the outstanding request using each 16-bit id, or -1. */
  private readonly idSlot = new Int32Array(65536).fill(-1);
  private nextId = 0;
  /** Ring bytes held by live requests. */
  private windowUsed = 0;

  private scratch = new Uint8Array(65536);
  /**
   * Digests are 32-byte views of a shared 8 KiB slab (like Node's Buffer pool) rather than one
   * buffer each: one allocation per 256 digests, which the GC feels far less at 10^5 digests.
   * A digest kept alive keeps at most its 8 KiB slab alive.
   */
  private digestSlab = new Uint8Array(0);
  private digestAt = 0;
  private pumpScheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly transport: Transport,
    options: RequestEngineOptions,
  ) {
    this.options = { ...options };
    this.unsubscribe = [
      transport.onData((chunk) => this.receive(chunk)),
      transport.onClose((error) => this.shutdown(error ?? new TransportError(`${transport.name}: link closed`))),
    ];
  }

  /** The flow-control window in bytes. */
  get windowBytes(): number {
    return this.options.windowBytes;
  }

  set windowBytes(bytes: number) {
    this.options.windowBytes = bytes;
    this.schedulePump();
  }

  /** Decoder counters of the receive side. */
  get decoderStats(): Readonly<FrameDecoderStats> {
    return this.decoder.stats;
  }

  /** Requests currently unanswered (live or expired). */
  get outstanding(): number {
    return this.tail - this.head;
  }

  /** Sends an INFO request; resolves to the INFO result (the payload after the status byte). */
  info(): Promise<Uint8Array> {
    return this.submit(KIND_INFO, [EMPTY]).then((r) => r[0]!);
  }

  /** Hashes `messages` (Keccak-256); resolves to the 32-byte digests in order. */
  keccak(messages: readonly Uint8Array[]): Promise<Uint8Array[]> {
    if (messages.length === 0) return Promise.resolve([]);
    return this.submit(KIND_KECCAK, messages);
  }

  /**
   * Sends every payload as one frame of command `cmd`, pipelined like Keccak messages, and resolves
   * to each answer's result (the payload after the `OK` status byte), in order. Only for stateless
   * commands whose requests may be repeated (a lost or damaged exchange is sent again), such as
   * `EVM`. A non-OK status fails the batch like it does for Keccak.
   * @param resultLength expected result length for a request payload of n bytes; an answer of
   *   another length is malformed (retried, then a ProtocolError).
   * @throws InvalidInputError (as a rejection) when a payload exceeds `maxPayload`.
   */
  request(cmd: number, payloads: readonly Uint8Array[], resultLength?: (payloadLength: number) => number): Promise<Uint8Array[]> {
    if (payloads.length === 0) return Promise.resolve([]);
    for (let i = 0; i < payloads.length; i++) {
      if (payloads[i]!.length > PROTOCOL.maxPayload) {
        return Promise.reject(new InvalidInputError(`${commandName(cmd)} payload ${i} is ${payloads[i]!.length} bytes, more than maxPayload ${PROTOCOL.maxPayload}`));
      }
    }
    return this.submit(KIND_FRAME, payloads, cmd, resultLength);
  }

  /**
   * Stops using the transport: rejects everything pending with `error` (or a "closed" error) and
   * unsubscribes. Does not close the transport itself.
   */
  shutdown(error?: EvmFpgaError): void {
    if (this.closedError) return;
    this.closedError = error ?? new TransportError(`${this.transport.name}: device closed`);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const off of this.unsubscribe) off();
    for (const batch of this.active) this.settleFailure(batch, this.closedError);
    this.active.clear();
  }

  private submit(
    kind: number,
    messages: readonly Uint8Array[],
    cmd: number = kind === KIND_KECCAK ? CMD.KECCAK : CMD.INFO,
    resultLength?: (payloadLength: number) => number,
  ): Promise<Uint8Array[]> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise<Uint8Array[]>((resolve, reject) => {
      const batch = new Batch(kind, cmd, messages, resolve, reject, resultLength);
      this.active.add(batch);
      this.freshBatches.push(batch);
      this.schedulePump();
    });
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.closedError) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Sends as much queued work as the window allows, as one transport write. */
  private pump(): void {
    if (this.closedError) return;
    const window = this.options.windowBytes;
    let out = this.scratch;
    let at = 0;
    let now = -1;
    for (;;) {
      if (this.curBatch === null && !this.startNextJob()) break;
      const batch = this.curBatch!;
      const index = this.curIndex;
      const message = batch.messages[index]!;
      const remaining = message.length - this.curOffset;
      const isKeccak = batch.kind === KIND_KECCAK;
      const dataLength = isKeccak ? nextChunkLength(remaining) : 0;
      const final = !isKeccak || dataLength === remaining;
      const payloadLength = isKeccak ? KECCAK.chunkHeaderBytes + dataLength : batch.kind === KIND_FRAME ? message.length : 0;
      const cost = frameCost(payloadLength);
      if (this.windowUsed + cost > window && this.windowUsed > 0) break;
      if (this.tail - this.head >= MAX_OUTSTANDING) {
        this.forgetExpired();
        // Fewer requests in flight than ids, so allocateId always finds a free one.
        if (this.tail - this.head >= MAX_OUTSTANDING) break;
      }
      if (at + payloadLength + FRAME_OVERHEAD > out.length) {
        if (at > 0) {
          this.write(out, at);
          at = 0;
        }
        if (payloadLength + FRAME_OVERHEAD > out.length) out = this.scratch = new Uint8Array(2 * (payloadLength + FRAME_OVERHEAD));
      }
      const id = this.allocateId();
      if (isKeccak) {
        at = writeKeccakFrame(out, at, id, message, this.curOffset, dataLength, final);
      } else if (batch.kind === KIND_FRAME) {
        writeFrameHeader(out, at, batch.cmd, id, payloadLength);
        out.set(message, at + PROTOCOL.headerBytes);
        at = writeFrameCrc(out, at);
      } else {
        writeFrameHeader(out, at, CMD.INFO, id, 0);
        at = writeFrameCrc(out, at);
      }
      if (now < 0) now = performance.now();
      this.track(id, cost, batch, index, this.curAttempt, final, now + this.options.timeoutMs);
      this.stats.requests++;
      if (final) this.curBatch = null;
      else this.curOffset += dataLength;
    }
    if (at > 0) this.write(out, at);
    if (this.timer === null && this.liveFrom < this.tail) this.armTimer(now < 0 ? performance.now() : now);
  }

  /** Picks the next job to send (a retry first, then fresh work); false when there is none. */
  private startNextJob(): boolean {
    while (this.retryHead < this.retryBatches.length) {
      const batch = this.retryBatches[this.retryHead]!;
      const index = this.retryIndexes[this.retryHead]!;
      this.retryHead++;
      if (this.retryHead === this.retryBatches.length) {
        this.retryBatches = [];
        this.retryIndexes = [];
        this.retryHead = 0;
      }
      if (batch.settled || batch.results[index] !== undefined) continue;
      this.setCurrent(batch, index);
      return true;
    }
    while (this.freshHead < this.freshBatches.length) {
      const batch = this.freshBatches[this.freshHead]!;
      if (batch.settled || batch.nextFresh >= batch.messages.length) {
        this.freshHead++;
        if (this.freshHead === this.freshBatches.length) {
          this.freshBatches = [];
          this.freshHead = 0;
        }
        continue;
      }
      this.setCurrent(batch, batch.nextFresh++);
      return true;
    }
    return false;
  }

  private setCurrent(batch: Batch, index: number): void {
    this.curBatch = batch;
    this.curIndex = index;
    this.curOffset = 0;
    this.curAttempt = batch.failures[index]!;
  }

  private write(buffer: Uint8Array, length: number): void {
    this.stats.bytesSent += length;
    // The transport owns what it is given; the scratch buffer is reused, so hand over a copy.
    this.transport.write(buffer.slice(0, length));
  }

  /** Copies the 32-byte digest at `bytes[from]` into the slab and returns its view. */
  private copyDigest(bytes: Uint8Array, from: number): Uint8Array {
    const n = KECCAK.digestBytes;
    if (this.digestAt + n > this.digestSlab.length) {
      this.digestSlab = new Uint8Array(256 * n);
      this.digestAt = 0;
    }
    const slab = this.digestSlab;
    const at = this.digestAt;
    for (let i = 0; i < n; i++) slab[at + i] = bytes[from + i]!;
    this.digestAt = at + n;
    return slab.subarray(at, at + n);
  }

  /** Allocates the next free 16-bit id, skipping ids still outstanding. */
  private allocateId(): number {
    let id = this.nextId;
    while (this.idSlot[id] !== -1) id = (id + 1) & 0xffff;
    this.nextId = (id + 1) & 0xffff;
    return id;
  }

  private track(id: number, cost: number, batch: Batch, index: number, attempt: number, final: boolean, deadline: number): void {
    if (this.tail - this.head === this.capacity) this.grow();
    const slot = this.tail & this.mask;
    this.tail++;
    this.oId[slot] = id;
    this.oCost[slot] = cost;
    this.oState[slot] = LIVE;
    this.oFinal[slot] = final ? 1 : 0;
    this.oIndex[slot] = index;
    this.oAttempt[slot] = attempt;
    this.oDeadline[slot] = deadline;
    this.oBatch[slot] = batch;
    this.idSlot[id] = slot;
    this.windowUsed += cost;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const mask = capacity - 1;
    const oId = new Int32Array(capacity);
    const oCost = new Int32Array(capacity);
    const oState = new Uint8Array(capacity);
    const oFinal = new Uint8Array(capacity);
    const oIndex = new Int32Array(capacity);
    const oAttempt = new Int32Array(capacity);
    const oDeadline = new Float64Array(capacity);
    const oBatch = new Array<Batch | null>(capacity).fill(null);
    for (let seq = this.head; seq < this.tail; seq++) {
      const from = seq & this.mask;
      const to = seq & mask;
      oId[to] = this.oId[from]!;
      oCost[to] = this.oCost[from]!;
      oState[to] = this.oState[from]!;
      oFinal[to] = this.oFinal[from]!;
      oIndex[to] = this.oIndex[from]!;
      oAttempt[to] = this.oAttempt[from]!;
      oDeadline[to] = this.oDeadline[from]!;
      oBatch[to] = this.oBatch[from]!;
      this.idSlot[oId[to]!] = to;
    }
    Object.assign(this, { capacity, mask, oId, oCost, oState, oFinal, oIndex, oAttempt, oDeadline, oBatch });
  }

  /** Removes the oldest request from the ring and frees its id; returns its slot. */
  private popHead(): number {
    const slot = this.head & this.mask;
    this.head++;
    if (this.liveFrom < this.head) this.liveFrom = this.head;
    this.idSlot[this.oId[slot]!] = -1;
    if (this.oState[slot] === LIVE) this.windowUsed -= this.oCost[slot]!;
    return slot;
  }

  /** Whether the request in `slot` still belongs to the current attempt of an unfinished job. */
  private isCurrent(slot: number): boolean {
    const batch = this.oBatch[slot]!;
    const index = this.oIndex[slot]!;
    return !batch.settled && batch.failures[index] === this.oAttempt[slot] && batch.results[index] === undefined;
  }

  private receive(chunk: Uint8Array): void {
    this.stats.bytesReceived += chunk.length;
    this.decoder.scan(chunk, this.onFrame);
    if (this.closedError) return;
    const d = this.decoder.stats;
    this.stats.crcErrors = d.crcErrors;
    this.stats.framingErrors = d.oversize;
    this.stats.skippedBytes = d.skippedBytes;
    if (this.head === this.tail && this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.pump();
  }

  private readonly onFrame = (cmd: number, id: number, bytes: Uint8Array, offset: number, length: number): void => {
    const slot = this.idSlot[id]!;
    if (slot < 0 || (cmd & PROTOCOL.responseFlag) === 0) {
      this.stats.unknownResponses++;
      return;
    }
    // Answers come in send order: everything sent before this request and unanswered was lost.
    while ((this.head & this.mask) !== slot) {
      const lostSlot = this.head & this.mask;
      const wasLive = this.oState[lostSlot] === LIVE;
      this.popHead();
      if (wasLive && this.isCurrent(lostSlot)) {
        this.stats.lost++;
        this.failAttempt(this.oBatch[lostSlot]!, this.oIndex[lostSlot]!, FAIL_LOST, 0);
      }
      this.oBatch[lostSlot] = null;
    }
    this.popHead();
    const batch = this.oBatch[slot]!;
    this.oBatch[slot] = null;
    this.stats.responses++;
    const index = this.oIndex[slot]!;
    if (batch.settled || batch.failures[index] !== this.oAttempt[slot] || batch.results[index] !== undefined) {
      this.stats.staleResponses++;
      return;
    }
    const status = length > 0 ? bytes[offset]! : -1;
    const expectedCmd = batch.cmd | PROTOCOL.responseFlag;
    if (status !== STATUS.OK) {
      this.stats.deviceErrors++;
      if (RETRYABLE_STATUS.has(status)) this.failAttempt(batch, index, FAIL_STATUS, status);
      else if (status === STATUS.UNKNOWN_CMD || status === STATUS.BAD_LENGTH) this.settleFailure(batch, statusError(batch.cmd, status));
      else this.failAttempt(batch, index, FAIL_PROTOCOL, status);
      return;
    }
    if (cmd !== expectedCmd) {
      this.failAttempt(batch, index, FAIL_PROTOCOL, 0);
      return;
    }
    if (batch.kind === KIND_KECCAK) {
      if (this.oFinal[slot] === 0) {
        if (length !== 1) this.failAttempt(batch, index, FAIL_PROTOCOL, 0);
        return;
      }
      if (length !== 1 + KECCAK.digestBytes) {
        this.failAttempt(batch, index, FAIL_PROTOCOL, 0);
        return;
      }
    } else if (batch.resultLength !== undefined && length !== 1 + batch.resultLength(batch.messages[index]!.length)) {
      this.failAttempt(batch, index, FAIL_PROTOCOL, 0);
      return;
    }
    batch.results[index] = batch.kind === KIND_KECCAK ? this.copyDigest(bytes, offset + 1) : bytes.slice(offset + 1, offset + length);
    if (--batch.remaining === 0) {
      batch.settled = true;
      this.active.delete(batch);
      batch.resolve(batch.results as Uint8Array[]);
    }
  };

  /**
   * Abandons the current attempt of a job (its requests still in flight become stale) and
   * queues a retry, or fails the batch when the retries are used up.
   */
  private failAttempt(batch: Batch, index: number, reason: number, status: number): void {
    const failures = ++batch.failures[index]!;
    if (this.curBatch === batch && this.curIndex === index) this.curBatch = null;
    if (failures > this.options.retryCount) {
      this.settleFailure(batch, exhaustedError(batch.cmd, reason, status, failures));
      return;
    }
    this.stats.retries++;
    if (this.options.retryDelayMs > 0) {
      setTimeout(() => {
        if (batch.settled || this.closedError) return;
        this.retryBatches.push(batch);
        this.retryIndexes.push(index);
        this.pump();
      }, this.options.retryDelayMs);
    } else {
      this.retryBatches.push(batch);
      this.retryIndexes.push(index);
    }
  }

  private settleFailure(batch: Batch, error: Error): void {
    if (batch.settled) return;
    batch.settled = true;
    this.active.delete(batch);
    if (this.curBatch === batch) this.curBatch = null;
    batch.reject(error);
  }

  private armTimer(now: number): void {
    const delay = Math.max(0, this.oDeadline[this.liveFrom & this.mask]! - now);
    this.timer = setTimeout(this.onTimer, Math.ceil(delay) + 1);
  }

  /** Expires every live request past its deadline (deadlines grow in send order). */
  private readonly onTimer = (): void => {
    this.timer = null;
    if (this.closedError) return;
    const now = performance.now();
    for (; this.liveFrom < this.tail; this.liveFrom++) {
      const slot = this.liveFrom & this.mask;
      if (this.oState[slot] !== LIVE) continue;
      if (this.oDeadline[slot]! > now) break;
      const current = this.isCurrent(slot);
      this.oState[slot] = EXPIRED;
      this.windowUsed -= this.oCost[slot]!;
      if (current) {
        this.stats.timeouts++;
        this.failAttempt(this.oBatch[slot]!, this.oIndex[slot]!, FAIL_TIMEOUT, 0);
      }
    }
    this.pump();
    if (this.timer === null && this.liveFrom < this.tail) this.armTimer(now);
  };

  /** Drops expired requests from the front of the ring, so their ids can be reused. */
  private forgetExpired(): void {
    while (this.head < this.tail && this.oState[this.head & this.mask] === EXPIRED) {
      const slot = this.popHead();
      this.oBatch[slot] = null;
    }
  }
}

/** Creates a request engine over `transport`. */
export function createRequestEngine(transport: Transport, options: RequestEngineOptions): RequestEngine {
  return new RequestEngine(transport, options);
}

/** The spec's name of a command code (`'EVM'`), or its hex code when the spec has none. */
function commandName(cmd: number): string {
  for (const [name, code] of Object.entries(CMD)) if (code === cmd) return name;
  return `command 0x${cmd.toString(16).padStart(2, '0')}`;
}

function statusError(cmd: number, status: number): DeviceStatusError {
  const name = statusName(status);
  return new DeviceStatusError(`device rejected ${commandName(cmd)} with status ${name}`, {
    status: name,
    statusCode: status,
    details: describeStatus(status),
  });
}

function exhaustedError(cmd: number, reason: number, status: number, attempts: number): EvmFpgaError {
  const what = `${commandName(cmd)} request`;
  switch (reason) {
    case FAIL_STATUS: {
      const name = statusName(status);
      return new DeviceStatusError(`${what} failed ${attempts} times; last status ${name}`, {
        status: name,
        statusCode: status,
        details: describeStatus(status),
      });
    }
    case FAIL_PROTOCOL:
      return new ProtocolError(`${what} failed ${attempts} times: malformed answer from the device`);
    case FAIL_LOST:
      return new TimeoutError(`${what} got no answer after ${attempts} attempts (lost on the link)`);
    default:
      return new TimeoutError(`${what} timed out after ${attempts} attempts`);
  }
}
