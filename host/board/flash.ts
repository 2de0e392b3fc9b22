/**
 * Flashing a board with openFPGALoader (Debian package `openfpgaloader`): the board file names
 * openFPGALoader's board (`-b`) and whether the configuration flash or only the FPGA's SRAM is
 * written. Failures become one line a person can act on: the tool is missing (with the install
 * command), no cable is found (board not plugged in, or no permission on the USB device), the
 * cable finds no FPGA, or the bitstream is missing.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { runCommand } from '../sim/toolchain.ts';
import { FlashError } from './errors.ts';
import type { Board } from './schema.ts';
import { tail } from './tools.ts';

export const OPENFPGALOADER_INSTALL = "openFPGALoader is not installed: run 'sudo apt-get install -y openfpgaloader'";

/** Where `evm-fpga build` leaves a board's bitstream (iCE40), or where the Vivado script does (7-series). */
export function defaultBitstream(board: Board, outDir: string): string {
  return board.fpga.family === 'ice40' ? join(outDir, `${board.name}.bin`) : join(outDir, 'vivado-out', `${board.name}.bit`);
}

/** openFPGALoader's arguments for a board and a bitstream. */
export function flashArgs(board: Board, bitstream: string): string[] {
  const args = ['-b', board.flash.board];
  // iCE40 boards are programmed through their SPI flash (ice40_generic always writes it); on
  // 7-series boards SRAM is the default and -f writes the configuration flash.
  if (board.fpga.family !== 'ice40' && board.flash.target === 'flash') args.push('-f');
  args.push(bitstream);
  return args;
}

/** One line for an openFPGALoader failure, from its output. */
export function explainFlashFailure(board: Board, output: string, code: number): string {
  if (/unable to open ftdi device|No cable found|device not found|fails? to (?:open|claim)|libusb/i.test(output)) {
    return `no programming cable found for the ${board.title}: is it plugged in by USB, and may you open its USB device (udev rules, plugdev group)?`;
  }
  if (/JTAG init failed|no device found|Unknown device|idcode/i.test(output)) {
    return `the cable answers but no FPGA does: is the ${board.title} powered and its programming jumpers set?`;
  }
  if (/cannot find board/i.test(output)) return `openFPGALoader does not know the board '${board.flash.board}': use a newer openFPGALoader`;
  const first = /^(?:Error|error)[:\s]+(.+)$/m.exec(output)?.[1]?.trim();
  return `openFPGALoader failed (exit code ${code})${first ? `: ${first}` : ''}`;
}

/** The first executable called `name` on a PATH string, like `command -v`. */
function findExecutable(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export interface FlashOptions {
  /** The bitstream file. */
  bitstream: string;
  /** Environment for the tool (PATH decides which openFPGALoader runs). */
  env?: NodeJS.ProcessEnv;
  /** openFPGALoader's output lines (progress). */
  onLine?: (line: string) => void;
}

/** Writes `bitstream` to the board. Throws {@link FlashError} with a one-line reason on failure. */
export async function flashBoard(board: Board, opts: FlashOptions): Promise<void> {
  const bitstream = resolve(opts.bitstream);
  if (!existsSync(bitstream)) {
    throw new FlashError(
      board.fpga.family === 'ice40'
        ? `no bitstream at ${bitstream}: run 'evm-fpga build --board ${board.name}' first (or pass --bitstream)`
        : `no bitstream at ${bitstream}: build it with the Vivado script 'evm-fpga build --board ${board.name}' writes (or pass --bitstream)`,
    );
  }
  const env = opts.env ?? process.env;
  const tool = findExecutable('openFPGALoader', env.PATH ?? '');
  if (!tool) throw new FlashError(OPENFPGALOADER_INSTALL);
  const args = flashArgs(board, bitstream);
  const r = await runCommand(tool, args, opts.onLine ? { env, onLine: opts.onLine } : { env });
  if (r.code !== 0) {
    throw new FlashError(explainFlashFailure(board, r.output, r.code), { details: `${tool} ${args.join(' ')}\n${tail(r.output)}` });
  }
}
