/**
 * `evm-fpga build --board NAME`: a bitstream with the open toolchain from npm (iCE40), or the
 * resource counts and the Vivado script (Xilinx). Progress on stderr; the report on stdout (text,
 * or JSON with --json). A design that does not fit, or misses timing without
 * --allow-timing-miss, is a one-line error and exit code 1 (the report is still written).
 */
import type { CommandModule } from 'yargs';
import { boardNames, loadBoard } from '../../board/boards.ts';
import { buildBoard, defaultOutDir } from '../../board/build.ts';
import { writeCommittedFiles } from '../../board/committed.ts';
import { recordReport } from '../../board/docs.ts';
import { BuildCheckError } from '../../board/errors.ts';
import { formatReport } from '../../board/report.ts';
import type { Board } from '../../board/schema.ts';
import { progressPrinter, toJson, UsageError } from '../output.ts';

interface Args {
  board: string;
  json: boolean;
  seed?: number;
  'allow-timing-miss': boolean;
  out?: string;
  'synth-only': boolean;
  record: boolean;
  'keccak-core'?: 'round' | 'compact' | 'lean';
  'evm-unit'?: boolean;
  'evm-datapath'?: 'fast' | 'compact';
  'storage-entries'?: number;
  'clock-mhz'?: number;
}

export const buildCommand: CommandModule<object, Args> = {
  command: 'build',
  describe: 'Build a board: bitstream and report (iCE40), resource counts and Vivado script (Xilinx)',
  builder: (y) =>
    y
      .option('board', { type: 'string', demandOption: true, describe: `Board name (${boardNames().join(', ')})` })
      .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' })
      .option('seed', { type: 'number', describe: "nextpnr placement seed (default: the board file's)" })
      .option('allow-timing-miss', { type: 'boolean', default: false, describe: 'Keep the bitstream when the routed clock misses the target' })
      .option('out', { type: 'string', describe: 'Output directory (default out/boards/<board>/)' })
      .option('synth-only', { type: 'boolean', default: false, describe: 'iCE40: stop after synthesis and packing (fit check, no bitstream)' })
      .option('keccak-core', { choices: ['round', 'compact', 'lean'] as const, describe: "Override the board file's Keccak core" })
      .option('evm-unit', { type: 'boolean', describe: "Override the board file: include (or --no-evm-unit leave out) the EVM unit" })
      .option('evm-datapath', { choices: ['fast', 'compact'] as const, describe: "Override the board file's EVM unit datapath" })
      .option('storage-entries', { type: 'number', describe: "Override the board file's storage-check table size (0: no unit)" })
      .option('clock-mhz', { type: 'number', describe: "Override the design clock the PLL makes (MHz)" })
      .option('record', { type: 'boolean', default: false, describe: "Save the report in docs/boards/ and regenerate docs/boards.md's table and chart" })
      .example('$0 build --board ice40-hx8k', 'bitstream in out/boards/ice40-hx8k/ice40-hx8k.bin')
      .example('$0 build --board arty-a7-35t --json', 'Yosys resource counts and the Vivado script') as never,
  handler: async (a) => {
    if (!boardNames().includes(a.board)) throw new UsageError(`unknown board '${a.board}' (boards: ${boardNames().join(', ')})`);
    if (a.seed !== undefined && (!Number.isInteger(a.seed) || a.seed < 0)) throw new UsageError('--seed must be a non-negative integer');
    const design: Partial<Board['design']> = {};
    if (a['keccak-core'] !== undefined) design.keccakCore = a['keccak-core'];
    if (a['evm-unit'] !== undefined) design.evmUnit = a['evm-unit'];
    if (a['evm-datapath'] !== undefined) design.evmDatapath = a['evm-datapath'];
    if (a['storage-entries'] !== undefined) design.storageEntries = a['storage-entries'];
    const clockMhz = a['clock-mhz'];
    if (clockMhz !== undefined && !(clockMhz > 0 && clockMhz <= 500)) throw new UsageError('--clock-mhz must be a frequency in MHz (0-500)');
    const progress = progressPrinter(`build ${a.board}`);
    const t0 = performance.now();
    const stamp = (line: string) => progress(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);
    try {
      let result;
      try {
        result = await buildBoard(a.board, {
          outDir: a.out ?? defaultOutDir(a.board),
          placeAndRoute: !a['synth-only'],
          allowTimingMiss: a['allow-timing-miss'],
          progress: stamp,
          ...(Object.keys(design).length ? { design } : {}),
          ...(a.seed !== undefined ? { seed: a.seed } : {}),
          ...(clockMhz !== undefined ? { clockHz: Math.round(clockMhz * 1e6) } : {}),
        });
      } catch (err) {
        // A design that does not fit is worth recording too: the docs show what does not fit.
        if (a.record && err instanceof BuildCheckError && err.report) recordReport(err.report);
        throw err;
      }
      const { report, outDir } = result;
      progress.done();
      if (a.record) {
        recordReport(report);
        writeCommittedFiles(loadBoard(a.board)); // the constraints and Vivado script follow the board file
      }
      process.stdout.write(a.json ? `${toJson(report)}\n` : `${formatReport(report)}\n  output: ${outDir}\n`);
    } finally {
      progress.done();
    }
  },
};
