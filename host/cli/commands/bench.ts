/**
 * `evm-fpga bench keccak`: device cycles per permutation and per hash (from the device's own
 * counters), simulation speed, hashes per second through the simulated device, and software Keccak
 * side by side in one run. `evm-fpga bench alu`: cycles per EVM opcode (min/median/max over a
 * mixed operand distribution) and ops per second through the simulated device. `evm-fpga bench
 * storage`: records per cycle and cycles per block of the storage-check unit on the fixture blocks'
 * access sets and a synthetic 10,000+-record block. Each writes an SVG chart next to the text or
 * JSON report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandModule } from 'yargs';
import { benchAlu, type AluBenchReport } from '../../bench/alu.ts';
import { BENCH_SIZES, benchKeccak, type KeccakBenchReport } from '../../bench/keccak.ts';
import { benchStorage, type StorageBenchBlock, type StorageBenchReport } from '../../bench/storage.ts';
import { benchExec, type ExecBenchReport } from '../../bench/exec.ts';
import { hashBench } from './bench-hash.ts';
import { linkBench } from './bench-link.ts';
import { WORKLOAD_KINDS, parseWorkloadOptions, type WorkloadKind } from '../../workload/options.ts';
import { barChart, lineChart } from '../chart.ts';
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

interface StorageArgs {
  json: boolean;
  device: string;
  fixtures?: string[];
  workers: number;
  txs: number;
  chart: string;
}

function renderStorageText(r: StorageBenchReport): string {
  const row = (b: StorageBenchBlock) => [
    b.name,
    b.transactions,
    b.batches,
    b.records,
    b.looked,
    b.frames,
    b.cycles,
    b.recordsPerCycle.toFixed(3),
    b.deviceCycles,
    b.falseConflicts,
    b.fallback ?? '-',
    b.identical ? 'yes' : 'NO',
  ];
  return [
    table(['block', 'txs', 'batches', 'records', 'looked at', 'frames', 'unit cyc', 'rec/cyc', 'device cyc', 'false confl.', 'fallback', 'same answers'], [...r.blocks.map(row), row(r.synthetic)]),
    '',
    `${r.device}: table of ${r.storageEntries} entries; access sets recorded with ${r.workers} executor worker(s)`,
    `synthetic block: ${r.synthetic.looked} records in one batch, ${r.synthetic.cycles} unit cycles (${r.synthetic.recordsPerCycle.toFixed(3)} records/cycle), ${r.synthetic.deviceCycles} device cycles with the link`,
  ].join('\n');
}

function renderStorageChart(r: StorageBenchReport): string {
  const all = [...r.blocks, r.synthetic];
  const categories = all.map((b) => b.name.replace(/^mainnet\//, ''));
  return slantLabels(
    barChart({
      title: 'Storage-check unit: records per unit cycle, per block',
      yLabel: 'records per cycle',
      categories,
      series: [{ name: 'records / unit cycle', values: all.map((b) => (b.fallback ? undefined : b.recordsPerCycle)) }],
    }),
    categories,
  );
}

const storageBench: CommandModule<object, StorageArgs> = {
  command: 'storage',
  describe: 'Storage-check unit: records per cycle and cycles per block (fixture blocks, synthetic block)',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false })
      .option('device', { type: 'string', default: 'sim', describe: 'Device spec (see evm-fpga info --help)' })
      .option('fixtures', { type: 'string', array: true, describe: 'Fixture paths to record access sets from (default: the shared mainnet blocks)' })
      .option('workers', { type: 'number', default: 2, describe: 'Executor workers while recording access sets' })
      .option('txs', { type: 'number', default: 2000, describe: 'Transactions of the synthetic block' })
      .option('chart', { type: 'string', default: 'out/bench-storage.svg', describe: 'Where to write the SVG chart' }) as never,
  handler: async (a) => {
    if (!Number.isInteger(a.workers) || a.workers < 0) throw new UsageError('--workers must be a non-negative integer');
    if (!Number.isInteger(a.txs) || a.txs < 1 || a.txs > 65_534) throw new UsageError('--txs must be an integer from 1 to 65534');
    const progress = progressPrinter('bench');
    let report: StorageBenchReport;
    try {
      report = await benchStorage({ device: a.device, workers: a.workers, syntheticTxs: a.txs, progress, ...(a.fixtures ? { fixtures: a.fixtures } : {}) });
    } finally {
      progress.done();
    }
    mkdirSync(dirname(a.chart), { recursive: true });
    writeFileSync(a.chart, renderStorageChart(report));
    process.stdout.write(a.json ? `${toJson(report)}\n` : `${renderStorageText(report)}\nchart: ${a.chart}\n`);
  },
};


interface ExecArgs {
  json: boolean;
  kinds: string[];
  hot: number[];
  workers: number[];
  txs: number;
  accounts: number;
  seed: number;
  repeat: number;
  warmup: number;
  chart: string;
  report: string;
}

function renderExecChart(r: ExecBenchReport): string {
  const kinds = [...new Set(r.points.map((p) => p.kind))];
  const workers = [...new Set(r.points.map((p) => p.workers))];
  return lineChart({
    title: `Parallel executor: speedup over sequential runBlock (${r.txs} txs, ${r.accounts} accounts, ${r.cores} cores)`,
    xLabel: 'hot share (contention)',
    yLabel: 'speedup (x)',
    reference: [1],
    panels: kinds.map((k) => ({
      title: k,
      series: workers.map((w) => ({
        name: `${w} worker${w === 1 ? '' : 's'}`,
        points: r.points.filter((p) => p.kind === k && p.workers === w).map((p) => [p.hot, p.speedup] as [number, number]),
      })),
    })),
  });
}

function renderExecText(r: ExecBenchReport): string {
  const rows = r.points.map((p) => [
    p.kind,
    p.hot,
    p.workers,
    p.sequentialMs.toFixed(0),
    p.parallelMs.toFixed(0),
    `${p.speedup.toFixed(2)}x`,
    p.stats.mode === 'parallel' ? 'parallel' : `fallback (${p.stats.fallbackReason})`,
    p.stats.conflicts,
    p.ok ? 'ok' : `MISMATCH: ${p.problems[0]}`,
  ]);
  return table(['workload', 'hot', 'workers', 'seq ms', 'par ms', 'speedup', 'mode', 'conflicts', 'result'], rows);
}

const execBench: CommandModule<object, ExecArgs> = {
  command: 'exec',
  describe: 'Parallel executor vs sequential over synthetic workloads, contention and worker counts',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false })
      .option('kinds', { type: 'string', array: true, default: ['erc20', 'amm', 'lending', 'mixed'], describe: 'Workloads' })
      .option('hot', { type: 'number', array: true, default: [0, 0.1, 0.5, 1], describe: 'Hot shares (contention levels)' })
      .option('workers', { type: 'number', array: true, default: [1, 2], describe: 'Worker counts' })
      .option('txs', { type: 'number', default: 1000, describe: 'Transactions per block' })
      .option('accounts', { type: 'number', default: 10_000, describe: 'User accounts per workload' })
      .option('seed', { type: 'number', default: 1 })
      .option('repeat', { type: 'number', default: 3, describe: 'Runs per measurement (median reported)' })
      .option('warmup', { type: 'number', default: 1, describe: 'Unmeasured runs before each measurement (JIT warm-up, both sides)' })
      .option('chart', { type: 'string', default: 'out/bench-exec.svg', describe: 'Where to write the SVG chart' })
      .option('report', { type: 'string', default: 'out/bench-exec.json', describe: 'Where to write the JSON report' }) as never,
  handler: async (a) => {
    const kinds = a.kinds.map((k) => {
      if (!(WORKLOAD_KINDS as readonly string[]).includes(k)) throw new UsageError(`--kinds: '${k}' is not one of ${WORKLOAD_KINDS.join(', ')}`);
      return k as WorkloadKind;
    });
    if (a.hot.some((h) => !(h >= 0 && h <= 1))) throw new UsageError('--hot: every value must be within 0..1');
    if (a.workers.some((w) => !Number.isInteger(w) || w < 1)) throw new UsageError('--workers: every value must be an integer >= 1');
    if (!Number.isInteger(a.repeat) || a.repeat < 1) throw new UsageError('--repeat must be an integer >= 1');
    if (!Number.isInteger(a.warmup) || a.warmup < 0) throw new UsageError('--warmup must be an integer >= 0');
    try {
      parseWorkloadOptions({ kind: kinds[0], txs: a.txs, accounts: a.accounts, hot: 0, seed: a.seed });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const progress = progressPrinter('bench');
    let report: ExecBenchReport;
    try {
      report = await benchExec({ kinds, hot: a.hot, workers: a.workers, txs: a.txs, accounts: a.accounts, seed: a.seed, repeat: a.repeat, warmup: a.warmup, progress });
    } finally {
      progress.done();
    }
    mkdirSync(dirname(a.chart), { recursive: true });
    writeFileSync(a.chart, renderExecChart(report));
    mkdirSync(dirname(a.report), { recursive: true });
    writeFileSync(a.report, `${toJson(report)}\n`);
    process.stdout.write(a.json ? `${toJson(report)}\n` : `${renderExecText(report)}\nchart: ${a.chart}\nreport: ${a.report}\n`);
    if (report.points.some((p) => !p.ok)) process.exitCode = 1;
  },
};

export const benchCommand: CommandModule = {
  command: 'bench <what>',
  describe: 'Benchmarks (keccak, alu, storage, exec, hash, link)',
  builder: (y) => y.command(keccakBench).command(aluBench).command(execBench).command(storageBench).command(hashBench).command(linkBench).demandCommand(1),
  handler: () => {},
};
