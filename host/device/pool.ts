/**
 * The device pool: one {@link Device} over several (`pool:sim,sim`,
 * `pool:uart:/dev/ttyUSB1,tcp:10.0.0.2:7777`), for executors that outgrow one device.
 *
 * Work. A `keccak256Batch` or `evm.execBatch` call is a job, cut into slices of consecutive
 * items (Keccak messages, EVM ops). Slices wait in one queue and are handed to the member with
 * the least work outstanding (estimated wire bytes in flight), as long as it holds less than
 * `memberWindowBytes`; each answer frees room and pulls the next slice. So a faster member takes
 * more, a slow one less, and each member's own request engine keeps its link full.
 *
 * Failover. A member fails when its link closes (process died, cable pulled), when a request
 * exhausts its retries (it stopped answering), or when it keeps sending malformed or damaged
 * answers. It is taken out at once, closed, and every slice it held goes back to the front of the
 * queue for the remaining members. Each slice remembers which member and attempt it belongs to;
 * an answer from anyone else (a removed member's late answer, a closed engine's rejection) is
 * dropped and counted, so every item is answered exactly once. Errors that are the request's own
 * fault (a bad op, a device without the unit) fail the call instead. When no member is left,
 * every pending and later call rejects with a {@link PoolExhaustedError}.
 *
 * Storage. STORAGE is a stateful session (the conflict table of one block), so the pool pins it:
 * `storage.reset()` starts a block on the least-loaded live member with the unit and every
 * `check()` until the next `reset()` goes to that member. A `reset()` whose member fails moves to
 * another. A `check()` whose member fails cannot move (the table is lost with the member): it
 * rejects with a TransportError, and the next `reset()` starts over elsewhere; the executor's
 * device storage checker answers the rest of such a block in software.
 */
import {
  DeviceStatusError,
  EvmFpgaError,
  InvalidInputError,
  PoolExhaustedError,
  ProtocolError,
  TimeoutError,
  TransportError,
} from '../errors.ts';
import { EvmFrontEnd, type EvmUnit } from '../evm/unit.ts';
import type { EvmRecordInput, EvmResultRecord } from '../evm/records.ts';
import { checkInfo, type DeviceInfo } from '../protocol/info.ts';
import { FRAME_OVERHEAD } from '../protocol/frame.ts';
import { CAPABILITY, EVM, KECCAK } from '../protocol/spec.ts';
import type { StorageBatchAnswer, StorageUnit } from '../storage/unit.ts';
import type { StorageFrameResult, StorageRecord } from '../storage/records.ts';
import type { Transport } from '../transport/transport.ts';
import type { LinkStats } from './client.ts';
import { describe, notBytes, openDevice, type Device, type OpenDeviceOptions } from './device.ts';
import { formatDeviceSpec, type PoolDeviceSpec, type PoolMemberSpec } from './spec.ts';

/** Tuning of a pool ({@link openDevicePool}, {@link createDevicePool}). */
export interface DevicePoolOptions {
  /** Most items (Keccak messages, EVM ops) per slice (default 512). */
  sliceItems?: number;
  /** Most estimated wire bytes per slice (default 32 KiB). */
  sliceBytes?: number;
  /** Estimated wire bytes a member may hold in flight before it gets no more slices (default 96 KiB). */
  memberWindowBytes?: number;
  /** Receives one line per member taken out of the pool. */
  progress?: (line: string) => void;
}

/** Where a member stands. */
export type PoolMemberState = 'live' | 'removed';

/** One member of a pool, as {@link DevicePool.members} reports it. */
export interface PoolMemberStatus {
  /** Position in the pool spec, from 0. */
  index: number;
  /** The member's device spec. */
  spec: string;
  state: PoolMemberState;
  /** Why the member was taken out (one line), once removed. */
  removedBecause?: string;
  /** Items (Keccak messages, EVM ops) sent to it and not yet answered. */
  inFlight: number;
  /** Items it answered that the pool used. */
  completed: number;
  /** Whether the storage session is pinned to it. */
  storageSession: boolean;
}

/** Failover counters of a pool. */
export interface PoolStats {
  /** Members taken out. */
  removedMembers: number;
  /** Slices re-sent to another member after theirs failed. */
  resentSlices: number;
  /** Items in those slices. */
  resentItems: number;
  /** Answers dropped because their slice had moved on (late answers of removed members). */
  droppedAnswers: number;
}

/** A member's entry in {@link PoolDeviceInfo}. */
export interface PoolMemberInfo extends PoolMemberStatus {
  /** The member's own INFO, when it answered. */
  info?: DeviceInfo;
}

/**
 * INFO of a pool: identity and limits of the first live member (capabilities: those every live
 * member has; `keccakCores`: the sum), counters summed over the live members, and every member.
 */
export type PoolDeviceInfo = DeviceInfo & { members: PoolMemberInfo[] };

/** A pool of devices behind the {@link Device} API. */
export interface DevicePool extends Device {
  readonly spec: PoolDeviceSpec;
  /**
   * The link of the first live member (a pool has one link per member; see {@link members}).
   */
  readonly transport: Transport;
  /**
   * INFO handshake of the pool: the first member's identity, capabilities every member has,
   * Keccak cores summed, the smallest storage table.
   */
  readonly handshake: DeviceInfo;
  /** Asks every live member for INFO; see {@link PoolDeviceInfo}. */
  info(): Promise<PoolDeviceInfo>;
  /** Every member and where it stands (a snapshot). */
  readonly members: PoolMemberStatus[];
  /** Failover counters (a snapshot). */
  readonly poolStats: PoolStats;
  /** Link statistics summed over every member, removed ones included (a snapshot). */
  readonly stats: LinkStats;
}

const DEFAULTS = { sliceItems: 512, sliceBytes: 32 * 1024, memberWindowBytes: 96 * 1024 } as const;

/** Statuses that say the link, not the request, is at fault (the engine gave up retrying them). */
const LINK_STATUSES = new Set<string>(['CRC', 'OVERSIZE', 'TRUNCATED', 'SEQUENCE', 'OVERFLOW']);

/** INFO fields that count events since reset (summed over members); the rest describe the device. */
const COUNTER_FIELDS = [
  'totalCycles',
  'busyCycles',
  'keccakCycles',
  'permutationCycles',
  'framesOk',
  'crcErrors',
  'frameErrors',
  'permutations',
  'hashes',
] as const satisfies readonly (keyof DeviceInfo)[];

/**
 * Opens every member of a pool spec (the first alone, so a simulation build happens once; then the
 * rest together) and returns the pool. `options` apply to each member (`transport` is refused).
 * @throws the first member's error that failed to open, prefixed with the member; members already
 *   open are closed again.
 */
export async function openDevicePool(spec: PoolDeviceSpec, options: OpenDeviceOptions & DevicePoolOptions = {}): Promise<DevicePool> {
  if (options.transport !== undefined) throw new InvalidInputError('option transport cannot be used with a pool spec: each member opens its own link');
  if (spec.members.length === 0) throw new InvalidInputError('a pool needs at least one member');
  const open = (member: PoolMemberSpec, i: number) =>
    openDevice(member, options).catch((err: unknown) => {
      throw memberOpenError(err, i, member);
    });
  const devices: (Device | undefined)[] = [];
  let failure: unknown;
  try {
    devices.push(await open(spec.members[0]!, 0));
    const rest = await Promise.allSettled(spec.members.slice(1).map((m, i) => open(m, i + 1)));
    for (const r of rest) {
      if (r.status === 'fulfilled') devices.push(r.value);
      else failure ??= r.reason;
    }
  } catch (err) {
    failure = err;
  }
  if (failure !== undefined) {
    await Promise.all(devices.map((d) => d?.close().catch(() => {})));
    throw failure;
  }
  return createDevicePool(devices as Device[], options);
}

/**
 * Makes a pool of devices already open (any mix of transports). The pool owns them from then on:
 * it closes a member it takes out, and all of them on {@link Device.close}.
 * @throws InvalidInputError for an empty list or a member that is itself a pool.
 */
export function createDevicePool(devices: readonly Device[], options: DevicePoolOptions = {}): DevicePool {
  if (!Array.isArray(devices) || devices.length === 0) throw new InvalidInputError('a pool needs at least one member device');
  for (const d of devices) if (d.spec.kind === 'pool') throw new InvalidInputError('pools do not nest: a pool member cannot be a pool');
  return new Pool(devices, options);
}

/** One call's items and results, shared by its slices. */
interface Job {
  settled: boolean;
  /** Items not yet answered. */
  remaining: number;
  results: unknown[];
  resolve: (results: unknown[]) => void;
  reject: (error: Error) => void;
}

/** Consecutive items of a job, sent to one member at a time. */
interface Slice {
  job: Job;
  /** Index of the slice's first item in the job. */
  start: number;
  items: unknown[];
  weight: number;
  run: (device: Device, items: unknown[]) => Promise<unknown[]>;
  /** The member holding it, or null while queued. */
  member: Member | null;
  /** Incremented at every hand-out; an answer counts only for the current attempt. */
  attempt: number;
  done: boolean;
}

class Member {
  live = true;
  removedBecause?: string;
  error?: unknown;
  /** Estimated wire bytes in flight. */
  load = 0;
  inFlight = 0;
  completed = 0;
  readonly slices = new Set<Slice>();
  readonly spec: string;

  constructor(
    readonly index: number,
    readonly device: Device,
  ) {
    this.spec = formatDeviceSpec(device.spec);
  }
}

const keccakWeight = (m: Uint8Array) => m.length + KECCAK.chunkHeaderBytes + FRAME_OVERHEAD;
const EVM_WEIGHT = EVM.recordBytes;
const runKeccak = (device: Device, items: unknown[]) => device.keccak256Batch(items as Uint8Array[]);
const runEvm = (device: Device, items: unknown[]) => device.evm.execRecords(items as EvmRecordInput[]);

class Pool implements DevicePool {
  readonly spec: PoolDeviceSpec;
  readonly handshake: DeviceInfo;
  readonly evm: EvmUnit;
  readonly storage: StorageUnit;
  private readonly all: Member[];
  private live: Member[];
  private readonly retryQueue: Slice[] = [];
  private queue: Slice[] = [];
  private queueHead = 0;
  private readonly jobs = new Set<Job>();
  private readonly counters: PoolStats = { removedMembers: 0, resentSlices: 0, resentItems: 0, droppedAnswers: 0 };
  private readonly sliceItems: number;
  private readonly sliceBytes: number;
  private readonly memberWindowBytes: number;
  private readonly progress: ((line: string) => void) | undefined;
  private closedError: EvmFpgaError | null = null;
  private closing: Promise<void> | null = null;
  /** Where the next search for the least-loaded member starts (ties go round the members). */
  private nextMember = 0;
  /** The member the storage session is pinned to. */
  storageMember: Member | null = null;

  constructor(devices: readonly Device[], options: DevicePoolOptions) {
    this.sliceItems = positive('sliceItems', options.sliceItems ?? DEFAULTS.sliceItems);
    this.sliceBytes = positive('sliceBytes', options.sliceBytes ?? DEFAULTS.sliceBytes);
    this.memberWindowBytes = positive('memberWindowBytes', options.memberWindowBytes ?? DEFAULTS.memberWindowBytes);
    this.progress = options.progress;
    this.all = devices.map((d, i) => new Member(i, d));
    this.live = [...this.all];
    this.spec = { kind: 'pool', members: devices.map((d) => d.spec as PoolMemberSpec) };
    this.handshake = poolHandshake(devices.map((d) => d.handshake));
    this.evm = new PoolEvmUnit(this);
    this.storage = new PoolStorageUnit(this);
    for (const member of this.all) {
      member.device.transport.onClose((error) => {
        if (this.closedError || !member.live) return;
        this.removeMember(member, error ?? new TransportError(`${member.spec}: link closed`));
      });
    }
  }

  get transport(): Transport {
    return (this.live[0] ?? this.all[0]!).device.transport;
  }

  get members(): PoolMemberStatus[] {
    return this.all.map((m) => this.status(m));
  }

  get poolStats(): PoolStats {
    return { ...this.counters };
  }

  get stats(): LinkStats {
    const sum = { ...this.all[0]!.device.stats };
    for (const m of this.all.slice(1)) {
      const s = m.device.stats;
      for (const k of Object.keys(sum) as (keyof LinkStats)[]) sum[k] += s[k];
    }
    return sum;
  }

  keccak256(data: Uint8Array): Promise<Uint8Array> {
    if (!(data instanceof Uint8Array)) return Promise.reject(notBytes(data));
    return this.submit([data], runKeccak, keccakWeight).then((r) => r[0] as Uint8Array);
  }

  keccak256Batch(messages: readonly Uint8Array[]): Promise<Uint8Array[]> {
    if (!Array.isArray(messages)) {
      return Promise.reject(new InvalidInputError(`keccak256Batch expects an array of Uint8Array, got ${describe(messages)}`));
    }
    for (let i = 0; i < messages.length; i++) {
      if (!(messages[i] instanceof Uint8Array)) return Promise.reject(notBytes(messages[i], i));
    }
    return this.submit(messages, runKeccak, keccakWeight) as Promise<Uint8Array[]>;
  }

  /** EVM records through the pool (validated by the caller). */
  execRecords(records: readonly EvmRecordInput[]): Promise<EvmResultRecord[]> {
    return this.submit(records, runEvm, () => EVM_WEIGHT) as Promise<EvmResultRecord[]>;
  }

  async info(): Promise<PoolDeviceInfo> {
    if (this.closedError) throw this.closedError;
    const asked = [...this.live];
    const answers = await Promise.allSettled(asked.map((m) => m.device.info()));
    const infos = new Map<Member, DeviceInfo>();
    answers.forEach((a, i) => {
      const member = asked[i]!;
      if (a.status === 'fulfilled') infos.set(member, a.value);
      else if (isMemberFailure(a.reason)) this.removeMember(member, a.reason);
      else throw a.reason;
    });
    const live = asked.filter((m) => m.live && infos.has(m));
    if (live.length === 0) throw this.closedError ?? this.exhaustedError();
    const info = poolHandshake(live.map((m) => infos.get(m)!)) as PoolDeviceInfo;
    for (const field of COUNTER_FIELDS) {
      let total: number | bigint = typeof info[field] === 'bigint' ? 0n : 0;
      for (const m of live) total = (total as number) + (infos.get(m)![field] as number);
      (info as Record<string, unknown>)[field] = total;
    }
    checkInfo(info);
    info.members = this.all.map((m) => ({ ...this.status(m), ...(infos.has(m) ? { info: infos.get(m)! } : {}) }));
    return info;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closedError ??= new TransportError(`${formatDeviceSpec(this.spec)}: device closed`);
      this.failAll(this.closedError);
      await Promise.all(this.all.map((m) => m.device.close().catch(() => {})));
    })();
    return this.closing;
  }

  /** The members still in the pool, in spec order. */
  liveMembers(): readonly Member[] {
    return this.live;
  }

  /** The error for calls when every member is gone. */
  exhaustedError(): PoolExhaustedError {
    const reasons = this.all.map((m) => `member ${m.index + 1} ${m.spec}: ${m.removedBecause ?? 'closed'}`).join('; ');
    const last = this.all.reduce<unknown>((e, m) => m.error ?? e, undefined);
    return new PoolExhaustedError(`${formatDeviceSpec(this.spec)}: no device left in the pool (${reasons})`, last === undefined ? {} : { cause: last });
  }

  /**
   * Takes a member out: closes it and hands every slice it held back to the queue, first in line.
   * Idempotent.
   */
  removeMember(member: Member, error: unknown): void {
    if (!member.live) return;
    member.live = false;
    member.error = error;
    member.removedBecause = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    this.live = this.live.filter((m) => m !== member);
    this.counters.removedMembers++;
    const held = [...member.slices].sort((a, b) => a.start - b.start);
    let items = 0;
    for (const slice of held) {
      slice.member = null;
      if (slice.done || slice.job.settled) continue;
      this.retryQueue.push(slice);
      this.counters.resentSlices++;
      this.counters.resentItems += slice.items.length;
      items += slice.items.length;
    }
    member.slices.clear();
    member.load = 0;
    member.inFlight = 0;
    this.progress?.(`pool: member ${member.index + 1} (${member.spec}) taken out: ${member.removedBecause}; ${items} request(s) re-sent to ${this.live.length} remaining member(s)`);
    void member.device.close().catch(() => {});
    if (this.live.length === 0) this.failAll(this.exhaustedError());
    else this.dispatch();
  }

  /** Splits `items` into slices, queues them, and resolves with every result in order. */
  private submit(items: readonly unknown[], run: Slice['run'], weigh: (item: never) => number): Promise<unknown[]> {
    if (this.closedError) return Promise.reject(this.closedError);
    if (this.live.length === 0) return Promise.reject(this.exhaustedError());
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<unknown[]>((resolve, reject) => {
      const job: Job = { settled: false, remaining: items.length, results: new Array(items.length), resolve, reject };
      this.jobs.add(job);
      const weight = weigh as (item: unknown) => number;
      if (items.length === 1) {
        this.queue.push({ job, start: 0, items: [items[0]], weight: weight(items[0]), run, member: null, attempt: 0, done: false });
      } else {
        // Small calls are still spread over every live member.
        const members = this.live.length;
        let total = 0;
        for (let i = 0; i < items.length; i++) total += weight(items[i]);
        const maxItems = Math.max(1, Math.min(this.sliceItems, Math.ceil(items.length / members)));
        const maxBytes = Math.max(1, Math.min(this.sliceBytes, Math.ceil(total / members)));
        let start = 0;
        let bytes = 0;
        for (let i = 0; i < items.length; i++) {
          bytes += weight(items[i]);
          if (i + 1 === items.length || i + 1 - start >= maxItems || bytes >= maxBytes) {
            this.queue.push({ job, start, items: items.slice(start, i + 1), weight: bytes, run, member: null, attempt: 0, done: false });
            start = i + 1;
            bytes = 0;
          }
        }
      }
      this.dispatch();
    });
  }

  /** Hands queued slices to the least-loaded live members that have room. */
  private dispatch(): void {
    for (;;) {
      const slice = this.peek();
      if (slice === null) return;
      // Least load wins; ties go round the members, so idle members share single requests.
      const live = this.live;
      let best: Member | null = null;
      for (let k = 0; k < live.length; k++) {
        const m = live[(this.nextMember + k) % live.length]!;
        if (best === null || m.load < best.load) best = m;
      }
      if (best === null || (best.load > 0 && best.load + slice.weight > this.memberWindowBytes)) return;
      this.nextMember = (live.indexOf(best) + 1) % live.length;
      this.take();
      this.assign(slice, best);
    }
  }

  /** The next slice to send (re-sends first), skipping those of finished calls; null if none. */
  private peek(): Slice | null {
    while (this.retryQueue.length > 0) {
      if (!this.retryQueue[0]!.job.settled) return this.retryQueue[0]!;
      this.retryQueue.shift();
    }
    while (this.queueHead < this.queue.length) {
      const slice = this.queue[this.queueHead]!;
      if (!slice.job.settled) return slice;
      this.queueHead++;
    }
    if (this.queueHead > 0) {
      this.queue = [];
      this.queueHead = 0;
    }
    return null;
  }

  private take(): void {
    if (this.retryQueue.length > 0) this.retryQueue.shift();
    else if (++this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    }
  }

  private assign(slice: Slice, member: Member): void {
    const attempt = ++slice.attempt;
    slice.member = member;
    member.slices.add(slice);
    member.load += slice.weight;
    member.inFlight += slice.items.length;
    slice.run(member.device, slice.items).then(
      (results) => this.answered(slice, member, attempt, results),
      (error: unknown) => this.failed(slice, member, attempt, error),
    );
  }

  private answered(slice: Slice, member: Member, attempt: number, results: unknown[]): void {
    if (slice.member !== member || slice.attempt !== attempt || slice.done) {
      this.counters.droppedAnswers++;
      return;
    }
    this.release(slice, member);
    member.completed += slice.items.length;
    const job = slice.job;
    if (!job.settled) {
      for (let i = 0; i < results.length; i++) job.results[slice.start + i] = results[i];
      job.remaining -= slice.items.length;
      if (job.remaining === 0) {
        job.settled = true;
        this.jobs.delete(job);
        job.resolve(job.results);
      }
    }
    this.dispatch();
  }

  private failed(slice: Slice, member: Member, attempt: number, error: unknown): void {
    // A rejection for an attempt that moved on (the member was taken out and closed) is expected.
    if (slice.member !== member || slice.attempt !== attempt || slice.done) return;
    if (isMemberFailure(error) && !this.closedError) {
      this.removeMember(member, error);
      return;
    }
    this.release(slice, member);
    this.failJob(slice.job, error instanceof Error ? error : new Error(String(error)));
    this.dispatch();
  }

  private release(slice: Slice, member: Member): void {
    slice.done = true;
    member.slices.delete(slice);
    member.load -= slice.weight;
    member.inFlight -= slice.items.length;
  }

  private failJob(job: Job, error: Error): void {
    if (job.settled) return;
    job.settled = true;
    this.jobs.delete(job);
    job.reject(error);
  }

  private failAll(error: Error): void {
    for (const job of [...this.jobs]) this.failJob(job, error);
    this.retryQueue.length = 0;
    this.queue = [];
    this.queueHead = 0;
  }

  private status(m: Member): PoolMemberStatus {
    const s: PoolMemberStatus = {
      index: m.index,
      spec: m.spec,
      state: m.live ? 'live' : 'removed',
      inFlight: m.inFlight,
      completed: m.completed,
      storageSession: this.storageMember === m,
    };
    if (m.removedBecause !== undefined) s.removedBecause = m.removedBecause;
    return s;
  }
}

/** `pool.evm`: ops validated once, then their records spread over the members like Keccak messages. */
class PoolEvmUnit extends EvmFrontEnd {
  constructor(private readonly pool: Pool) {
    super();
  }

  get available(): boolean {
    return ((this.pool.handshake.capabilities >>> CAPABILITY.EVM_ALU) & 1) === 1;
  }

  protected sendRecords(records: readonly EvmRecordInput[]): Promise<EvmResultRecord[]> {
    return this.pool.execRecords(records);
  }
}

/** `pool.storage`: the session pinned to one member from `reset()` to the next. */
class PoolStorageUnit implements StorageUnit {
  constructor(private readonly pool: Pool) {}

  get available(): boolean {
    return this.pool.liveMembers().some((m) => m.device.storage.available);
  }

  get entries(): number {
    return (this.pool.storageMember ?? this.candidates()[0])?.device.storage.entries ?? this.pool.handshake.storageEntries;
  }

  async reset(): Promise<StorageFrameResult> {
    for (;;) {
      const member = this.pick();
      this.pool.storageMember = member;
      try {
        return await member.device.storage.reset();
      } catch (err) {
        if (!isMemberFailure(err)) throw err;
        this.pool.storageMember = null;
        this.pool.removeMember(member, err);
      }
    }
  }

  async check(records: readonly StorageRecord[]): Promise<StorageBatchAnswer> {
    const member = this.pool.storageMember;
    if (member !== null && !member.live) {
      throw new TransportError(
        `${member.spec}: the pool member holding this block's storage session was taken out (${member.removedBecause}); call storage.reset() to start the block on another member`,
        { cause: member.error },
      );
    }
    const target = member ?? this.pick();
    this.pool.storageMember = target;
    try {
      return await target.device.storage.check(records);
    } catch (err) {
      if (isMemberFailure(err)) this.pool.removeMember(target, err);
      throw err;
    }
  }

  private candidates(): Member[] {
    return this.pool.liveMembers().filter((m) => m.device.storage.available);
  }

  /** The least-loaded live member with the unit. */
  private pick(): Member {
    const live = this.pool.liveMembers();
    if (live.length === 0) throw this.pool.exhaustedError();
    const candidates = this.candidates();
    // Without the unit anywhere, the first member's storage gives the usual one-line error.
    if (candidates.length === 0) return live[0]!;
    return candidates.reduce((best, m) => (m.load < best.load ? m : best));
  }
}

/** Whether `error` says the member (its link or the device) failed, rather than the request. */
function isMemberFailure(error: unknown): boolean {
  if (error instanceof TransportError || error instanceof TimeoutError || error instanceof ProtocolError) return true;
  return error instanceof DeviceStatusError && LINK_STATUSES.has(error.status);
}

/** A pool's identity from its members': the first's, with shared capabilities and summed cores. */
function poolHandshake(infos: readonly DeviceInfo[]): DeviceInfo {
  const first = infos[0]!;
  let capabilities = first.capabilities;
  let keccakCores = 0;
  let storageEntries = first.storageEntries;
  for (const info of infos) {
    capabilities &= info.capabilities;
    keccakCores += info.keccakCores;
    storageEntries = Math.min(storageEntries, info.storageEntries);
  }
  capabilities >>>= 0;
  const capabilityNames = Object.entries(CAPABILITY)
    .filter(([, bit]) => (capabilities >>> bit) & 1)
    .map(([name]) => name);
  return { ...first, capabilities, keccakCores: Math.min(255, keccakCores), storageEntries, capabilityNames };
}

function memberOpenError(err: unknown, index: number, spec: PoolMemberSpec): unknown {
  if (!(err instanceof EvmFpgaError) || err instanceof DeviceStatusError) return err;
  const Kind = err.constructor as new (message: string, options: { cause: unknown; details?: string }) => EvmFpgaError;
  return new Kind(`pool member ${index + 1} (${formatDeviceSpec(spec)}): ${err.shortMessage}`, {
    cause: err,
    ...(err.details !== undefined ? { details: err.details } : {}),
  });
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidInputError(`option ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

