/**
 * The Keccak suite every simulated Keccak core runs (test/keccak-compact.test.ts,
 * test/keccak-lean.test.ts): INFO's report of the build, the 321 KATs and ethereum/tests' zero vectors up to 1,048,575 bytes,
 * the self-test, every length 0-300 plus multi-chunk lengths against software Keccak, a property
 * test, and INFO's permutation-cycle accounting.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { CAPABILITY, type Device } from '../../host/index.ts';
import { runKeccakSelftest, seededBytes } from '../../host/selftest/run.ts';
import type { Keccak256 } from '../../host/selftest/software-keccak.ts';
import { loadKeccakVectors } from '../../host/selftest/vectors.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Defines the suite's tests inside the caller's `describe`; `env()` is read when a test runs. The
 * device is a build without the EVM unit whose INFO must report `roundsPerClock` and
 * `permutationCycles` per permutation.
 */
export function keccakCoreSuite(
  env: () => { device: Device; sw: Keccak256 },
  expected: { roundsPerClock: number; permutationCycles: number },
): void {
  const { roundsPerClock, permutationCycles } = expected;
  it('reports the configuration truthfully in INFO', () => {
    const info = env().device.handshake;
    expect((info.capabilities >>> CAPABILITY.KECCAK) & 1).toBe(1);
    expect((info.capabilities >>> CAPABILITY.EVM_ALU) & 1).toBe(0);
    expect(info.keccakRoundsPerClock).toBe(roundsPerClock);
    expect(info.keccakCores).toBe(1);
  });

  it('matches all 321 KATs and the zero vectors up to 1,048,575 bytes, pipelined', async () => {
    const { device } = env();
    const vectors = loadKeccakVectors();
    expect(vectors.filter((v) => v.name.startsWith('KAT'))).toHaveLength(321);
    expect(vectors.some((v) => v.message.length === 1_048_575)).toBe(true);
    const got = await device.keccak256Batch(vectors.map((v) => v.message));
    expect(vectors.filter((v, i) => hex(got[i]!) !== hex(v.digest)).map((v) => v.name)).toEqual([]);
  });

  it('passes the self-test (what `evm-fpga selftest` runs)', async () => {
    const report = await runKeccakSelftest(env().device, { random: 100, maxBytes: 5000 });
    expect(report.failures).toEqual([]);
    expect(report.knownAnswers).toBeGreaterThan(321);
    expect(report.passed).toBe(report.knownAnswers + report.random);
  });

  it('every length 0 to 300 and multi-chunk lengths hash like software Keccak', async () => {
    const { device, sw } = env();
    const rnd = seededBytes(77);
    const msgs = [...Array.from({ length: 301 }, (_, n) => rnd(n)), ...[4079, 4080, 4081, 4088, 4089, 8169].map((n) => rnd(n))];
    const got = await device.keccak256Batch(msgs);
    expect(msgs.map((m, i) => (hex(got[i]!) === hex(sw(m)) ? -1 : m.length)).filter((n) => n >= 0)).toEqual([]);
  });

  it('property: any byte string hashes like software Keccak, one request at a time', async () => {
    const { device, sw } = env();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 700 }), async (m) => {
        expect(hex(await device.keccak256(m))).toBe(hex(sw(m)));
      }),
      { numRuns: 40 },
    );
  });

  it(`counts ${permutationCycles.toLocaleString('en-US')} permutation cycles per permutation`, async () => {
    const { device } = env();
    const before = await device.info();
    // 0, 136 and 1,000 bytes: 1 + 2 + 8 blocks.
    await device.keccak256Batch([new Uint8Array(0), new Uint8Array(136), new Uint8Array(1000)]);
    const after = await device.info();
    const perms = after.permutations - before.permutations;
    expect(perms).toBe(11);
    expect(Number(after.permutationCycles - before.permutationCycles)).toBe(perms * permutationCycles);
    expect(after.hashes - before.hashes).toBe(3);
  });
}
