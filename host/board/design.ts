/**
 * What gets built for a board: the RTL sources (the filelist hdl/evm_fpga.f plus the board top of
 * the FPGA family), the top module, its parameters (units, clock, UART divider, PLL setting) and
 * preprocessor defines. Yosys and the generated Vivado script both read this.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HDL_DIR } from './boards.ts';
import type { DesignClock } from './clocking.ts';
import type { Board } from './schema.ts';

export interface BoardDesign {
  /** The board top module. */
  top: 'ice40_board_top' | 'xc7_board_top';
  /** Source files, relative to hdl/, in read order (package first). */
  sources: string[];
  /** Top parameters (integers; reals as numbers with a fraction are written as reals). */
  parameters: Record<string, number>;
  /** Verilog defines. */
  defines: string[];
}

/** evm_fpga_top's KECCAK_CORE for each board-file Keccak core. */
export const KECCAK_CORE_PARAMETER = { round: 0, compact: 1, lean: 2 } as const;

/** The RTL filelist hdl/evm_fpga.f, relative to hdl/. */
export function rtlSources(): string[] {
  return readFileSync(join(HDL_DIR, 'evm_fpga.f'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*$|\/\/.*$/, '').trim())
    .filter(Boolean);
}

/** The sources, top, parameters and defines for `board` with its design clock. */
export function boardDesign(board: Board, clock: DesignClock): BoardDesign {
  const d = board.design;
  const parameters: Record<string, number> = {
    CLK_HZ: clock.hz,
    UART_DIV: clock.uartDiv,
    LEDS: board.leds.pins.length,
    LED_ACTIVE_LOW: board.leds.activeLow ? 1 : 0,
    KECCAK_CORE: KECCAK_CORE_PARAMETER[d.keccakCore],
    KECCAK_ROUNDS_PER_CLK: d.keccakRoundsPerClock,
    EVM_UNIT: d.evmUnit ? 1 : 0,
    EVM_DATAPATH: d.evmDatapath === 'compact' ? 1 : 0,
    STORAGE_ENTRIES: d.storageEntries,
  };
  const common = ['boards/common/board_reset.sv', 'boards/common/board_leds.sv', 'boards/common/board_core.sv'];
  const g = clock.generator;
  if (board.fpga.family === 'ice40') {
    parameters.USE_PLL = g ? 1 : 0;
    parameters.PLL_FROM_PAD = board.pll?.pad ? 1 : 0;
    if (g?.kind === 'ice40-pll') {
      Object.assign(parameters, { PLL_DIVR: g.divr, PLL_DIVF: g.divf, PLL_DIVQ: g.divq, PLL_FILTER_RANGE: g.filterRange });
    }
    return {
      top: 'ice40_board_top',
      sources: [...rtlSources(), ...common, 'boards/ice40/ice40_board_top.sv'],
      parameters,
      defines: board.reset ? ['BOARD_HAS_RESET'] : [],
    };
  }
  if (g?.kind === 'xc7-mmcm') Object.assign(parameters, { MMCM_DIVCLK: g.divclk, MMCM_MULT: g.mult, MMCM_DIV: g.div });
  return {
    top: 'xc7_board_top',
    sources: [...rtlSources(), ...common, 'boards/xilinx/xc7_board_top.sv'],
    parameters: { ...parameters, CLKIN_PERIOD_NS: 1e9 / clock.inHz },
    defines: [],
  };
}
