/**
 * The utilisation and timing table of docs/boards.md and its chart, generated from the build
 * reports committed in docs/boards/ (one <board>.json each, written by
 * `evm-fpga build --board <board> --record`). The table sits between two markers in
 * docs/boards.md; a test fails when it or the chart is stale.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { barChart } from '../cli/chart.ts';
import { percent, rate, type BuildReport } from './report.ts';

export const DOCS_DIR = fileURLToPath(new URL('../../docs/', import.meta.url));
/** Committed build reports, one per board. */
export const REPORTS_DIR = join(DOCS_DIR, 'boards');
export const BOARDS_DOC = join(DOCS_DIR, 'boards.md');
export const CHART_FILE = join(REPORTS_DIR, 'utilisation.svg');
const START = '<!-- board-table:start (generated from docs/boards/*.json by `evm-fpga build --record`) -->';
const END = '<!-- board-table:end -->';

/** The committed reports, sorted by board name. */
export function committedReports(): BuildReport[] {
  if (!existsSync(REPORTS_DIR)) return [];
  return readdirSync(REPORTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(REPORTS_DIR, f), 'utf8')) as BuildReport);
}

const mhz = (hz: number) => (hz / 1e6).toFixed(1);

/** The markdown table: one row per board. */
export function reportTable(reports: BuildReport[]): string {
  const rows = [
    '| board | device | stage | design | logic | FF | block RAM | DSP | I/O | clock target | routed Fmax | 64-byte hashes/s | synthesis | place & route |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of reports) {
    const res = (name: string) => r.resources.find((x) => x.name === name);
    const cell = (name: string) => {
      const x = res(name);
      return x ? `${x.used}${x.available !== undefined ? ` / ${x.available} (${percent(x)})` : ''}` : '-';
    };
    const logic = res('LC') ? `${cell('LC')} LC` : res('LUT') ? `${cell('LUT')} LUT6` : `${cell('LUT4')} LUT4`;
    const d = r.design;
    const design = [`Keccak ${d.keccakCore}`, 'link', d.evmUnit ? (d.evmDatapath === 'compact' ? 'EVM (compact)' : 'EVM') : '', d.storageEntries ? `storage ${d.storageEntries}` : ''].filter(Boolean).join(' + ');
    const fmax = !r.fits
      ? 'does not fit'
      : r.timing ? `${mhz(r.timing.fmaxHz)} MHz (${r.timing.met ? 'met' : r.timing.missAccepted ? 'missed, accepted' : 'missed'})` : 'n/a (no open P&R)';
    rows.push(
      `| ${r.board}${r.variant ? ` (${r.variant})` : ''} | ${r.device} ${r.package} | ${r.stage} | ${design} | ${logic} | ${res('FF')?.used ?? '-'} | ${cell(res('EBR') ? 'EBR' : 'BRAM36')} | ` +
        `${cell(res('DSP') ? 'DSP' : 'DSP48')} | ${cell('IO')} | ${mhz(r.clock.targetHz)} MHz | ${fmax} | ` +
        `${r.hashesPerSecond ? rate(r.hashesPerSecond) : '-'} | ${r.seconds.synthesis.toFixed(0)} s | ` +
        `${r.seconds.placeAndRoute !== undefined ? `${r.seconds.placeAndRoute.toFixed(0)} s` : '-'} |`,
    );
  }
  return rows.join('\n');
}

/** A bar chart of logic, block RAM and DSP use in percent of each board's device. */
export function utilisationChart(reports: BuildReport[]): string {
  const pct = (r: BuildReport, names: string[]) => {
    const x = r.resources.find((y) => names.includes(y.name) && y.available);
    return x && x.available ? Math.round((1000 * x.used) / x.available) / 10 : undefined;
  };
  reports = reports.filter((r) => r.fits);
  return barChart({
    title: 'Utilisation per board (% of the device)',
    yLabel: '% of device',
    categories: reports.map((r) => (r.variant ? `${r.board} (${r.variant})` : r.board)),
    series: [
      { name: 'logic (LC / LUT6)', values: reports.map((r) => pct(r, ['LC', 'LUT'])) },
      { name: 'flip-flops', values: reports.map((r) => pct(r, r.resources.some((x) => x.name === 'LC') ? [] : ['FF'])) },
      { name: 'block RAM', values: reports.map((r) => pct(r, ['EBR', 'BRAM36'])) },
      { name: 'DSP', values: reports.map((r) => pct(r, ['DSP', 'DSP48'])) },
    ],
  });
}

/** docs/boards.md with its generated table replaced by one made from `reports`. */
export function renderBoardsDoc(current: string, reports: BuildReport[]): string {
  const a = current.indexOf(START);
  const b = current.indexOf(END);
  if (a < 0 || b < a) throw new Error(`docs/boards.md has no generated-table markers`);
  return `${current.slice(0, a + START.length)}\n${reportTable(reports)}\n${current.slice(b)}`;
}

/** The committed report's file name: `<board>.json`, or `<board>+<variant>.json` for an overridden design. */
export function reportFileName(report: BuildReport): string {
  return `${report.board}${report.variant ? `+${report.variant.replace(/[^a-z0-9=-]+/g, '_')}` : ''}.json`;
}

/** Saves `report` as a committed report and regenerates the table and the chart. */
export function recordReport(report: BuildReport): void {
  const clean: BuildReport = { ...report, files: {} };
  writeFileSync(join(REPORTS_DIR, reportFileName(report)), `${JSON.stringify(clean, null, 2)}\n`);
  regenerateDocs();
}

/** Rewrites the generated parts of docs/boards.md and the chart from the committed reports. */
export function regenerateDocs(): void {
  const reports = committedReports();
  writeFileSync(BOARDS_DOC, renderBoardsDoc(readFileSync(BOARDS_DOC, 'utf8'), reports));
  writeFileSync(CHART_FILE, utilisationChart(reports));
}
