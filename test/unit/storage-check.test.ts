/**
 * The device storage checker and `device.storage` against a TypeScript model of the STORAGE
 * command (test/unit/storage-model.ts) over the memory transport: record encoding, framing into
 * ≤ 511-record frames, and the checker's answers compared call by call with the software checker
 * on random blocks, with 31-bit key collisions, overflowing tables, lost frames, empty and
 * one-transaction blocks. The RTL itself is tested the same way in test/storage-device.test.ts.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareOutputs } from '../../host/executor/compare.ts';
import { defaultFixtureDir, loadCases } from '../../host/executor/load/index.ts';
import { createExecutor } from '../../host/executor/parallel.ts';
import { runCaseSequential } from '../../host/executor/sequential.ts';
import { openDevice, type Device } from '../../host/device/device.ts';
import { createDeviceStorageChecker } from '../../host/executor/device-storage-check.ts';
import { createSoftwareStorageChecker, type AccessRecord } from '../../host/executor/storage-check.ts';
import { CAPABILITY, STATUS, STORAGE } from '../../host/protocol/spec.ts';
import { decodeStorageRequest, decodeStorageResult, encodeStorageCheck, encodeStorageResult, reduceKeyDigest } from '../../host/storage/records.ts';
import { randomDigests, runSyntheticBlock, seededRandom, type AccessSetOptions } from '../../host/storage/synthetic.ts';
import { createMemoryLink } from '../../host/transport/memory.ts';
import { serveStorageModel, type StorageModelOptions } from './storage-model.ts';

const opened: Device[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
});

async function setup(o: StorageModelOptions = {}) {
  const link = createMemoryLink();
  const model = serveStorageModel(link.device, o);
  const device = await openDevice('sim', { transport: link.host, timeoutMs: 200 });
  opened.push(device);
  return { device, model };
}

const SHAPE: AccessSetOptions = { keys: [], reads: [0, 6], writes: [0, 3], staleness: 0.15, batch: [1, 12], shuffleWithinTx: true, hot: 0.3 };

/** Runs the same synthetic block through the device checker and software; answers must be equal. */
async function compareBlock(device: Device, txs: number, shape: AccessSetOptions, seed: number) {
  const checker = createDeviceStorageChecker(device);
  const { calls } = await runSyntheticBlock(txs, shape, seed, [createSoftwareStorageChecker(), checker]);
  expect(calls[1]!.map((c) => (c.op === 'check' ? c.result : c))).toEqual(calls[0]!.map((c) => (c.op === 'check' ? c.result : c)));
  return { checker, calls: calls[0]! };
}

describe('STORAGE records', () => {
  it('reduces 64-bit digests to 31 bits: lo ^ hi, bit 31 folded into bit 0', () => {
    expect(reduceKeyDigest(0n)).toBe(0);
    expect(reduceKeyDigest(0x1234_5678_1234_5678n)).toBe(0);
    expect(reduceKeyDigest(0x8000_0000n)).toBe(1);
    expect(reduceKeyDigest(0x0000_0001_8000_0000n)).toBe(0);
    expect(reduceKeyDigest(0x7fff_ffffn)).toBe(0x7fff_ffff);
    const r = seededRandom(1);
    for (const d of randomDigests(1000, r)) {
      const k = reduceKeyDigest(d);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThan(2 ** 31);
      // XORing the same word into both halves keeps the device key: the way tests craft collisions.
      expect(reduceKeyDigest(d ^ 0x0bad_f00d_0bad_f00dn)).toBe(k);
    }
  });

  it('encodes the header and 8-byte records little-endian, and decodes them back', () => {
    const records = [
      { key: 0x7fff_ffff, write: false, tx: 3, version: 0xffff },
      { key: 5, write: true, tx: 0xfffe, version: 0 },
    ];
    const p = encodeStorageCheck(records, 0, 2, true);
    expect(p.length).toBe(24);
    expect([...p.subarray(0, 8)]).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    expect([...p.subarray(8, 16)]).toEqual([0xff, 0xff, 0xff, 0x7f, 3, 0, 0xff, 0xff]);
    expect([...p.subarray(16, 24)]).toEqual([5, 0, 0, 0x80, 0xfe, 0xff, 0, 0]);
    expect(decodeStorageRequest(p)).toEqual({ op: STORAGE.opCheck, first: true, records });
    expect(() => encodeStorageCheck([{ key: 1, write: true, tx: 0xffff, version: 0 }], 0, 1, false)).toThrow(/tx 65535 is out of range/);
    expect(() => encodeStorageCheck([{ key: 2 ** 31, write: true, tx: 1, version: 0 }], 0, 1, false)).toThrow(/not a 31-bit/);
    const res = { looked: 7, invalid: true, overflow: false, stopped: true, invalidTx: 9, invalidKey: 0x1234567, cycles: 99 };
    expect(decodeStorageResult(encodeStorageResult(res))).toEqual(res);
  });
});

describe('device.storage on a model of the STORAGE command', () => {
  it('sends a batch in frames of at most 511 records, pipelined, FIRST on the first only', async () => {
    const { device, model } = await setup({ sets: 4096, ways: 4 });
    expect(device.storage.available).toBe(true);
    expect(device.storage.entries).toBe(16384);
    await device.storage.reset();
    const records = Array.from({ length: 1200 }, (_, i) => ({ key: i * 7919, write: true, tx: i, version: 0 }));
    const answer = await device.storage.check(records);
    expect(model.frames).toEqual([511, 511, 178]);
    expect(model.maxFramesPerWrite).toBeGreaterThan(1);
    expect(answer).toMatchObject({ frames: 3, looked: 1200, overflow: false, retried: false });
    expect(answer.invalid).toBeUndefined();
    expect(answer.cycles).toBe(1203);
    // A stale read stops the batch; later frames answer STOPPED.
    const bad = [...records.slice(0, 600).map((r) => ({ ...r, write: false, version: r.tx })), { key: 7919, write: false, tx: 600, version: 0xffff }, ...records.slice(0, 600).map((r) => ({ ...r, write: false, version: r.tx }))];
    const stopped = await device.storage.check(bad);
    expect(stopped.invalid).toEqual({ tx: 600, key: 7919 });
    expect(stopped.results.map((r) => r.stopped)).toEqual([false, false, true]);
    expect(await device.storage.check([])).toMatchObject({ frames: 0, looked: 0 });
  });

  it('a device without the unit fails with one clear line', async () => {
    const { device } = await setup({ capabilities: 1 << CAPABILITY.KECCAK });
    expect(device.storage.available).toBe(false);
    await expect(device.storage.reset()).rejects.toThrow('this device has no storage-check unit (capabilities: KECCAK)');
  });
});

describe('the device storage checker gives the software answers', () => {
  it('random blocks (40 seeds): conflicts, stale reads, writes before reads within a transaction', async () => {
    const { device } = await setup();
    for (let seed = 1; seed <= 40; seed++) {
      const keys = randomDigests(50 + seed * 5, seededRandom(seed));
      const { checker, calls } = await compareBlock(device, 20 + seed * 3, { ...SHAPE, keys }, seed);
      expect(checker.stats.fallbacks).toBe(0);
      expect(checker.stats.falseConflicts).toBe(0);
      if (seed === 40) expect(calls.some((c) => c.op === 'check' && c.result.invalidTx !== undefined)).toBe(true);
    }
  });

  it('31-bit key collisions: device conflicts re-checked at 64 bits, false ones committed', async () => {
    const { device } = await setup();
    let falseConflicts = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = seededRandom(100 + seed);
      const base = randomDigests(30, r);
      // Every key has a twin with the same device key: most device conflicts are false.
      const keys = base.flatMap((d) => [d, d ^ 0x5555_aaaa_5555_aaaan]);
      const { checker } = await compareBlock(device, 60, { ...SHAPE, keys, staleness: 0.05 }, seed);
      expect(checker.stats.fallbacks).toBe(0);
      falseConflicts += checker.stats.falseConflicts;
    }
    expect(falseConflicts).toBeGreaterThan(10);
  });

  it('an overflowing table falls back to software for the block (committed writes replayed); the next block uses the device', async () => {
    const { device } = await setup({ sets: 4, ways: 2 });
    const keys = randomDigests(200, seededRandom(7));
    const checker = createDeviceStorageChecker(device);
    const software = createSoftwareStorageChecker();
    const first = await runSyntheticBlock(80, { ...SHAPE, keys }, 7, [software, checker]);
    expect(first.calls[1]!.map((c) => c.op === 'check' && c.result)).toEqual(first.calls[0]!.map((c) => c.op === 'check' && c.result));
    expect(checker.blocks[0]!).toMatchObject({ checker: 'software' });
    expect(checker.blocks[0]!.fallback).toMatch(/^table overflow after \d+ records$/);
    expect(checker.blocks[0]!.softwareRecords).toBeGreaterThan(0);
    // A small block fits: back on the device.
    const small = await runSyntheticBlock(3, { ...SHAPE, keys: keys.slice(0, 2), reads: [1, 1], writes: [1, 1] }, 8, [software, checker]);
    expect(small.calls[1]!.map((c) => c.op === 'check' && c.result)).toEqual(small.calls[0]!.map((c) => c.op === 'check' && c.result));
    expect(checker.blocks[1]!).toMatchObject({ checker: 'device', softwareRecords: 0 });
    expect(checker.stats).toMatchObject({ blocks: 2, fallbacks: 1 });
  });

  it('empty blocks, an empty batch, and a block with one transaction', async () => {
    const { device } = await setup();
    const checker = createDeviceStorageChecker(device);
    await checker.reset();
    expect(await checker.check([])).toEqual({ committed: 0 });
    await checker.reset();
    const one: AccessRecord[] = [
      { tx: 0, key: 5n, kind: 'write', version: 0 },
      { tx: 0, key: 6n, kind: 'read', version: -1 },
    ];
    expect(await checker.check(one)).toEqual({ committed: 1 });
    expect(await checker.check([{ tx: 1, key: 5n, kind: 'read', version: -1 }])).toEqual({ committed: 0, invalidTx: 1, conflictKey: 5n });
    expect(checker.blocks.map((b) => b.records)).toEqual([0, 3]);
    expect(checker.stats.fallbacks).toBe(0);
  });

  it('a lost STORAGE frame (re-sent out of order) sends the block to software', async () => {
    const { device } = await setup({ dropStorageFrame: 3 });
    const keys = randomDigests(2000, seededRandom(3));
    const { checker } = await compareBlock(device, 400, { ...SHAPE, keys, batch: [100, 200], staleness: 0 }, 3);
    expect(checker.blocks[0]!.fallback).toBe('the link re-sent a STORAGE frame (order not guaranteed)');
  });

  it('no unit, a failing device, or 65,535+ transactions: software, reported', async () => {
    const { device } = await setup({ capabilities: 1 << CAPABILITY.KECCAK });
    const keys = randomDigests(40, seededRandom(4));
    const { checker } = await compareBlock(device, 30, { ...SHAPE, keys }, 4);
    expect(checker.blocks[0]!.fallback).toBe('the device has no storage-check unit');

    const failing = await setup({ storageStatus: STATUS.BAD_LENGTH });
    const c2 = await compareBlock(failing.device, 30, { ...SHAPE, keys }, 5);
    expect(c2.checker.blocks[0]!.fallback).toMatch(/^device error on RESET: .*BAD_LENGTH/);

    const ok = await setup();
    const c3 = createDeviceStorageChecker(ok.device);
    await c3.reset();
    expect(await c3.check([{ tx: 0, key: 1n, kind: 'write', version: 0 }])).toEqual({ committed: 1 });
    expect(await c3.check([{ tx: 65535, key: 1n, kind: 'read', version: 0 }])).toEqual({ committed: 1 });
    expect(await c3.check([{ tx: 65536, key: 1n, kind: 'read', version: -1 }])).toEqual({ committed: 0, invalidTx: 65536, conflictKey: 1n });
    expect(c3.blocks[0]!.fallback).toMatch(/does not fit 16 bits/);
  });
});

describe('the executor on the model device', () => {
  it('a contended mainnet block: sequential output, with a roomy table and with one that overflows', async () => {
    const paths = [join(defaultFixtureDir(), 'mainnet', '930196')];
    for (const sets of [1024, 2]) {
      const { device } = await setup({ sets, ways: 2 });
      const checker = createDeviceStorageChecker(device);
      const executor = await createExecutor({ workers: 2, minParallelTxs: 0, storageChecker: checker });
      let conflicts = 0;
      try {
        for (const path of paths) {
          for (const c of await loadCases(path)) {
            const seq = await runCaseSequential(c);
            const par = await executor.executeCase(c);
            par.forEach((p, i) => {
              expect(compareOutputs(p.outputs, seq[i]!.outputs), `${c.name} block ${i}, ${sets} sets`).toEqual([]);
              conflicts += p.stats.conflicts;
            });
          }
        }
      } finally {
        await executor.close();
      }
      expect(conflicts).toBeGreaterThan(0);
      expect(checker.stats.records).toBeGreaterThan(0);
      if (sets === 2) expect(checker.stats.fallbacks).toBeGreaterThan(0);
      else expect(checker.stats.fallbacks).toBe(0);
    }
  }, 300_000);
});
