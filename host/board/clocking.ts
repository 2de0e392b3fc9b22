/**
 * The design clock of a board: from its oscillator through the FPGA's clock generator (the iCE40
 * PLL with dividers from icepll, or the 7-series MMCM), and the UART divider that follows from it.
 */
import { BoardFileError, BuildToolError } from './errors.ts';
import { runTool } from './tools.ts';
import type { Board } from './schema.ts';

/** iCE40 SB_PLL40_CORE settings, as icepll prints them. */
export interface Ice40Pll {
  kind: 'ice40-pll';
  divr: number;
  divf: number;
  divq: number;
  filterRange: number;
}

/** 7-series MMCME2_BASE settings (integer multiplier and dividers). */
export interface Xc7Mmcm {
  kind: 'xc7-mmcm';
  divclk: number;
  mult: number;
  div: number;
}

export interface DesignClock {
  /** The design clock in Hz (what the clock generator achieves, not only what was asked). */
  hz: number;
  /** The oscillator in Hz. */
  inHz: number;
  /** null: the oscillator clocks the design directly. */
  generator: Ice40Pll | Xc7Mmcm | null;
  /** UART_DIV: clock cycles per UART bit. */
  uartDiv: number;
  /** The baud rate the divider really gives. */
  baud: number;
}

/**
 * UART_DIV for a clock and baud rate: the nearest integer, which must be at least 4 (the UART
 * samples mid-bit) and give a rate within 2 % of the requested one (what a UART tolerates).
 */
export function uartDivider(clockHz: number, baud: number): number {
  const div = Math.round(clockHz / baud);
  const actual = clockHz / div;
  if (div < 4) throw new BoardFileError(`a ${baud} baud UART needs a clock of at least ${4 * baud} Hz (design clock ${clockHz} Hz)`);
  if (Math.abs(actual - baud) / baud > 0.02) {
    throw new BoardFileError(`${clockHz} Hz cannot make ${baud} baud within 2 % (divider ${div} gives ${actual.toFixed(0)} baud)`);
  }
  return div;
}

/** Parses icepll's report (DIVR/DIVF/DIVQ/FILTER_RANGE and the achieved frequency). */
export function parseIcepll(text: string): { pll: Ice40Pll; hz: number } {
  const num = (re: RegExp) => {
    const m = re.exec(text);
    if (!m) throw new BuildToolError('icepll printed no PLL setting', { details: text });
    return Number(m[1]);
  };
  const pll: Ice40Pll = {
    kind: 'ice40-pll',
    divr: num(/^DIVR:\s*(\d+)/m),
    divf: num(/^DIVF:\s*(\d+)/m),
    divq: num(/^DIVQ:\s*(\d+)/m),
    filterRange: num(/^FILTER_RANGE:\s*(\d+)/m),
  };
  return { pll, hz: Math.round(num(/^F_PLLOUT:\s*([\d.]+) MHz \(achieved\)/m) * 1e6) };
}

/** Runs icepll (from npm) for an oscillator and a wanted output frequency. */
export async function icepll(inHz: number, outHz: number): Promise<{ pll: Ice40Pll; hz: number }> {
  const run = await runTool('icepll', ['-i', String(inHz / 1e6), '-o', String(outHz / 1e6)], {});
  return parseIcepll(run.output);
}

/**
 * An MMCME2_BASE setting for `inHz` -> `outHz` with integer multiplier and dividers, within the
 * Artix-7 -1 limits (PFD 10-450 MHz, VCO 600-1200 MHz): the exact frequency if any setting makes
 * it, else the nearest one; of equal ones, the one whose VCO is nearest 900 MHz.
 */
export function xc7Mmcm(inHz: number, outHz: number): { mmcm: Xc7Mmcm; hz: number } {
  let best: { mmcm: Xc7Mmcm; hz: number } | undefined;
  for (let divclk = 1; divclk <= 106; divclk++) {
    const pfd = inHz / divclk;
    if (pfd < 10e6 || pfd > 450e6) continue;
    for (let mult = 2; mult <= 64; mult++) {
      const vco = pfd * mult;
      if (vco < 600e6 || vco > 1200e6) continue;
      const div = Math.min(128, Math.max(1, Math.round(vco / outHz)));
      const hz = vco / div;
      // Nearest frequency first; among equals, the VCO nearest mid-range (900 MHz), away from the limits.
      const better =
        !best ||
        Math.abs(hz - outHz) < Math.abs(best.hz - outHz) ||
        (Math.abs(hz - outHz) === Math.abs(best.hz - outHz) &&
          Math.abs(vco - 900e6) < Math.abs((inHz / best.mmcm.divclk) * best.mmcm.mult - 900e6));
      if (better) best = { mmcm: { kind: 'xc7-mmcm', divclk, mult, div }, hz };
    }
  }
  if (!best) throw new BoardFileError(`no MMCM setting makes ${outHz} Hz from ${inHz} Hz`);
  return { mmcm: best.mmcm, hz: Math.round(best.hz) };
}

/** The design clock of a board, running icepll for an iCE40 PLL. */
export async function designClock(board: Board): Promise<DesignClock> {
  const inHz = board.clock.hz;
  let hz = inHz;
  let generator: DesignClock['generator'] = null;
  if (board.pll) {
    if (board.fpga.family === 'ice40') {
      const r = await icepll(inHz, board.pll.hz);
      ({ hz } = r);
      generator = r.pll;
    } else {
      const r = xc7Mmcm(inHz, board.pll.hz);
      ({ hz } = r);
      generator = r.mmcm;
    }
  }
  const uartDiv = uartDivider(hz, board.uart.baud);
  return { hz, inHz, generator, uartDiv, baud: hz / uartDiv };
}
