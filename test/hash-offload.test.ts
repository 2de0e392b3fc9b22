/**
 * Hash offload on the simulated RTL (docs/hash-offload.md): the device batch hasher against
 * software (edge sizes, software fallback counted, cycles and permutations from INFO), the batched
 * state root through the device on random states, the executor with the state root on the device
 * and shadow verification of every Keccak it computes (ValidBlocks and two mainnet blocks, zero
 * mismatches, worker records included), a corrupted digest caught, and the CLI's exit codes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { bytesToHex } from '@ethereumjs/util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDevice, type Device } from '../host/device/device.ts';
import { compareExpected } from '../host/executor/compare.ts';
import { keccak256 } from '../host/executor/keccak.ts';
import { defaultFixtureDir, listJsonFiles, loadCases } from '../host/executor/load/index.ts';
import { createExecutor } from '../host/executor/parallel.ts';
import { buildStateManager } from '../host/executor/state.ts';
import type { AccountState, StateSnapshot } from '../host/executor/types.ts';
import { createDeviceBatchHasher } from '../host/hash/device-hasher.ts';
import { ShadowVerifier } from '../host/hash/shadow.ts';
import { stateRootOf } from '../host/hash/state-root.ts';

const FIX = defaultFixtureDir();
const VALID_BLOCKS = listJsonFiles(join(FIX, 'ethereum-tests', 'ValidBlocks'));
const MAINNET = [join(FIX, 'mainnet', '930196'), join(FIX, 'mainnet', '4370000')];
const hex = (b: Uint8Array) => bytesToHex(b);
const blocksOf = (n: number) => Math.floor(n / 136) + 1;

function cli(args: string[]) {
  return spawnSync(process.execPath, ['bin/evm-fpga.mjs', ...args], { encoding: 'utf8', timeout: 300_000 });
}

describe('hash offload on the simulated device', () => {
  let device: Device;
  beforeAll(async () => {
    device = await openDevice('sim', { timeoutMs: 30_000 });
  });
  afterAll(() => device?.close());

  it('the device hasher equals software, counts cycles and permutations, and sends what it cannot take to software', async () => {
    const sizes = [0, 1, 31, 32, 33, 135, 136, 137, 271, 272, 1000, 5000];
    const inputs = sizes.map((n, i) => Uint8Array.from({ length: n }, (_, k) => (k * 31 + i) & 255));
    const h = createDeviceBatchHasher(device, { maxMessageBytes: 1000 });
    const out = await h.hashBatch(inputs);
    expect(out.map(hex)).toEqual(inputs.map((m) => hex(keccak256(m))));
    const s = h.stats;
    const onDevice = inputs.filter((m) => m.length <= 1000);
    expect(s.hashes).toBe(inputs.length);
    expect(s.deviceHashes).toBe(onDevice.length);
    expect(s.softwareHashes).toBe(1);
    expect(s.softwareBytes).toBe(5000);
    expect(s.permutations).toBe(onDevice.reduce((n, m) => n + blocksOf(m.length), 0));
    expect(s.deviceCycles).toBeGreaterThanOrEqual((24 / device.handshake.keccakRoundsPerClock) * s.permutations);
  });

  it('state roots of random states through the device equal the MerkleStateManager root', async () => {
    const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
    const account = fc.record({
      nonce: fc.bigInt({ min: 0n, max: 1000n }),
      balance: fc.bigInt({ min: 0n, max: 2n ** 100n }),
      code: fc.oneof(fc.constant(new Uint8Array()), bytes(1, 400)),
      storage: fc.array(fc.tuple(bytes(32, 32), bytes(1, 32)), { maxLength: 10 }).map((s) => new Map(s.filter(([, v]) => v[0] !== 0).map(([k, v]) => [Buffer.from(k).toString('hex'), v]))),
    });
    const state = fc.array(fc.tuple(bytes(20, 20), account), { maxLength: 30 }).map((a): StateSnapshot => new Map(a.map(([k, v]) => [Buffer.from(k).toString('hex'), v as AccountState])));
    const hasher = createDeviceBatchHasher(device);
    await fc.assert(
      fc.asyncProperty(state, async (snapshot) => {
        const r = await stateRootOf(snapshot, hasher);
        expect(hex(r.root)).toBe(hex(await (await buildStateManager(snapshot)).getStateRoot()));
        expect(r.hashing.softwareHashes).toBe(0);
      }),
      { numRuns: 12 },
    );
    expect(hasher.stats.deviceHashes).toBeGreaterThan(100);
  });

  it('executor: state roots on the device and shadow verification of ValidBlocks and two mainnet blocks, zero mismatches', async () => {
    const shadow = new ShadowVerifier(createDeviceBatchHasher(device), { batchPairs: 2048 });
    const rootHasher = createDeviceBatchHasher(device);
    const executor = await createExecutor({ workers: 1, minParallelTxs: 0, stateRootHasher: rootHasher, keccakShadow: shadow });
    let blocks = 0;
    shadow.install();
    try {
      for (const path of [...VALID_BLOCKS, ...MAINNET]) {
        for (const c of await loadCases(path)) {
          const results = await executor.executeCase(c);
          results.forEach((r, i) => {
            expect(compareExpected(r.outputs, c.expected[i]!), `${c.name} block ${i}`).toEqual([]);
            const expected = c.expected[i]!.stateRoot;
            if (expected) expect(hex(r.outputs.stateRoot), `${c.name} block ${i}`).toBe(hex(expected));
            const o = r.stats.hashOffload!;
            expect(o.deviceHashes).toBe(o.hashes);
            expect(o.deviceCycles).toBeGreaterThan(0);
            expect(o.batchSizes.reduce((a, b) => a + b, 0)).toBe(o.hashes);
            blocks++;
          });
        }
      }
      const s = await shadow.drain();
      expect(s.mismatches).toBe(0);
      expect(s.checks).toBe(Object.values(s.bySource).reduce((n, v) => n + v.calls, 0));
      for (const source of ['opcode', 'trie', 'code', 'transactions'] as const) expect(s.bySource[source].calls, source).toBeGreaterThan(0);
      expect(s.fromWorkers).toBeGreaterThan(0);
      expect(s.hashing.deviceCycles).toBeGreaterThan(0);
    } finally {
      shadow.uninstall();
      shadow.close();
      await executor.close();
    }
    expect(blocks).toBeGreaterThanOrEqual(VALID_BLOCKS.length + 2);
  }, 300_000);

  it('a corrupted digest is caught and reported', async () => {
    const shadow = new ShadowVerifier(createDeviceBatchHasher(device), { corruptPair: 40, batchPairs: 64 });
    const executor = await createExecutor({ workers: 1, minParallelTxs: 0, keccakShadow: shadow });
    shadow.install();
    try {
      const [c] = await loadCases(MAINNET[0]!);
      await executor.executeCase(c!);
      const s = await shadow.drain();
      expect(s.checks).toBeGreaterThan(40);
      expect(s.mismatches).toBe(1);
      const m = s.firstMismatches[0]!;
      const diff = Buffer.from(m.recorded, 'hex').map((b, i) => b ^ Buffer.from(m.device, 'hex')[i]!);
      expect([...diff].reduce((n, b) => n + (b === 0 ? 0 : 1), 0)).toBe(1);
    } finally {
      shadow.uninstall();
      shadow.close();
      await executor.close();
    }
  }, 120_000);
});

describe('evm-fpga exec --device --shadow', () => {
  it('counts checks with zero mismatches (exit 0); a corrupted digest exits 1 with one line', () => {
    const ok = cli(['exec', MAINNET[0]!, '--device', 'sim', '--shadow', '--json', '--min-parallel', '0', '--workers', '1']);
    expect(ok.status, ok.stderr).toBe(0);
    const r = JSON.parse(ok.stdout);
    expect(r.shadow.checks).toBeGreaterThan(0);
    expect(r.shadow.mismatches).toBe(0);
    expect(r.stateRoots.deviceHashes).toBeGreaterThan(0);
    expect(r.blocks[0].stats.hashOffload.deviceCycles).toBeGreaterThan(0);
    const bad = cli(['exec', MAINNET[0]!, '--device', 'sim', '--shadow', '--shadow-corrupt', '5', '--workers', '1']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/1 mismatches/);
    expect(bad.stderr).toMatch(/^error: shadow verification: 1 of \d+ Keccak digests differ/m);
    const usage = cli(['exec', MAINNET[0]!, '--shadow']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--shadow needs --device/);
  }, 120_000);
});

describe('evm-fpga bench hash', () => {
  it('reports calls by source, device cycles, measured software and labelled projections, with a chart', () => {
    const out = mkdtempSync(join(tmpdir(), 'bench-hash-'));
    const r = cli(['bench', 'hash', '--json', '--out', out, '--fixtures', join(FIX, 'mainnet', '46147'), MAINNET[0]!]);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(JSON.parse(readFileSync(join(out, 'bench-hash.json'), 'utf8'))).toEqual(report);
    expect(readFileSync(join(out, 'bench-hash.svg'), 'utf8')).toMatch(/^<svg/);
    expect(existsSync(join(out, 'bench-hash.svg'))).toBe(true);
    expect(report.note).toMatch(/^Projections, not measurements/);
    expect(report.blocks.map((b: { name: string }) => b.name)).toEqual(['mainnet/46147', 'mainnet/930196']);
    for (const b of report.blocks) {
      expect(b.mismatches).toBe(0);
      expect(b.sources.trie.calls).toBeGreaterThan(0);
      expect(b.sources.transactions.calls).toBeGreaterThan(0);
      expect(b.total.calls).toBe(Object.values(b.sources as Record<string, { calls: number }>).reduce((n, s) => n + s.calls, 0));
      expect(b.total.permutations).toBeGreaterThanOrEqual(b.total.calls);
      expect(b.total.deviceCycles).toBeGreaterThan(b.total.permutations);
      expect(b.software.bestMs).toBeGreaterThan(0);
      expect(b.projected.uart.bound).toBe('link');
      expect(b.projected.uart.ms).toBeGreaterThan(b.projected.gen2x4.ms);
      expect(b.projected.gen3x16.ms).toBeCloseTo(Math.max(b.projectedCoreMs, (Math.max(b.total.upBytes, b.total.downBytes) / 15.75e9) * 1000), 9);
    }
  }, 120_000);
});
