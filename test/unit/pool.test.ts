/**
 * The device pool over in-memory members (device models behind the memory transport): load
 * spreading, failover when a member stops answering or its link dies mid-batch, late answers of
 * a removed member dropped, every member gone, request errors that must not remove a member, the
 * pinned storage session, and pool spec parsing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDevice, type Device } from '../../host/device/device.ts';
import { createDevicePool, openDevicePool, type DevicePool } from '../../host/device/pool.ts';
import { formatDeviceSpec, parseDeviceSpec } from '../../host/device/spec.ts';
import { DeviceSpecError, DeviceStatusError, InvalidInputError, PoolExhaustedError, TimeoutError, TransportError } from '../../host/errors.ts';
import { softwareKeccak256 } from '../../host/selftest/software-keccak.ts';
import { randomMessages } from '../../host/selftest/run.ts';
import { createMemoryLink, type MemoryLink } from '../../host/transport/memory.ts';
import { createDeviceModel, type DeviceModel, type DeviceModelOptions } from './device-model.ts';
import { serveStorageModel } from './storage-model.ts';
import type { StorageRecord } from '../../host/storage/records.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

interface ModelMember {
  device: Device;
  model: DeviceModel;
  link: MemoryLink;
}

async function modelMember(options: DeviceModelOptions = {}, open: { timeoutMs?: number; retryCount?: number } = {}): Promise<ModelMember> {
  const link = createMemoryLink('model');
  const model = await createDeviceModel(link.device, options);
  const device = await openDevice('sim', { transport: link.host, timeoutMs: open.timeoutMs ?? 2000, retryCount: open.retryCount ?? 3 });
  return { device, model, link };
}

async function expectDigests(messages: Uint8Array[], got: Uint8Array[]) {
  const sw = await softwareKeccak256();
  expect(got).toHaveLength(messages.length);
  const wrong = messages.map((m, i) => (hex(got[i]!) === hex(sw(m)) ? -1 : i)).filter((i) => i >= 0);
  expect(wrong).toEqual([]);
}

/** Everything answered exactly once: the items the members answered add up to the items asked. */
function expectExactlyOnce(pool: DevicePool, items: number) {
  expect(pool.members.reduce((n, m) => n + m.completed, 0)).toBe(items);
  expect(pool.members.every((m) => m.inFlight === 0)).toBe(true);
}

describe('device pool: load spreading', () => {
  it('spreads a batch over every member and returns the digests in order', async () => {
    const a = await modelMember();
    const b = await modelMember();
    const pool = createDevicePool([a.device, b.device]);
    const messages = randomMessages(3000, 7);
    await expectDigests(messages, await pool.keccak256Batch(messages));
    const [ma, mb] = pool.members;
    expect(ma!.completed).toBeGreaterThan(0);
    expect(mb!.completed).toBeGreaterThan(0);
    expectExactlyOnce(pool, messages.length);
    expect(a.model.counters.hashes + b.model.counters.hashes).toBe(messages.length);
    expect(pool.poolStats).toEqual({ removedMembers: 0, resentSlices: 0, resentItems: 0, droppedAnswers: 0 });
    await pool.close();
  });

  it('gives the faster member more of the work', async () => {
    const fast = await modelMember({ framesPerTurn: 64 });
    const slow = await modelMember({ framesPerTurn: 2 });
    // Small slices so the split follows the members' speed rather than the first hand-out.
    const pool = createDevicePool([slow.device, fast.device], { sliceItems: 16, memberWindowBytes: 2048 });
    const messages = randomMessages(2000, 3).map((m) => m.subarray(0, 64));
    await expectDigests(messages, await pool.keccak256Batch(messages));
    const [s, f] = pool.members;
    expect(f!.completed).toBeGreaterThan(2 * s!.completed);
    expectExactlyOnce(pool, messages.length);
    await pool.close();
  });

  it('spreads concurrent single requests and small batches too', async () => {
    const a = await modelMember();
    const b = await modelMember();
    const pool = createDevicePool([a.device, b.device]);
    const messages = randomMessages(200, 11);
    const got = await Promise.all(messages.map((m) => pool.keccak256(m)));
    await expectDigests(messages, got);
    const small = messages.slice(0, 10);
    await expectDigests(small, await pool.keccak256Batch(small));
    expect(pool.members.every((m) => m.completed > 0)).toBe(true);
    expect(await pool.keccak256Batch([])).toEqual([]);
    await pool.close();
  });

  it('sends one-at-a-time requests round the idle members', async () => {
    const a = await modelMember();
    const b = await modelMember();
    const pool = createDevicePool([a.device, b.device]);
    const messages = randomMessages(10, 4);
    const got: Uint8Array[] = [];
    for (const m of messages) got.push(await pool.keccak256(m));
    await expectDigests(messages, got);
    expect(pool.members.map((m) => m.completed)).toEqual([5, 5]);
    await pool.close();
  });

  it('reports the members in info, with counters summed', async () => {
    const a = await modelMember();
    const b = await modelMember();
    const pool = createDevicePool([a.device, b.device]);
    await pool.keccak256Batch(randomMessages(100, 1));
    const info = await pool.info();
    expect(info.hashes).toBe(100);
    expect(info.keccakCores).toBe(2);
    expect(info.members.map((m) => [m.spec, m.state])).toEqual([
      ['sim', 'live'],
      ['sim', 'live'],
    ]);
    expect(info.members.map((m) => m.info!.hashes).reduce((x, y) => x + y)).toBe(100);
    expect(formatDeviceSpec(pool.spec)).toBe('pool:sim,sim');
    await pool.close();
  });
});

describe('device pool: failover', () => {
  it('takes out a member that stops answering mid-batch and re-sends its requests', async () => {
    let answered = 0;
    const dying = await modelMember(
      { faults: { response: () => (++answered > 150 ? 'drop' : 'pass') } },
      { timeoutMs: 100, retryCount: 1 },
    );
    const healthy = await modelMember({}, { timeoutMs: 100, retryCount: 1 });
    const lines: string[] = [];
    const pool = createDevicePool([dying.device, healthy.device], { sliceItems: 64, progress: (l) => lines.push(l) });
    const messages = randomMessages(2000, 5);
    await expectDigests(messages, await pool.keccak256Batch(messages));
    const [d, h] = pool.members;
    expect(d!.state).toBe('removed');
    expect(d!.removedBecause).toMatch(/timed out|no answer/);
    expect(h!.state).toBe('live');
    expect(pool.poolStats.removedMembers).toBe(1);
    expect(pool.poolStats.resentItems).toBeGreaterThan(0);
    expectExactlyOnce(pool, messages.length);
    expect(lines.join('\n')).toMatch(/member 1 \(sim\) taken out: .*re-sent to 1 remaining member/);
    // The pool keeps working on the survivor.
    await expectDigests(messages.slice(0, 50), await pool.keccak256Batch(messages.slice(0, 50)));
    await pool.close();
  });

  it('re-sends the requests of a member whose link dies mid-batch', async () => {
    const a = await modelMember();
    const b = await modelMember();
    const pool = createDevicePool([a.device, b.device], { sliceItems: 32 });
    const messages = randomMessages(3000, 9);
    const pending = pool.keccak256Batch(messages);
    while (pool.members[0]!.completed < 200) await new Promise((r) => setImmediate(r));
    await a.link.device.close(); // the device end goes away, like a killed process
    await expectDigests(messages, await pending);
    expect(pool.members[0]!.state).toBe('removed');
    expect(pool.members[0]!.removedBecause).toMatch(/closed/);
    expect(pool.poolStats.resentItems).toBeGreaterThan(0);
    expectExactlyOnce(pool, messages.length);
    await pool.close();
  });

  it('drops the late answers of a removed member (they arrive after the re-send)', async () => {
    const sw = await softwareKeccak256();
    const a = await modelMember();
    const b = await modelMember();
    // A member whose first slice fails with a timeout while its second is still out; the second
    // then "answers" after the pool moved it elsewhere and before the new holder answers, with
    // wrong digests the pool must never use.
    let calls = 0;
    let releaseLate!: () => void;
    const late = new Promise<void>((r) => (releaseLate = r));
    let lateDelivered = false;
    const flaky: Device = Object.create(a.device, {
      keccak256Batch: {
        value: (messages: Uint8Array[]) => {
          const call = ++calls;
          if (call === 1) return new Promise((_, reject) => setTimeout(() => reject(new TimeoutError('KECCAK request timed out after 4 attempts')), 5));
          if (call === 2) {
            return late.then(() => {
              lateDelivered = true;
              return messages.map(() => new Uint8Array(32).fill(0xff));
            });
          }
          return a.device.keccak256Batch(messages);
        },
      },
    });
    // The survivor answers only after the late answer is in.
    const held: Device = Object.create(b.device, {
      keccak256Batch: { value: (messages: Uint8Array[]) => late.then(() => new Promise((r) => setTimeout(r, 5))).then(() => b.device.keccak256Batch(messages)) },
    });
    const pool = createDevicePool([flaky, held], { sliceItems: 50, progress: () => releaseLate() });
    const messages = randomMessages(400, 13);
    const got = await pool.keccak256Batch(messages);
    expect(lateDelivered).toBe(true);
    expect(pool.members[0]!.state).toBe('removed');
    expect(pool.poolStats.droppedAnswers).toBe(1);
    expect(got.findIndex((d, i) => hex(d) !== hex(sw(messages[i]!)))).toBe(-1);
    expectExactlyOnce(pool, messages.length);
    await pool.close();
  });

  it('rejects with a one-line PoolExhaustedError when every member is gone, now and later', async () => {
    const a = await modelMember();
    const b = await modelMember();
    const pool = createDevicePool([a.device, b.device], { sliceItems: 16 });
    const pending = pool.keccak256Batch(randomMessages(2000, 2));
    while (pool.members[0]!.completed + pool.members[1]!.completed < 100) await new Promise((r) => setImmediate(r));
    await a.link.device.close();
    await b.link.device.close();
    const error = await pending.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(PoolExhaustedError);
    expect(error).toBeInstanceOf(TransportError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^pool:sim,sim: no device left in the pool \(member 1 sim: .*closed.*; member 2 sim: .*\)$/);
    await expect(pool.keccak256(new Uint8Array(1))).rejects.toBeInstanceOf(PoolExhaustedError);
    await expect(pool.info()).rejects.toBeInstanceOf(PoolExhaustedError);
    await pool.close();
  });

  it('fails the call, not the member, for errors that are the request\'s own', async () => {
    const a = await modelMember();
    const b = await modelMember();
    const pool = createDevicePool([a.device, b.device]);
    // The models have no EVM unit: every member would answer the same.
    expect(pool.evm.available).toBe(false);
    await expect(pool.evm.execBatch([{ op: 'ADD', a: 1n, b: 2n }])).rejects.toBeInstanceOf(DeviceStatusError);
    await expect(pool.evm.execBatch([{ op: 'ADD', a: 1n }])).rejects.toThrow(/op 0/);
    await expect(pool.keccak256Batch([new Uint8Array(1), 'x' as never])).rejects.toThrow(/message 1 must be a Uint8Array/);
    expect(pool.members.map((m) => m.state)).toEqual(['live', 'live']);
    await pool.close();
  });

  it('answers every message exactly once under random member deaths (property)', async () => {
    const sw = await softwareKeccak256();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 1000 }),
        async (size, deaths, sliceItems, seed) => {
          const members = await Promise.all(Array.from({ length: size }, () => modelMember()));
          const pool = createDevicePool(members.map((m) => m.device), { sliceItems });
          const messages = randomMessages(600, seed);
          const pending = pool.keccak256Batch(messages);
          // Kill up to size-1 members after they answered `deaths[k]` items in total.
          const victims = deaths.slice(0, size - 1);
          for (let k = 0; k < victims.length; k++) {
            const total = () => pool.members.reduce((n, m) => n + m.completed, 0);
            for (let spins = 0; total() < victims[k]! && spins < 10_000; spins++) await new Promise((r) => setImmediate(r));
            await members[k]!.link.device.close();
          }
          const got = await pending;
          const ok = got.length === messages.length && got.every((d, i) => hex(d) === hex(sw(messages[i]!)));
          const once = pool.members.reduce((n, m) => n + m.completed, 0) === messages.length;
          await pool.close();
          return ok && once;
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('device pool: storage session', () => {
  const records: StorageRecord[] = [
    { tx: 0, key: 0x1234, write: false, version: 0xffff },
    { tx: 0, key: 0x1234, write: true, version: 0 },
    { tx: 1, key: 0x1234, write: false, version: 0 },
  ];

  async function storageMember() {
    const link = createMemoryLink('storage');
    const model = serveStorageModel(link.device);
    const device = await openDevice('sim', { transport: link.host, timeoutMs: 200, retryCount: 1 });
    return { link, model, device };
  }

  it('pins a block to one member from reset() to the next, and moves on when it dies', async () => {
    const a = await storageMember();
    const b = await storageMember();
    const pool = createDevicePool([a.device, b.device]);
    expect(pool.storage.available).toBe(true);
    await pool.storage.reset();
    const pinned = pool.members.findIndex((m) => m.storageSession);
    expect(pinned).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < 3; i++) await pool.storage.check(records);
    const [holder, other] = pinned === 0 ? [a, b] : [b, a];
    expect(holder.model.frames).toHaveLength(3);
    expect(other.model.frames).toHaveLength(0);
    await holder.link.device.close();
    await new Promise((r) => setImmediate(r));
    await expect(pool.storage.check(records)).rejects.toThrow(/storage session was taken out .*call storage.reset\(\)/);
    await pool.storage.reset();
    await pool.storage.check(records);
    expect(other.model.frames).toHaveLength(1);
    expect(pool.members[1 - pinned]!.storageSession).toBe(true);
    await pool.close();
  });
});

describe('pool specs', () => {
  it.each([
    ['pool:sim,sim', { kind: 'pool', members: [{ kind: 'sim', uart: 'fast', roundsPerClock: 1 }, { kind: 'sim', uart: 'fast', roundsPerClock: 1 }] }],
    ['pool:sim:uart?rounds=2', { kind: 'pool', members: [{ kind: 'sim', uart: 'bit', roundsPerClock: 2 }] }],
    [
      'pool:uart:/dev/ttyUSB1,tcp:127.0.0.1:7777',
      { kind: 'pool', members: [{ kind: 'uart', path: '/dev/ttyUSB1', baudRate: 3_000_000 }, { kind: 'tcp', host: '127.0.0.1', port: 7777 }] },
    ],
  ])('accepts %s', (text, expected) => {
    const spec = parseDeviceSpec(text);
    expect(spec).toEqual(expected);
    expect(parseDeviceSpec(formatDeviceSpec(spec))).toEqual(spec);
  });

  it.each(['pool:pcie:/dev/xdma0,pcie:/dev/xdma1', 'pool:sim:pcie,sim'])('accepts PCIe members: %s', (text) => {
    const spec = parseDeviceSpec(text);
    if (spec.kind !== 'pool') throw new Error('not a pool');
    expect(spec.members).toHaveLength(2);
    expect(spec.members.map((m) => m.kind)).not.toContain('pool');
    expect(formatDeviceSpec(spec)).toBe(text);
    expect(parseDeviceSpec(formatDeviceSpec(spec))).toEqual(spec);
  });

  it.each([
    ['pool:', /a pool needs at least one member/],
    ['pool', /lists its members after "pool:"/],
    ['pool?x=1', /lists its members after "pool:"/],
    ['pool:sim,,sim', /pool member 2 is empty/],
    ['pool:sim,', /pool member 2 is empty/],
    ['pool:pool:sim,sim', /pool member 1 is a pool; pools do not nest/],
    ['pool:sim,bogus', /pool member 2 "bogus": unknown device kind "bogus"/],
    ['pool:sim?rounds=5', /pool member 1 "sim\?rounds=5": rounds must divide 24/],
  ])('rejects %s with one line', (text, reason) => {
    let error: unknown;
    try {
      parseDeviceSpec(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeviceSpecError);
    const message = (error as DeviceSpecError).shortMessage;
    expect(message).toMatch(reason);
    expect(message).toMatch(/^bad device spec ".*": .*; accepted: .*pool:SPEC/);
    expect(message).not.toContain('\n');
  });

  it('refuses nested pools and a transport option', async () => {
    const a = await modelMember();
    const inner = createDevicePool([a.device]);
    expect(() => createDevicePool([inner])).toThrow(InvalidInputError);
    expect(() => createDevicePool([])).toThrow(/at least one member/);
    await expect(openDevicePool(parseDeviceSpec('pool:sim') as never, { transport: a.link.host })).rejects.toThrow(/option transport cannot be used with a pool/);
    await inner.close();
  });

  it('names the member that failed to open', async () => {
    await expect(openDevice('pool:tcp:127.0.0.1:1', { timeoutMs: 500 })).rejects.toThrow(/^pool member 1 \(tcp:127\.0\.0\.1:1\): /);
  });
});
