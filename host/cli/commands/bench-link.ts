/**
 * `evm-fpga bench link`: transports side by side on the simulated device (host/bench/link.ts):
 * requests per second, bytes on the wire per device cycle and host CPU per request, for single
 * requests and batches, plus the driver's own overhead against the 1 µs goal. Writes a table (or
 * JSON), the JSON report and two SVG charts into `--out`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { benchLink, LINK_TRANSPORTS, type LinkBenchReport, type LinkTransport } from '../../bench/link.ts';
import { barChart } from '../chart.ts';
import { progressPrinter, si, table, toJson, UsageError } from '../output.ts';

interface LinkArgs {
  json: boolean;
  out: string;
  transports: string[];
  count: number;
  singles: number;
  'overhead-count': number;
}

const fixed = (v: number | null, digits: number) => (v === null ? '-' : v.toFixed(digits));

/** The text report: one row per transport and mode, then the host-overhead verdict. */
export function renderLinkText(r: LinkBenchReport): string {
  const rows = r.rows.map((x) => [
    x.transport,
    x.mode,
    x.requests,
    si(x.requestsPerSecond),
    fixed(x.bytesPerCycle, 4),
    fixed(x.cyclesPerRequest, 1),
    x.hostCpuUsPerRequest.toFixed(2),
    x.spec,
  ]);
  const lines = [
    table(['transport', 'mode', 'requests', 'req/s', 'wire B/cycle', 'cycles/req', 'host CPU µs/req', 'spec'], rows),
    '',
    `${r.messageBytes}-byte Keccak messages; ${r.machine.cores} cores, load average ${r.machine.loadAverage.join(' ')}`,
  ];
  const o = r.hostOverhead;
  if (o) {
    lines.push(
      `host overhead (null device, in-memory, batches of ${o.requests}, ${o.repeats} runs): ` +
        `${o.cpuUsPerRequest.median.toFixed(3)} µs CPU/request median (best ${o.cpuUsPerRequest.best.toFixed(3)}), ` +
        `${o.wallUsPerRequest.median.toFixed(3)} µs wall (${si(1e6 / o.wallUsPerRequest.median)} req/s); ` +
        `goal ≤ ${o.goalUs} µs: ${o.pass ? 'PASS' : 'MISS'}`,
    );
  }
  for (const u of r.unavailable) lines.push(`${u.transport}: not measured (${u.reason})`);
  for (const f of r.failed) lines.push(`${f.transport}: FAILED: ${f.reason}`);
  return lines.join('\n');
}

function chartRows(r: LinkBenchReport) {
  const names = [...new Set(r.rows.map((x) => x.transport))];
  const value = (t: string, mode: string, pick: (x: LinkBenchReport['rows'][number]) => number) => {
    const row = r.rows.find((x) => x.transport === t && x.mode === mode);
    return row ? pick(row) : undefined;
  };
  return { names, value };
}

/** Requests per second by transport, single and batch (log scale). */
export function renderLinkChart(r: LinkBenchReport): string {
  const { names, value } = chartRows(r);
  return barChart({
    title: `Keccak requests per second by link (${r.messageBytes}-byte messages, simulated device)`,
    yLabel: 'requests per second',
    categories: names,
    series: ['single', 'batch'].map((mode) => ({ name: `${mode} requests`, values: names.map((t) => value(t, mode, (x) => x.requestsPerSecond)) })),
    logScale: true,
  });
}

/** Host CPU per request by transport, single and batch (log scale), with the 1 µs goal in the title. */
export function renderLinkCpuChart(r: LinkBenchReport): string {
  const { names, value } = chartRows(r);
  const o = r.hostOverhead;
  return barChart({
    title: `Host CPU µs per request${o ? ` (driver overhead ${o.cpuUsPerRequest.median.toFixed(2)} µs, goal ≤ ${o.goalUs} µs)` : ''}`,
    yLabel: 'host CPU µs per request',
    categories: names,
    series: ['single', 'batch'].map((mode) => ({ name: `${mode} requests`, values: names.map((t) => value(t, mode, (x) => x.hostCpuUsPerRequest)) })),
    logScale: true,
  });
}

export const linkBench: CommandModule<object, LinkArgs> = {
  command: 'link',
  describe: 'Transports side by side on the simulated device: req/s, wire bytes per cycle, host CPU per request; driver overhead',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false })
      .option('out', { type: 'string', default: 'out', describe: 'Directory for bench-link.json and the SVG charts' })
      .option('transports', {
        type: 'string',
        array: true,
        default: [...LINK_TRANSPORTS],
        describe: `Transports to compare (${LINK_TRANSPORTS.join(', ')}; pcie when the build has sim:pcie)`,
      })
      .option('count', { type: 'number', default: 2000, describe: 'Requests per batch (a tenth on the bit-accurate UART)' })
      .option('singles', { type: 'number', default: 200, describe: 'Single requests per transport (a quarter on the bit-accurate UART)' })
      .option('overhead-count', { type: 'number', default: 100_000, describe: 'Requests per null-device batch for the host-overhead figure' }) as never,
  handler: async (a) => {
    const transports = a.transports.flatMap((t) => t.split(',')).filter(Boolean);
    for (const t of transports) {
      if (!(LINK_TRANSPORTS as readonly string[]).includes(t)) throw new UsageError(`--transports: '${t}' is not one of ${LINK_TRANSPORTS.join(', ')}`);
    }
    if (!Number.isInteger(a.count) || a.count < 10) throw new UsageError('--count must be an integer >= 10');
    if (!Number.isInteger(a.singles) || a.singles < 1) throw new UsageError('--singles must be an integer >= 1');
    if (!Number.isInteger(a['overhead-count']) || a['overhead-count'] < 1000) throw new UsageError('--overhead-count must be an integer >= 1000');
    const progress = progressPrinter('bench');
    let report: LinkBenchReport;
    try {
      report = await benchLink({
        transports: transports as LinkTransport[],
        count: a.count,
        singles: a.singles,
        overheadCount: a['overhead-count'],
        progress,
      });
    } finally {
      progress.done();
    }
    mkdirSync(a.out, { recursive: true });
    const files = { report: join(a.out, 'bench-link.json'), chart: join(a.out, 'bench-link.svg'), cpuChart: join(a.out, 'bench-link-cpu.svg') };
    writeFileSync(files.report, `${toJson(report)}\n`);
    writeFileSync(files.chart, renderLinkChart(report));
    writeFileSync(files.cpuChart, renderLinkCpuChart(report));
    process.stdout.write(
      a.json ? `${toJson(report)}\n` : `${renderLinkText(report)}\ncharts: ${files.chart}, ${files.cpuChart}\nreport: ${files.report}\n`,
    );
    if (report.failed.length > 0) process.exitCode = 1;
  },
};
