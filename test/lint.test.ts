/** The RTL is clean under `verilator --lint-only -Wall`, with waivers only in hdl/lint/waivers.vlt. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('RTL lint', () => {
  it('verilator --lint-only -Wall passes on the whole filelist', () => {
    const r = spawnSync('bash', ['hdl/lint/lint.sh'], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`.split('\n').filter((l) => /%(Warning|Error)/.test(l))).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('every waiver has a reason', () => {
    const lines = readFileSync('hdl/lint/waivers.vlt', 'utf8').split('\n');
    lines.forEach((l, i) => {
      if (/^\s*lint_off/.test(l)) expect(lines[i - 1] ?? '', `waiver on line ${i + 1}`).toMatch(/^\s*\/\/\s*\S/);
    });
  });

  it('every RTL file declares `default_nettype none', () => {
    const files = readFileSync('hdl/evm_fpga.f', 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('//'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(readFileSync(`hdl/${f}`, 'utf8'), f).toContain('`default_nettype none');
  });
});
