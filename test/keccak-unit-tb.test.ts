/**
 * The Keccak unit on its own, swept over ROUNDS_PER_CLK 1, 2, 3 and 4 and the compact core
 * (KECCAK_CORE=1, no per-round XKCP check there) (sim/tb/keccak_unit_tb.cpp):
 * the permutation against XKCP's per-round values, all KATs, the 1 MiB zero vector, random chunk
 * plans with stalls, error cases, and the cycle counts the issue sets as goals (deterministic: a
 * long message must cost 24 cycles per block at one round per clock).
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultVectorDir } from '../host/selftest/vectors.ts';

describe('keccak_unit test bench', () => {
  const run = () =>
    spawnSync('bash', ['sim/tb/run_keccak_unit_tb.sh', resolve('.cache/tb'), dirname(defaultVectorDir())], {
      encoding: 'utf8',
      timeout: 600_000,
    });

  it('passes at 1, 2, 3 and 4 rounds per clock and with the compact core, with the promised cycle counts', () => {
    const r = run();
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status, out.slice(-3000)).toBe(0);
    for (const n of [1, 2, 3, 4]) expect(out).toContain(`keccak_unit_tb: ROUNDS_PER_CLK=${n} PASS`);
    const perBlock = [...out.matchAll(/permutation (\d+); .*1 MiB message ([\d.]+) per block/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(out).toContain('keccak_unit_tb: KECCAK_CORE=1 PASS');
    expect(perBlock.map(([p]) => p)).toEqual([24, 12, 8, 6, 1536]);
    // One round per clock: permutation-bound, 24 cycles a block plus a constant (< 0.01 a block).
    expect(perBlock[0]![1]).toBeLessThan(24.01);
    // More rounds per clock: bound by loading 17 lanes a block.
    for (const [, c] of perBlock.slice(1, 4)) expect(c).toBeLessThan(17.2);
    // The compact core: 1,536 clocks a permutation plus 26 to absorb a block (no overlap).
    expect(perBlock[4]![1]).toBeLessThan(1562.01);
  });
});
