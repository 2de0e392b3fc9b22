/**
 * The board tops (hdl/boards/) are clean under `verilator --lint-only -Wall`, with lint-only models
 * of the vendor primitives and waivers only in hdl/boards/lint/waivers.vlt, each with a reason.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('board top lint', () => {
  it('verilator --lint-only -Wall passes on every board top and PLL/LED/reset variant', () => {
    const r = spawnSync('bash', ['hdl/boards/lint/lint.sh'], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`.split('\n').filter((l) => /%(Warning|Error)/.test(l))).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('board lint: clean');
  });

  it('a bad parameter stops elaboration', () => {
    const r = spawnSync('bash', ['hdl/boards/lint/lint.sh', '-GUSE_PLL=2'], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('USE_PLL and PLL_FROM_PAD must be 0 or 1');
  });

  it('every waiver has a reason, and every board source declares `default_nettype none', () => {
    const lines = readFileSync('hdl/boards/lint/waivers.vlt', 'utf8').split('\n');
    lines.forEach((l, i) => {
      if (/^\s*lint_off/.test(l)) expect(lines[i - 1] ?? '', `waiver on line ${i + 1}`).toMatch(/^\s*\/\/\s*\S/);
    });
    for (const dir of ['common', 'ice40', 'xilinx', 'lint']) {
      for (const f of readdirSync(join('hdl/boards', dir)).filter((n) => n.endsWith('.sv'))) {
        expect(readFileSync(join('hdl/boards', dir, f), 'utf8'), f).toContain('`default_nettype none');
      }
    }
  });
});
