/**
 * `evm-fpga bench hash`: Keccak calls per fixture block by source, bytes, device cycles, measured
 * software Keccak, and projected device time at a stated clock over UART and PCIe link rates
 * (host/bench/hash.ts, docs/hash-offload.md). Writes a JSON report and an SVG chart to --out.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { LINKS, benchHash, type HashBenchBlock, type HashBenchReport } from '../../bench/hash.ts';
import { defaultFixtureDir } from '../../executor/load/index.ts';
import { KECCAK_SOURCES } from '../../executor/keccak.ts';
import { barChart } from '../chart.ts';
import { progressPrinter, table, toJson, UsageError } from '../output.ts';

interface HashArgs {
  json: boolean;
  device: string;
  fixtures?: string[];
  'clock-mhz': number;
  out: string;
}

/** The default blocks: four ValidBlocks tests (wallet, logs, EIP-1559, all tx types) and every mainnet block. */
export function defaultHashFixtures(): string[] {
  const fix = defaultFixtureDir();
  const valid = ['bcWalletTest/wallet2outOf3txs.json', 'bcStateTests/logRevert.json', 'bcEIP1559/burnVerify.json', 'bcEIP4844-blobtransactions/blockWithAllTransactionTypes.json'];
  const mainnet = ['46147', '930196', '2462997', '4370000', '7280000', '12300570', '19426587', '19910734'];
  return [...valid.map((v) => join(fix, 'ethereum-tests', 'ValidBlocks', v)), ...mainnet.map((m) => join(fix, 'mainnet', m))];
}

/** The chart's category of a block: its case (the blocks of a multi-block test are summed). */
const caseLabel = (b: HashBenchBlock) => b.name.replace(/^mainnet\//, '').replace(/\.json:.*$/, '').slice(0, 10);
const ms = (v: number) => (v >= 10 ? v.toFixed(1) : v >= 0.1 ? v.toFixed(2) : v.toFixed(4));

function renderText(r: HashBenchReport): string {
  const rows = r.blocks.map((b) => [
    b.name,
    b.transactions,
    ...KECCAK_SOURCES.map((s) => b.sources[s].calls),
    b.total.bytes,
    b.total.deviceCycles,
    b.mismatches,
    ms(b.software.bestMs),
    ...LINKS.map((l) => `${ms(b.projected[l.key].ms)} ${b.projected[l.key].bound}`),
  ]);
  const t = r.totals;
  return [
    table(['block', 'txs', ...KECCAK_SOURCES, 'bytes', 'device cyc', 'mism.', 'sw ms', ...LINKS.map((l) => `${l.name} ms*`)], rows),
    '',
    `totals: ${t.calls} Keccak calls, ${t.bytes} bytes, ${t.deviceCycles} device cycles; best software ${ms(t.softwareBestMs)} ms; ` +
      LINKS.map((l) => `${l.name} ${ms(t.projected[l.key])} ms*`).join(', '),
    `* ${r.note}`,
    'trie = the level-batched state-root rebuild from the post-state (keys, code hashes, nodes); the incremental Merkle state would hash ' +
      `${r.blocks.reduce((n, b) => n + b.incrementalTrie.calls, 0)} times for the same roots.`,
  ].join('\n');
}

/** The SVG chart of a report (exported to re-render a saved report). */
export function renderChart(r: HashBenchReport): string {
  const categories = [...new Set(r.blocks.map(caseLabel))];
  const sum = (f: (b: HashBenchBlock) => number) => categories.map((c) => r.blocks.filter((b) => caseLabel(b) === c).reduce((n, b) => n + f(b), 0));
  const svg = barChart({
    title: `Keccak ms per block (case): software measured vs device projected* at ${r.clockHz / 1e6} MHz`,
    yLabel: 'milliseconds (log scale)',
    categories,
    series: [{ name: 'software (measured)', values: sum((b) => b.software.bestMs) }, ...LINKS.map((l) => ({ name: `${l.name.replace('PCIe ', '')}*`, values: sum((b) => b.projected[l.key].ms) }))],
    logScale: true,
  });
  // Slant the category labels so a dozen fit under their bars; drop the per-bar value labels (the
  // numbers are in the report), which overlap at this density.
  const names = new Set(categories);
  return svg.replace(/<text [^>]*font-size="10">[^<]*<\/text>/g, '').replace(/<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle">([^<]*)<\/text>/g, (whole, x: string, y: string, text: string) =>
    names.has(text) ? `<text x="${x}" y="${Number(y) - 6}" text-anchor="end" transform="rotate(-35 ${x} ${Number(y) - 6})">${text}</text>` : whole,
  );
}

export const hashBench: CommandModule<object, HashArgs> = {
  command: 'hash',
  describe: 'Keccak calls by source per fixture block, device cycles, projections vs measured software',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false })
      .option('device', { type: 'string', default: 'sim', describe: 'Device spec that measures the cycles (see evm-fpga info --help)' })
      .option('fixtures', { type: 'string', array: true, describe: 'Fixture files or mainnet block directories (default: 4 ValidBlocks tests and the mainnet blocks)' })
      .option('clock-mhz', { type: 'number', default: 100, describe: 'Device clock the projections assume' })
      .option('out', { type: 'string', default: 'out', describe: 'Directory for bench-hash.json and bench-hash.svg' }) as never,
  handler: async (a) => {
    if (!(a['clock-mhz'] > 0 && a['clock-mhz'] <= 2000)) throw new UsageError('--clock-mhz must be a number from 0 to 2000');
    const progress = progressPrinter('bench');
    let report: HashBenchReport;
    try {
      report = await benchHash({ device: a.device, fixtures: a.fixtures ?? defaultHashFixtures(), clockHz: a['clock-mhz'] * 1e6, progress });
    } finally {
      progress.done();
    }
    mkdirSync(a.out, { recursive: true });
    const chart = join(a.out, 'bench-hash.svg');
    const json = join(a.out, 'bench-hash.json');
    writeFileSync(chart, renderChart(report));
    writeFileSync(json, `${toJson(report)}\n`);
    process.stdout.write(a.json ? `${toJson(report)}\n` : `${renderText(report)}\nchart: ${chart}\nreport: ${json}\n`);
    if (report.blocks.some((b) => b.mismatches)) {
      process.stderr.write('error: the device disagreed with software on some digests (column mism.)\n');
      process.exitCode = 1;
    }
  },
};
