/**
 * `evm-fpga bench keccak`: device cycles per permutation and per hash (from the device's own
 * counters), simulation speed, hashes per second through the simulated device, and software Keccak
 * side by side in one run. `evm-fpga bench alu`: cycles per EVM opcode (min/median/max over a
 * mixed operand distribution) and ops per second through the simulated device. Each writes an SVG
 * chart next to the text or JSON report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandModule } from 'yargs';
import { benchAlu, type AluBenchReport } from '../../bench/alu.ts';
import { BENCH_SIZES, benchKeccak, type KeccakBenchReport } from '../../bench/keccak.ts';
import { barChart } from '../chart.ts';
import { progressPrinter, si, table, toJson, UsageError } from '../output.ts';

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

interface AluArgs {
  json: boolean;
  count: number;
  seed: number;
  device: string;
  chart: string;
}

function renderAluText(r: AluBenchReport): string {
  const line = (what: string, t: AluBenchReport['throughput']) =>
    `${what}: ${t.ops} ops in ${t.frames} frames, ${t.seconds.toFixed(2)} s: ${si(t.opsPerSecond)} ops/s, ` +
    `${t.deviceCyclesPerOp.toFixed(1)} device cycles/op (dispatcher busy ${t.busyCyclesPerOp.toFixed(1)}), sim ${si(t.simCyclesPerSecond)} cycles/s`;
  const rows = r.opcodes.map((o) => [o.name, `0x${o.code.toString(16).padStart(2, '0')}`, o.minCycles, o.medianCycles, o.maxCycles, o.meanCycles.toFixed(1)]);
  return [
    table(['opcode', 'code', 'min cyc', 'median cyc', 'max cyc', 'mean cyc'], rows),
    '',
    `operands: ${r.opsPerOpcode} per opcode (${r.distribution}), seed ${r.seed}`,
    line(`${r.device}, mixed`, r.throughput),
    line(`${r.device}, ADD only`, r.addOnly),
  ].join('\n');
}

/**
 * Slants the category labels of a {@link barChart} by 45° so 25 opcode names fit under their
 * bars. Only `<text … text-anchor="middle">NAME</text>` elements whose text is a category are
 * touched; if the chart's markup changes, the labels simply stay horizontal.
 */
function slantLabels(svg: string, categories: string[]): string {
  const names = new Set(categories);
  return svg.replace(/<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle">([^<]*)<\/text>/g, (whole, x: string, y: string, text: string) =>
    names.has(text) ? `<text x="${x}" y="${Number(y) - 6}" text-anchor="end" transform="rotate(-45 ${x} ${Number(y) - 6})">${text}</text>` : whole,
  );
}

function renderAluChart(r: AluBenchReport): string {
  const categories = r.opcodes.map((o) => o.name);
  return slantLabels(renderAluBars(r, categories), categories);
}

function renderAluBars(r: AluBenchReport, categories: string[]): string {
  return barChart({
    title: 'EVM opcode unit: median cycles per opcode (mixed operands)',
    yLabel: 'cycles (median)',
    categories,
    series: [{ name: 'median cycles', values: r.opcodes.map((o) => o.medianCycles) }],
    logScale: true,
  });
}

const aluBench: CommandModule<object, AluArgs> = {
  command: 'alu',
  describe: 'EVM opcode unit: cycles per opcode and ops per second',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false })
      .option('count', { type: 'number', default: 400, describe: 'Operand sets per opcode' })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of the operand mix' })
      .option('device', { type: 'string', default: 'sim', describe: 'Device spec (see evm-fpga info --help)' })
      .option('chart', { type: 'string', default: 'out/bench-alu.svg', describe: 'Where to write the SVG chart' }) as never,
  handler: async (a) => {
    if (!Number.isInteger(a.count) || a.count < 1) throw new UsageError('--count must be an integer >= 1');
    if (!Number.isInteger(a.seed)) throw new UsageError('--seed must be an integer');
    const progress = progressPrinter('bench');
    let report: AluBenchReport;
    try {
      report = await benchAlu({ device: a.device, count: a.count, seed: a.seed, progress });
    } finally {
      progress.done();
    }
    mkdirSync(dirname(a.chart), { recursive: true });
    writeFileSync(a.chart, renderAluChart(report));
    process.stdout.write(a.json ? `${toJson(report)}\n` : `${renderAluText(report)}\nchart: ${a.chart}\n`);
  },
};

export const benchCommand: CommandModule = {
  command: 'bench <what>',
  describe: 'Benchmarks (keccak, alu)',
  builder: (y) => y.command(keccakBench).command(aluBench).demandCommand(1),
  handler: () => {},
};
