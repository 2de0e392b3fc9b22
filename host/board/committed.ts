/**
 * The generated files committed beside each board file, for people who read the repository or use
 * other tools: the PCF (iCE40), and the XDC and Vivado script (7-series). `evm-fpga build --record`
 * rewrites them; a test fails when they differ from what the board file generates.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOARDS_DIR } from './boards.ts';
import { uartDivider, xc7Mmcm } from './clocking.ts';
import { pcf, xdc } from './constraints.ts';
import { boardDesign } from './design.ts';
import type { Board, Xc7Board } from './schema.ts';
import { COMMITTED_HDL_DIR, vivadoScript } from './vivado.ts';

/** Paths (relative to hdl/boards/) and contents of a board's committed generated files. */
export function committedFiles(board: Board): Record<string, string> {
  if (board.fpga.family === 'ice40') return { [`${board.name}/${board.name}.pcf`]: pcf(board) };
  const { mmcm, hz } = board.pll ? xc7Mmcm(board.clock.hz, board.pll.hz) : { mmcm: null, hz: board.clock.hz };
  const uartDiv = uartDivider(hz, board.uart.baud);
  const design = boardDesign(board, { hz, inHz: board.clock.hz, generator: mmcm, uartDiv, baud: hz / uartDiv });
  return {
    [`${board.name}/${board.name}.xdc`]: xdc(board),
    [`${board.name}/vivado.tcl`]: vivadoScript(board as Xc7Board, design, COMMITTED_HDL_DIR),
  };
}

/** Rewrites a board's committed generated files. */
export function writeCommittedFiles(board: Board): void {
  for (const [rel, text] of Object.entries(committedFiles(board))) writeFileSync(join(BOARDS_DIR, rel), text);
}
