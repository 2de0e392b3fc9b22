/**
 * The storage-check unit end to end on the simulated RTL, through the device storage checker:
 * answers identical to the software checker on random blocks (with 31-bit key collisions), a table
 * driven to overflow with keys crafted to share one set (software fallback, then the next block
 * back on the device), empty and one-transaction blocks, the access sets the executor records on
 * fixture blocks, and the parallel executor on the ValidBlocks fixtures and a contended mainnet
 * block giving exactly the sequential output, and on a generated AMM block where every swap hits
 * one pool.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWorkload } from '../host/workload/generate.ts';
import { parseWorkloadOptions } from '../host/workload/options.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITY, openDevice, type Device } from '../host/index.ts';
import { compareExpected, compareOutputs } from '../host/executor/compare.ts';
import { createDeviceStorageChecker } from '../host/executor/device-storage-check.ts';
import { defaultFixtureDir, listJsonFiles, loadCases } from '../host/executor/load/index.ts';
import { createExecutor } from '../host/executor/parallel.ts';
import { runCaseSequential } from '../host/executor/sequential.ts';
import { createSoftwareStorageChecker, type AccessRecord } from '../host/executor/storage-check.ts';
import { createRecordingChecker, randomDigests, runSyntheticBlock, seededRandom, type AccessSetOptions, type RecordedCall } from '../host/storage/synthetic.ts';

const FIX = defaultFixtureDir();
const VALID_BLOCKS = listJsonFiles(join(FIX, 'ethereum-tests', 'ValidBlocks'));
/** 18 transactions, 14 of them conflicting under speculation (the executor falls back for contention). */
const CONTENDED = join(FIX, 'mainnet', '930196');
const SHAPE: AccessSetOptions = { keys: [], reads: [0, 6], writes: [0, 3], staleness: 0.15, batch: [1, 40], shuffleWithinTx: true, hot: 0.3 };

const answers = (calls: RecordedCall[]) => calls.map((c) => (c.op === 'check' ? c.result : c.op));

describe('storage-check unit on the simulated RTL', () => {
  let device: Device;
  beforeAll(async () => {
    device = await openDevice('sim', { timeoutMs: 30_000 });
  });
  afterAll(() => device?.close());

  it('the simulated device has the unit', () => {
    expect((device.handshake.capabilities >>> CAPABILITY.STORAGE_CHECK) & 1).toBe(1);
    expect(device.handshake.storageEntries).toBeGreaterThan(0);
  });

  it('random blocks, with and without 31-bit key collisions: the software answers', async () => {
    let falseConflicts = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const base = randomDigests(40 + seed * 20, seededRandom(seed));
      const keys = seed % 2 ? base : base.flatMap((d) => [d, d ^ 0x1357_9bdf_1357_9bdfn]);
      const checker = createDeviceStorageChecker(device);
      const { calls } = await runSyntheticBlock(100 + seed * 40, { ...SHAPE, keys }, seed, [createSoftwareStorageChecker(), checker]);
      expect(answers(calls[1]!), `seed ${seed}`).toEqual(answers(calls[0]!));
      expect(checker.stats.fallbacks, `seed ${seed}: ${checker.blocks[0]!.fallback}`).toBe(0);
      expect(checker.stats.cycles).toBeGreaterThan(0);
      falseConflicts += checker.stats.falseConflicts;
    }
    expect(falseConflicts).toBeGreaterThan(0);
  });

  it('a set driven full overflows: software for the block, the device again after RESET', async () => {
    // storage_unit.sv: set index = key[S-1:0] ^ key[2S-1:S], S = log2(entries / ways). Keys equal
    // in their low 2S bits for the largest S (2 ways) share a set for any number of ways from 2 to
    // 16, and 32 of them overfill it.
    const S = Math.log2(device.handshake.storageEntries / 2);
    expect(Number.isInteger(S) && 2 * S <= 26).toBe(true);
    const sameSet = Array.from({ length: 32 }, (_, t) => (BigInt(t + 1) << BigInt(2 * S)) | 0x155n);
    const checker = createDeviceStorageChecker(device);
    const software = createSoftwareStorageChecker();
    const shape: AccessSetOptions = { ...SHAPE, keys: sameSet, hot: 0, staleness: 0.1 };
    const full = await runSyntheticBlock(60, shape, 5, [software, checker]);
    expect(answers(full.calls[1]!)).toEqual(answers(full.calls[0]!));
    expect(checker.blocks[0]!.fallback).toMatch(/^table overflow after \d+ records$/);
    const next = await runSyntheticBlock(40, { ...SHAPE, keys: randomDigests(100, seededRandom(9)) }, 9, [software, checker]);
    expect(answers(next.calls[1]!)).toEqual(answers(next.calls[0]!));
    expect(checker.blocks[1]!.fallback).toBeUndefined();
    expect(checker.blocks[1]!.records).toBeGreaterThan(0);
  });

  it('empty blocks, an empty batch, one transaction; batches over many frames', async () => {
    const checker = createDeviceStorageChecker(device);
    await checker.reset();
    await checker.reset();
    expect(await checker.check([])).toEqual({ committed: 0 });
    const one: AccessRecord[] = [
      { tx: 0, key: 77n, kind: 'write', version: 0 },
      { tx: 0, key: 78n, kind: 'read', version: -1 },
    ];
    expect(await checker.check(one)).toEqual({ committed: 1 });
    expect(await checker.check([{ tx: 1, key: 77n, kind: 'read', version: -1 }])).toEqual({ committed: 0, invalidTx: 1, conflictKey: 77n });
    expect(await checker.check([{ tx: 1, key: 77n, kind: 'read', version: 0 }])).toEqual({ committed: 1 });
    // 1,500 transactions in one batch (3 frames), a conflict in the last frame.
    await checker.reset();
    const big: AccessRecord[] = [];
    for (let tx = 0; tx < 1500; tx++) big.push({ tx, key: BigInt(1000 + tx), kind: 'write', version: 0 });
    big.push({ tx: 1500, key: 1000n, kind: 'read', version: -1 });
    expect(await checker.check(big)).toEqual({ committed: 1500, invalidTx: 1500, conflictKey: 1000n });
    expect(checker.blocks.map((b) => b.fallback)).toEqual([undefined, undefined, undefined]);
    expect(checker.blocks[2]!.frames).toBe(1 + 3);
  });

  it('access sets recorded from fixture blocks replay with the same answers', async () => {
    const recorder = createRecordingChecker();
    const executor = await createExecutor({ workers: 2, minParallelTxs: 0, storageChecker: recorder });
    try {
      for (const path of [CONTENDED, ...VALID_BLOCKS.filter((f) => /bcStateTests/.test(f))]) {
        for (const c of await loadCases(path)) await executor.executeCase(c);
      }
    } finally {
      await executor.close();
    }
    const checker = createDeviceStorageChecker(device);
    let checks = 0;
    for (const call of recorder.calls) {
      if (call.op === 'reset') await checker.reset();
      else {
        expect(await checker.check(call.batch)).toEqual(call.result);
        checks++;
      }
    }
    expect(checks).toBeGreaterThan(30);
    expect(checker.stats.fallbacks).toBe(0);
  }, 600_000);

  it('the executor with the device checker: ValidBlocks and a contended block equal sequential', async () => {
    const checker = createDeviceStorageChecker(device);
    const executor = await createExecutor({ workers: 2, minParallelTxs: 0, storageChecker: checker });
    let conflicts = 0;
    try {
      for (const path of [CONTENDED, ...VALID_BLOCKS]) {
        for (const c of await loadCases(path)) {
          const seq = await runCaseSequential(c);
          const par = await executor.executeCase(c);
          par.forEach((p, i) => {
            expect(compareExpected(p.outputs, c.expected[i]!), `${c.name} block ${i} vs expected`).toEqual([]);
            expect(compareOutputs(p.outputs, seq[i]!.outputs), `${c.name} block ${i} vs sequential`).toEqual([]);
            conflicts += p.stats.conflicts;
          });
        }
      }
    } finally {
      await executor.close();
    }
    expect(conflicts).toBeGreaterThan(0);
    expect(checker.stats.fallbacks).toBe(0);
    expect(checker.stats.records).toBeGreaterThan(0);
  }, 600_000);
});

describe('a contended workload with the device checker', () => {
  it('an AMM block with every swap on one pool equals sequential', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evm-fpga-amm-'));
    await writeWorkload(dir, parseWorkloadOptions({ kind: 'amm', txs: 60, accounts: 120, hot: 1, seed: 11 }));
    const device = await openDevice('sim', { timeoutMs: 30_000 });
    const checker = createDeviceStorageChecker(device);
    // Never fall back to sequential for contention here: every conflict must go through the unit.
    const executor = await createExecutor({ workers: 2, minParallelTxs: 0, maxReexecutionShare: 1, storageChecker: checker });
    try {
      for (const c of await loadCases(dir)) {
        const seq = await runCaseSequential(c);
        const par = await executor.executeCase(c);
        par.forEach((p, i) => expect(compareOutputs(p.outputs, seq[i]!.outputs), `block ${i} vs sequential`).toEqual([]));
      }
      expect(checker.stats.records).toBeGreaterThan(0);
      expect(checker.stats.fallbacks).toBe(0);
    } finally {
      await executor.close();
      await device.close();
    }
  }, 600_000);
});

describe('fixtures used here', () => {
  it('ValidBlocks has 20 files; the contended block exists', () => {
    expect(VALID_BLOCKS).toHaveLength(20);
    expect(readdirSync(CONTENDED)).toContain('block.json');
  });
});
