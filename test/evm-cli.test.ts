/**
 * The `evm-fpga alu` contract scripts depend on, against the simulated device: `0x` + 64 hex
 * digits per result, `--file` (and stdin) with comments and blank lines, and one-line errors with
 * a non-zero exit for bad lines, opcodes and operand counts (checked before a device is opened).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/evm-fpga.mjs', ...args], { encoding: 'utf8', input, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const word = (v: bigint) => `0x${v.toString(16).padStart(64, '0')}`;
const MINUS_2 = '0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe';

describe('evm-fpga alu', () => {
  it('SUB 0x01 0x03 prints 2^256 − 2', () => {
    const r = cli(['alu', 'SUB', '0x01', '0x03']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${MINUS_2}\n`);
    expect(r.code).toBe(0);
  });

  it('takes one- and three-operand opcodes, names in any case', () => {
    expect(cli(['alu', 'addmod', '0x05', '0x07', '0x04']).stdout).toBe(`${word(0n)}\n`);
    expect(cli(['alu', 'ISZERO', '0x00']).stdout).toBe(`${word(1n)}\n`);
  });

  it('--file: one result per line in order; blank lines and # comments skipped; - reads stdin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evm-fpga-alu-'));
    const file = join(dir, 'ops.txt');
    writeFileSync(file, '# A is the top of the stack\nSUB 0x01 0x03\n\nSHL 0x04 0x01   # 1 << 4\nEXP 0x02 0x0a\nMULMOD 0x0a 0x0a 0x07\nNOT 0x00\n');
    const want = [MINUS_2, word(16n), word(1024n), word(2n), word((1n << 256n) - 1n)].map((l) => `${l}\n`).join('');
    const r = cli(['alu', '--file', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(want);
    expect(cli(['alu', '--file', '-'], 'DIV 0x0a 0x03\nDIV 0x01 0x00\n').stdout).toBe(`${word(3n)}\n${word(0n)}\n`);
  });

  it.each([
    [['alu', 'SUB', '0x01'], /^error: alu: SUB takes 2 operands \(a, b\), got 1 \(a\)$/, 1],
    [['alu', 'NOT', '0x01', '0x02'], /^error: alu: NOT takes 1 operand/, 1],
    [['alu', 'FOO', '0x01', '0x02'], /^error: alu: unknown opcode "FOO"/, 1],
    [['alu', 'ADD', '0x01', '12'], /^error: alu: b: "12" is not 0x-hex$/, 1],
    [['alu', 'ADD', '0x01', `0x1${'0'.repeat(64)}`], /^error: alu: b: .* out of range/, 1],
    [['alu'], /^error: give an op/, 2],
    [['alu', '--file', '/nonexistent/ops.txt'], /^error: cannot read \/nonexistent\/ops.txt: no such file$/, 1],
  ])('%j fails with a one-line error', (args, pattern, code) => {
    const r = cli(args as string[]);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--file with a bad line names the line and prints nothing', () => {
    for (const [text, pattern] of [
      ['ADD 0x01 0x02\n# fine\nSUB 0x01\n', /^error: line 3: SUB takes 2 operands/],
      ['ADD 0x01 0x02\n\nMOV 0x01 0x02\n', /^error: line 3: unknown opcode "MOV"/],
      ['ADDMOD 0x01 0x02 0xzz\n', /^error: line 1: c: "0xzz" is not 0x-hex$/],
    ] as const) {
      const r = cli(['alu', '--file', '-'], text);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')[0]).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('evm-fpga bench alu', () => {
  it('--json reports min/median/max cycles for every opcode and ops per second', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evm-fpga-bench-'));
    const chart = join(dir, 'alu.svg');
    const r = cli(['bench', 'alu', '--json', '--count', '40', '--chart', chart]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.opcodes).toHaveLength(25);
    for (const o of report.opcodes) expect(o.minCycles).toBeLessThanOrEqual(o.medianCycles);
    expect(report.throughput.opsPerSecond).toBeGreaterThan(0);
  });
});
