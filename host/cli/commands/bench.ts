/**
 * `evm-fpga bench keccak`: device cycles per permutation and per hash (from the device's own
 * counters), simulation speed, hashes per second through the simulated device, and software Keccak
 * side by side in one run. Writes an SVG chart next to the text or JSON report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandModule } from 'yargs';
import { BENCH_SIZES, benchKeccak, type KeccakBenchReport } from '../../bench/keccak.ts';
import { barChart } from '../chart.ts';
import { progressPrinter, si, table, toJson } from '../output.ts';

interface Args {
  json: boolean;
  rounds: number[];
  count: number;
  chart: string;
}

function renderText(r: KeccakBenchReport): string {
  const rows = r.configs.map((c) => [
    `${c.roundsPerClock}`,
    c.cyclesPerPermutation.toFixed(1),
    c.cyclesPerExtraBlock.toFixed(1),
    ...BENCH_SIZES.map((s) => c.cyclesPerHash[s]!.toFixed(1)),
    c.longMessage.cyclesPerBlock.toFixed(2),
    si(c.simCyclesPerSecond),
    si(c.deviceHashesPerSecond),
  ]);
  return [
    table(['rounds/clk', 'cyc/perm', 'cyc/+block', ...BENCH_SIZES.map((s) => `cyc/hash ${s}B`), 'cyc/block 1MiB', 'sim cyc/s', 'sim hash/s'], rows),
    '',
    ...r.configs.map(
      (c) => `rounds ${c.roundsPerClock}: 1 MiB = ${c.longMessage.blocks} blocks in ${c.longMessage.cycles} cycles (${c.longMessage.overheadCycles} over ${24 / c.roundsPerClock}/block)`,
    ),
    `software Keccak (${r.software.library}, ${r.software.messageBytes}-byte messages): ${si(r.software.hashesPerSecond)} hash/s`,
  ].join('\n');
}

function renderChart(r: KeccakBenchReport): string {
  return barChart({
    title: 'Keccak-256 device cycles per hash (from the RTL cycle counter)',
    yLabel: 'cycles per hash',
    categories: BENCH_SIZES.map((s) => `${s} bytes`),
    series: r.configs.map((c) => ({ name: `${c.roundsPerClock} round(s)/clock`, values: BENCH_SIZES.map((s) => c.cyclesPerHash[s]) })),
  });
}

const keccakBench: CommandModule<object, Args> = {
  command: 'keccak',
  describe: 'Keccak cycles, simulation speed and software comparison',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false })
      .option('rounds', { type: 'number', array: true, default: [1, 2], describe: 'Rounds-per-clock configurations to compare' })
      .option('count', { type: 'number', default: 2000, describe: 'Messages per size' })
      .option('chart', { type: 'string', default: 'out/bench-keccak.svg', describe: 'Where to write the SVG chart' }) as never,
  handler: async (a) => {
    for (const r of a.rounds) if (!Number.isInteger(r) || r < 1 || 24 % r !== 0) throw new Error(`--rounds ${r}: must divide 24`);
    if (!Number.isInteger(a.count) || a.count < 10) throw new Error('--count must be an integer >= 10');
    const progress = progressPrinter('bench');
    let report: KeccakBenchReport;
    try {
      report = await benchKeccak({ rounds: a.rounds, count: a.count, progress });
    } finally {
      progress.done();
    }
    mkdirSync(dirname(a.chart), { recursive: true });
    writeFileSync(a.chart, renderChart(report));
    process.stdout.write(a.json ? `${toJson(report)}\n` : `${renderText(report)}\nchart: ${a.chart}\n`);
  },
};

export const benchCommand: CommandModule = {
  command: 'bench <what>',
  describe: 'Benchmarks (keccak)',
  builder: (y) => y.command(keccakBench).demandCommand(1),
  handler: () => {},
};
