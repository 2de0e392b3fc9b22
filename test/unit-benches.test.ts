/**
 * The RTL units' own Verilator test benches, run with their parameter sweeps: the EVM opcode
 * datapath (go-ethereum tables, random differential against a C++ reference, latency formulas, at
 * multiplier widths 64, 32 and 128, and the compact datapath with every cycle count checked) and the storage-check unit (answers against a model of the
 * software checker, in six table configurations, and its records-per-cycle figure). The Keccak
 * unit's bench has its own file (keccak-unit-tb.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultVectorDir } from '../host/selftest/vectors.ts';

function bench(script: string, args: string[]) {
  const r = spawnSync('bash', [script, ...args], { encoding: 'utf8', timeout: 900_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('RTL unit benches', () => {
  it('evm_alu: every geth table, random differential cases and the latency goals, at three multiplier widths; evm_alu_compact likewise', () => {
    const r = bench('sim/tb/run_evm_alu_tb.sh', [resolve('.cache/tb'), resolve(dirname(defaultVectorDir()))]);
    expect(r.status, r.out.slice(-3000)).toBe(0);
    expect(r.out).not.toMatch(/FAIL/);
    expect(r.out.match(/evm_alu_tb: all checks pass/g)).toHaveLength(4); // three widths and the compact datapath
  });

  it('storage_unit: answers equal the model in every table configuration, >= 0.9 records per cycle', () => {
    const r = bench('sim/tb/run_storage_unit_tb.sh', [resolve('.cache/tb')]);
    expect(r.status, r.out.slice(-3000)).toBe(0);
    // "throughput: 10220 records in 10320 unit cycles = 0.9903 records/cycle", per configuration.
    const rates = [...r.out.matchAll(/throughput: (\d+) records in \d+ unit cycles = ([\d.]+) records\/cycle/g)];
    expect(rates.length).toBeGreaterThan(0);
    for (const m of rates) {
      expect(Number(m[1])).toBeGreaterThanOrEqual(10_000);
      expect(Number(m[2])).toBeGreaterThanOrEqual(0.9);
    }
    expect(r.out).toMatch(/storage_unit_tb: all checks passed/);
  });
});
