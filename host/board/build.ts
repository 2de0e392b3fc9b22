/**
 * `buildBoard`: one entry point for every board. Loads and validates the board file, runs the
 * family's flow (iCE40: bitstream with the open toolchain; 7-series: Yosys counts and the Vivado
 * script), and writes the results to the output directory: the report (report.json), the
 * bitstream (<board>.bin), the constraints and the tools' logs. A build that fails its fit or
 * timing check still writes its report and logs before the error reaches the caller.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBoard, parseBoard } from './boards.ts';
import { BuildCheckError } from './errors.ts';
import { buildIce40 } from './ice40-flow.ts';
import type { BuildReport } from './report.ts';
import type { Board, Ice40Board, Xc7Board } from './schema.ts';
import { buildXc7 } from './xc7-flow.ts';

/** Default output directory of a board's build: out/boards/<board>/ in the repository. */
export function defaultOutDir(board: string): string {
  return join(fileURLToPath(new URL('../../out/boards/', import.meta.url)), board);
}

export interface BuildBoardOptions {
  /** Output directory (default out/boards/<board>/). */
  outDir?: string;
  /** iCE40: run place-and-route and write the bitstream (default true); false stops after packing. */
  placeAndRoute?: boolean;
  seed?: number;
  allowTimingMiss?: boolean;
  /** Overrides of the board file's design section (to measure another configuration). */
  design?: Partial<Board['design']>;
  /** Override of the design clock the PLL makes, in Hz. */
  clockHz?: number;
  progress?: (line: string) => void;
}

export interface BuildBoardResult {
  report: BuildReport;
  outDir: string;
}

function writeOutputs(outDir: string, report: BuildReport, outputs: Record<string, string>, bitstream?: { name: string; data: Uint8Array }) {
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(outputs)) {
    writeFileSync(join(outDir, name), text);
    report.files[name] = name;
  }
  if (bitstream) {
    writeFileSync(join(outDir, bitstream.name), bitstream.data);
    report.files.bitstream = bitstream.name;
  }
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
}

/** Builds board `name` (see the module comment). */
export async function buildBoard(name: string, opts: BuildBoardOptions = {}): Promise<BuildBoardResult> {
  const loaded = loadBoard(name);
  const board =
    opts.design || opts.clockHz
      ? parseBoard(
          {
            ...loaded,
            design: { ...loaded.design, ...opts.design },
            ...(opts.clockHz ? { pll: { pad: loaded.pll?.pad ?? false, hz: opts.clockHz } } : {}),
          },
          `${name} with overrides`,
        )
      : loaded;
  const outDir = resolve(opts.outDir ?? defaultOutDir(name));
  const overrides = [
    ...Object.entries(opts.design ?? {}).map(([k, v]) => {
      const flag = k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      return typeof v === 'boolean' ? (v ? flag : `no-${flag}`) : `${flag}=${v}`;
    }),
    ...(opts.clockHz ? [`clock-mhz=${opts.clockHz / 1e6}`] : []),
  ];
  const variant = overrides.length ? overrides.join(',') : undefined;
  const mark = (report: BuildReport) => {
    if (variant) report.variant = variant;
  };
  try {
    if (board.fpga.family === 'ice40') {
      const r = await buildIce40(board as Ice40Board, {
        placeAndRoute: opts.placeAndRoute ?? true,
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.allowTimingMiss !== undefined ? { allowTimingMiss: opts.allowTimingMiss } : {}),
        ...(opts.progress ? { progress: opts.progress } : {}),
      });
      mark(r.report);
      writeOutputs(outDir, r.report, r.outputs, r.bitstream ? { name: `${board.name}.bin`, data: r.bitstream } : undefined);
      return { report: r.report, outDir };
    }
    const r = await buildXc7(board as Xc7Board, opts.progress);
    mark(r.report);
    writeOutputs(outDir, r.report, r.outputs);
    return { report: r.report, outDir };
  } catch (err) {
    if (err instanceof BuildCheckError && err.report) {
      mark(err.report);
      writeOutputs(outDir, err.report, err.outputs ?? {});
    }
    throw err;
  }
}
