/**
 * `evm-fpga bench link` end to end, on a few transports with small counts: the JSON report's
 * figures are consistent with what the device and the wire can do, the charts are written, and
 * the driver's own overhead (null device, in-memory, batch mode) is asserted in host CPU time with
 * a wide margin (the goal is 1 µs; a driver that stopped pipelining costs tens of µs).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { pcieSimAvailable, type LinkBenchReport } from '../host/bench/link.ts';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'bench-link-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('evm-fpga bench link', () => {
  it('compares transports side by side and reports the driver overhead', async () => {
    const transports = ['memory', 'sim', 'pool', 'pcie'];
    const { stdout } = await run(
      'node',
      ['bin/evm-fpga.mjs', 'bench', 'link', '--json', '--out', out, '--transports', ...transports, '--count', '400', '--singles', '20', '--overhead-count', '20000'],
      { maxBuffer: 1 << 24 },
    );
    const report = JSON.parse(stdout) as LinkBenchReport;
    expect(report.failed).toEqual([]);
    const row = (t: string, mode: string) => report.rows.find((r) => r.transport === t && r.mode === mode)!;
    const measured = pcieSimAvailable() ? transports : transports.filter((t) => t !== 'pcie');
    expect([...new Set(report.rows.map((r) => r.transport))]).toEqual(measured);
    if (!pcieSimAvailable()) expect(report.unavailable.map((u) => u.transport)).toEqual(['pcie']);

    for (const t of measured.filter((x) => x !== 'memory')) {
      const single = row(t, 'single');
      const batch = row(t, 'batch');
      expect(single.requests).toBe(20);
      expect(batch.requests).toBe(400);
      // Every request crossed the wire: at least a request and an answer frame each.
      expect(batch.wireBytes).toBeGreaterThan(400 * (64 + 32));
      // The byte-stream tops move at most one byte per clock each way.
      expect(batch.bytesPerCycle!).toBeGreaterThan(0);
      expect(batch.bytesPerCycle!).toBeLessThanOrEqual(2);
      // Pipelining: a batch costs fewer device cycles per request than awaited single requests.
      expect(batch.cyclesPerRequest!).toBeLessThan(single.cyclesPerRequest!);
      expect(batch.hostCpuUsPerRequest).toBeGreaterThan(0);
    }
    expect(row('memory', 'batch').bytesPerCycle).toBeNull();

    const o = report.hostOverhead!;
    expect(o.requests).toBe(20000);
    expect(o.goalUs).toBe(1);
    expect(o.pass).toBe(o.cpuUsPerRequest.median <= 1);
    // Host CPU time, not wall time, with a 5x margin over the goal for loaded machines.
    expect(o.cpuUsPerRequest.median).toBeLessThan(5);

    for (const f of ['bench-link.json', 'bench-link.svg', 'bench-link-cpu.svg']) expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'bench-link.svg'), 'utf8')).toMatch(/^<svg[^]*requests per second[^]*<\/svg>\s*$/);
  });

  it('rejects an unknown transport with a one-line usage error and exit code 2', async () => {
    const failed = await run('node', ['bin/evm-fpga.mjs', 'bench', 'link', '--transports', 'sim,carrier-pigeon', '--out', out]).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(2);
    // One error line (the CLI adds its usage hint to command-line errors).
    expect(failed!.stderr.trim().split('\n')[0]).toBe("error: --transports: 'carrier-pigeon' is not one of memory, sim, sim:uart, tcp, pty, pool, pcie");
    expect(failed!.stderr).not.toMatch(/ at /);
  });
});
