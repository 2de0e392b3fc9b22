/**
 * `evm-fpga exec --device sim` and `evm-fpga bench storage` on the simulated device: the exec
 * report carries the device checker's statistics per block and in total, with output identical to
 * sequential; the benchmark reports records per cycle and cycles per block and writes its chart.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFixtureDir } from '../host/executor/load/index.ts';

const CONTENDED = join(defaultFixtureDir(), 'mainnet', '930196');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/evm-fpga.mjs', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('evm-fpga exec --device sim', () => {
  it('checks on the device; --json gives records, cycles and fallbacks; output equals sequential', () => {
    const r = cli(['exec', CONTENDED, '--device', 'sim', '--workers', '2', '--min-parallel', '0', '--compare', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.failures).toBe(0);
    expect(report.storage).toMatchObject({ checker: 'device', device: 'sim', blocks: 1, fallbacks: 0 });
    expect(report.storage.records).toBeGreaterThan(0);
    expect(report.storage.cycles).toBeGreaterThan(0);
    const block = report.blocks[0];
    expect(block.ok).toBe(true);
    expect(block.conflicts).toBeGreaterThan(0);
    expect(block.storage).toMatchObject({ checker: 'device', falseConflicts: 0, softwareRecords: 0 });
    expect(block.storage.fallback).toBeUndefined();
  }, 300_000);
});

describe('evm-fpga bench storage', () => {
  it('records per cycle and cycles per block, a synthetic block of 10,000+ records, a chart', () => {
    const chart = join(mkdtempSync(join(tmpdir(), 'evm-fpga-bench-')), 'storage.svg');
    const r = cli(['bench', 'storage', '--fixtures', CONTENDED, '--txs', '2000', '--json', '--chart', chart]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.storageEntries).toBeGreaterThan(0);
    expect(report.blocks).toHaveLength(1);
    expect(report.blocks[0]).toMatchObject({ name: 'mainnet/930196', transactions: 18, identical: true });
    expect(report.synthetic.records).toBeGreaterThan(10_000);
    expect(report.synthetic).toMatchObject({ batches: 1, identical: true });
    expect(report.synthetic.fallback).toBeUndefined();
    expect(report.synthetic.recordsPerCycle).toBeGreaterThan(0.5);
    expect(existsSync(chart)).toBe(true);
    expect(readFileSync(chart, 'utf8')).toMatch(/^<svg /);
  }, 300_000);
});
