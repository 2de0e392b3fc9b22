/**
 * The device pool over real simulated devices (the RTL in Verilator): `pool:sim,sim` spreading
 * Keccak and EVM work, and two harness processes behind TCP where one is killed with SIGKILL in
 * the middle of a batch of thousands of requests: every digest must equal software Keccak, none
 * missing, none answered twice, and the pool must report the member as removed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDevice, PoolExhaustedError, type DevicePool } from '../host/index.ts';
import { createEvmReference } from '../host/evm/reference.ts';
import { randomMessages } from '../host/selftest/run.ts';
import { softwareKeccak256 } from '../host/selftest/software-keccak.ts';
import { startHarness, type RunningHarness } from './helpers/harness.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const run = promisify(execFile);

describe('pool:sim,sim', () => {
  it('spreads Keccak and EVM batches over two simulated devices', async () => {
    const pool = (await openDevice('pool:sim,sim', { timeoutMs: 30_000 })) as DevicePool;
    try {
      const sw = await softwareKeccak256();
      const messages = randomMessages(600, 21);
      const got = await pool.keccak256Batch(messages);
      expect(messages.findIndex((m, i) => hex(got[i]!) !== hex(sw(m)))).toBe(-1);
      const info = await pool.info();
      expect(info.members.map((m) => m.info!.hashes)).toEqual(pool.members.map((m) => m.completed));
      expect(info.members.every((m) => m.info!.hashes > 0)).toBe(true);
      expect(info.hashes).toBe(600);

      const ops = Array.from({ length: 300 }, (_, i) => ({ op: i % 2 ? 'SUB' : 'MUL', a: BigInt(i) * 0x1234567n, b: (1n << 200n) + BigInt(i) }));
      const results = await pool.evm.execBatch(ops);
      const reference = await createEvmReference();
      const expected = await Promise.all(ops.map((o) => reference(o.op === 'SUB' ? 0x03 : 0x02, o.a, o.b, 0n)));
      expect(results.map((r) => r.result)).toEqual(expected);
      expect(pool.members.every((m) => m.state === 'live' && m.inFlight === 0)).toBe(true);
    } finally {
      await pool.close();
    }
  });
});

describe('pool of two harness processes, one killed mid-batch', () => {
  let h1: RunningHarness;
  let h2: RunningHarness;
  beforeAll(async () => {
    [h1, h2] = await Promise.all([startHarness(['--tcp', '0']), startHarness(['--tcp', '0'])]);
  });
  afterAll(async () => {
    await Promise.all([h1?.stop(), h2?.stop()]);
  });

  it('re-sends the killed member\'s requests: nothing lost, nothing twice', async () => {
    const lines: string[] = [];
    const pool = (await openDevice(`pool:tcp:${h1.address},tcp:${h2.address}`, { timeoutMs: 10_000, progress: (l) => lines.push(l) })) as DevicePool;
    try {
      const sw = await softwareKeccak256();
      const messages = randomMessages(6000, 77);
      const before = await pool.info();
      const pending = pool.keccak256Batch(messages);
      // Kill the first harness once it has answered part of the batch (with more of it in flight).
      // Checked every event-loop turn (one read of answers each), so the kill lands early in its share.
      while (pool.members[0]!.completed < 300) await new Promise((r) => setImmediate(r));
      expect(pool.members[0]!.inFlight).toBeGreaterThan(0);
      h1.child.kill('SIGKILL');
      const got = await pending;

      expect(got).toHaveLength(messages.length);
      expect(messages.findIndex((m, i) => !(got[i] instanceof Uint8Array) || hex(got[i]!) !== hex(sw(m)))).toBe(-1);
      const [dead, alive] = pool.members;
      expect(dead!.state).toBe('removed');
      expect(dead!.removedBecause).toMatch(/closed|reset|ECONNRESET|EOF/i);
      expect(alive!.state).toBe('live');
      // Exactly once: the items the pool used add up to the batch.
      expect(dead!.completed + alive!.completed).toBe(messages.length);
      expect(pool.poolStats.resentItems).toBeGreaterThan(0);
      expect(lines.some((l) => /member 1 .* taken out/.test(l))).toBe(true);

      // The survivor hashed everything the dead member did not answer, each message once.
      const after = await pool.info();
      const survivorBefore = before.members[1]!.info!.hashes;
      expect(after.members[1]!.info!.hashes - survivorBefore).toBe(alive!.completed);
      expect(after.members[0]!.state).toBe('removed');
      expect(after.members[0]!.info).toBeUndefined();
    } finally {
      await pool.close();
    }
  });

  it('rejects with PoolExhaustedError once the last member is gone', async () => {
    const pool = (await openDevice(`pool:tcp:${h2.address}`, { timeoutMs: 10_000 })) as DevicePool;
    const pending = pool.keccak256Batch(randomMessages(3000, 3));
    while (pool.members[0]!.completed < 100) await new Promise((r) => setImmediate(r));
    h2.child.kill('SIGKILL');
    await expect(pending).rejects.toBeInstanceOf(PoolExhaustedError);
    await expect(pool.keccak256(new Uint8Array(3))).rejects.toThrow(/no device left in the pool/);
    await pool.close();
  });
});

describe('CLI with a pool', () => {
  it('hashes through --device pool:sim,sim', async () => {
    const { stdout } = await run('node', ['bin/evm-fpga.mjs', 'keccak', '--device', 'pool:sim,sim', '0x616263']);
    expect(stdout.trim()).toBe('0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
  });

  it('gives a one-line error and exit code for a bad pool spec', async () => {
    const failed = await run('node', ['bin/evm-fpga.mjs', 'keccak', '--device', 'pool:sim,,sim', '0x61']).then(
      () => null,
      (e: { code: number; stderr: string; stdout: string }) => e,
    );
    expect(failed).not.toBeNull();
    expect(failed!.code).not.toBe(0);
    expect(failed!.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed!.stderr).toMatch(/^error: bad device spec "pool:sim,,sim": pool member 2 is empty/);
  });

  it('shows the members in info', async () => {
    const { stdout } = await run('node', ['bin/evm-fpga.mjs', 'info', '--device', 'pool:sim,sim?rounds=2']);
    expect(stdout).toMatch(/members\s+#1 sim \(live, 0 answered\); #2 sim\?rounds=2 \(live, 0 answered\)/);
  });
});
