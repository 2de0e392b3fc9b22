/**
 * The CLI contract scripts depend on: output formats, exit codes, and one-line errors for bad
 * input, against the simulated device.
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

const ABC = '0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45';
const EMPTY = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

describe('evm-fpga keccak', () => {
  it('prints the digest of 0x616263 computed by the RTL', () => {
    const r = cli(['keccak', '0x616263']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${ABC}\n`);
    expect(r.code).toBe(0);
  });

  it('prints one digest per message, in order', () => {
    const r = cli(['keccak', '616263', '0x', '0x616263']);
    expect(r.stdout).toBe(`${ABC}\n${EMPTY}\n${ABC}\n`);
  });

  it('--file takes one hex message per line; an empty line is the empty message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evm-fpga-'));
    const file = join(dir, 'msgs.txt');
    writeFileSync(file, '0x616263\n\n616263\n');
    expect(cli(['keccak', '--file', file]).stdout).toBe(`${ABC}\n${EMPTY}\n${ABC}\n`);
    expect(cli(['keccak', '--file', '-'], '616263\n').stdout).toBe(`${ABC}\n`);
  });

  it.each([
    [['keccak', '0x61626'], /^error: .*hex/],
    [['keccak', 'zz'], /^error: .*hex/],
    [['keccak'], /^error: /],
    [['keccak', '--file', '/nonexistent/file'], /^error: .*nonexistent/],
    [['keccak', '--device', 'bogus:thing', '0x00'], /^error: .*device/i],
    [['info', '--device', 'uart:/dev/does-not-exist'], /^error: .*does-not-exist/],
    [['nosuchcommand'], /^error: /],
  ])('%j fails with a one-line error and a non-zero exit', (args, pattern) => {
    const r = cli(args as string[]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack dump
  });
});

describe('evm-fpga info', () => {
  it('--json gives the identity and counters', () => {
    const r = cli(['info', '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.magic).toBe(0x464d5645);
    expect(info.protocolVersion).toBe(1);
    expect(info.keccakRoundsPerClock).toBe(1);
    expect(info.capabilityNames).toContain('KECCAK');
    expect(info.totalCycles).toBeGreaterThan(0);
  });
});

describe('evm-fpga selftest', () => {
  it('passes the known answers on the simulated device', () => {
    const r = cli(['selftest', '--device', 'sim', '--max-bytes', '5000', '--random', '50']);
    expect(r.stdout).toMatch(/selftest: (\d+)\/\1 passed/);
    expect(r.code).toBe(0);
  });
});

describe('evm-fpga setup', () => {
  it('without Verilator and no way to install it, stops with the one command to run', () => {
    // An empty PATH hides both verilator and apt-get, so even as root nothing is installed.
    const r = spawnSync(process.execPath, ['bin/evm-fpga.mjs', 'setup', '--toolchain-only'], {
      env: { PATH: '/nonexistent', HOME: tmpdir() },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe("error: Verilator is not installed: run 'sudo apt-get install -y verilator'\n");
    expect(r.status).toBe(1);
  });
});
