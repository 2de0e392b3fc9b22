/**
 * Board files and everything generated from them, without running any FPGA tool: the zod schema,
 * the clock and UART divider arithmetic, the committed constraints and Vivado script (generated,
 * checked here against the board files), the docs table and chart (generated from the committed
 * reports), and openFPGALoader's arguments and failure messages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOARDS_DIR, boardNames, loadBoard, parseBoard } from '../host/board/boards.ts';
import { parseIcepll, uartDivider, xc7Mmcm } from '../host/board/clocking.ts';
import { committedFiles } from '../host/board/committed.ts';
import { boardDesign } from '../host/board/design.ts';
import { BOARDS_DOC, CHART_FILE, committedReports, renderBoardsDoc, utilisationChart } from '../host/board/docs.ts';
import { BoardFileError } from '../host/board/errors.ts';
import { explainFlashFailure, flashArgs } from '../host/board/flash.ts';
import { cyclesPerHash, formatReport, ice40SynthResources, overCapacity, xc7SynthResources } from '../host/board/report.ts';
import type { Xc7Board } from '../host/board/schema.ts';
import { COMMITTED_HDL_DIR, vivadoScript } from '../host/board/vivado.ts';

const ICEPLL_48 = `
F_PLLIN:    12.000 MHz (given)
F_PLLOUT:   48.000 MHz (requested)
F_PLLOUT:   48.000 MHz (achieved)

FEEDBACK: SIMPLE
F_PFD:   12.000 MHz
F_VCO:  768.000 MHz

DIVR:  0 (4'b0000)
DIVF: 63 (7'b0111111)
DIVQ:  4 (3'b100)

FILTER_RANGE: 1 (3'b001)
`;

describe('board files', () => {
  it('the three boards of the issue exist and validate', () => {
    expect(boardNames()).toEqual(expect.arrayContaining(['arty-a7-35t', 'ice40-hx8k', 'icebreaker']));
    for (const name of boardNames()) expect(loadBoard(name).name).toBe(name);
    expect(loadBoard('ice40-hx8k').fpga).toMatchObject({ family: 'ice40', device: 'hx8k', package: 'ct256' });
    expect(loadBoard('icebreaker').fpga).toMatchObject({ family: 'ice40', device: 'up5k', package: 'sg48' });
    expect(loadBoard('icebreaker').design.keccakCore).toBe('compact');
    expect(loadBoard('arty-a7-35t').fpga).toMatchObject({ family: 'xc7', device: 'xc7a35t' });
  });

  it('an unknown board names the known ones', () => {
    expect(() => loadBoard('de10-nano')).toThrow(`unknown board 'de10-nano' (boards: ${boardNames().join(', ')})`);
  });

  it.each([
    ['a pin with a space', (b: Record<string, any>) => ({ ...b, uart: { ...b.uart, rx: 'B 10' } }), /uart\.rx/],
    ['a missing clock', (b: Record<string, any>) => ({ ...b, clock: undefined }), /clock/],
    ['an unknown device', (b: Record<string, any>) => ({ ...b, fpga: { ...b.fpga, device: 'hx4k' } }), /fpga\.device/],
    ['two Keccak cores', (b: Record<string, any>) => ({ ...b, design: { ...b.design, keccakCores: 2 } }), /design\.keccakCores: evm_fpga_top has one Keccak core/],
    ['a storage table that is not a power of two', (b: Record<string, any>) => ({ ...b, design: { ...b.design, storageEntries: 1000 } }), /design\.storageEntries: must be 0 or a power of two/],
    ['an unknown field', (b: Record<string, any>) => ({ ...b, colour: 'blue' }), /colour|unrecognized/i],
  ])('rejects %s with one line naming the field', (_what, mutate, message) => {
    const good = JSON.parse(readFileSync(join(BOARDS_DIR, 'ice40-hx8k', 'board.json'), 'utf8'));
    let err: unknown;
    try {
      parseBoard(mutate(good), 'test.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BoardFileError);
    expect((err as Error).message).toMatch(/^invalid board file test\.json: /);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('clocks', () => {
  it('the UART divider follows the clock and the baud rate', () => {
    expect(uartDivider(48e6, 3e6)).toBe(16);
    expect(uartDivider(48e6, 12e6)).toBe(4);
    expect(uartDivider(18e6, 3e6)).toBe(6);
    expect(uartDivider(48e6, 115200)).toBe(417); // 115,108 baud: 0.08 % off
    expect(() => uartDivider(12e6, 12e6)).toThrow(/needs a clock of at least 48000000 Hz/);
    expect(() => uartDivider(20e6, 3e6)).toThrow(/cannot make 3000000 baud within 2 %/);
  });

  it("parses icepll's report", () => {
    expect(parseIcepll(ICEPLL_48)).toEqual({ pll: { kind: 'ice40-pll', divr: 0, divf: 63, divq: 4, filterRange: 1 }, hz: 48e6 });
    expect(() => parseIcepll('nothing')).toThrow(/icepll printed no PLL setting/);
  });

  it('finds an MMCM setting within the Artix-7 limits', () => {
    const { mmcm, hz } = xc7Mmcm(100e6, 48e6);
    expect(hz).toBe(48e6);
    const pfd = 100e6 / mmcm.divclk;
    expect(pfd).toBeGreaterThanOrEqual(10e6);
    expect(pfd * mmcm.mult).toBeGreaterThanOrEqual(600e6);
    expect(pfd * mmcm.mult).toBeLessThanOrEqual(1200e6);
    expect((pfd * mmcm.mult) / mmcm.div).toBe(48e6);
  });
});

describe('generated files are current', () => {
  it.each(['ice40-hx8k', 'icebreaker', 'arty-a7-35t'])('the constraints (and Vivado script) committed for %s match its board file', (name) => {
    const files = committedFiles(loadBoard(name));
    expect(Object.keys(files).length).toBeGreaterThan(0);
    for (const [rel, text] of Object.entries(files)) expect(readFileSync(join(BOARDS_DIR, rel), 'utf8'), rel).toBe(text);
  });

  it('the Vivado script builds the same sources and parameters as the Yosys flow', () => {
    const board = loadBoard('arty-a7-35t') as Xc7Board;
    const { mmcm, hz } = xc7Mmcm(board.clock.hz, board.pll!.hz);
    const design = boardDesign(board, { hz, inHz: board.clock.hz, generator: mmcm, uartDiv: uartDivider(hz, board.uart.baud), baud: board.uart.baud });
    const script = vivadoScript(board, design, COMMITTED_HDL_DIR);
    expect(script).toContain(`-generic MMCM_MULT=${mmcm.mult}`);
    expect(script).toContain('-generic UART_DIV=16');
    expect(script).toContain(`set_part ${board.fpga.part}`);
    for (const src of design.sources) expect(script).toContain(`  ${src}\n`);
  });

  it("docs/boards.md's table and the chart match the committed reports", () => {
    const reports = committedReports();
    expect(reports.filter((r) => !r.variant).map((r) => r.board).sort()).toEqual(boardNames());
    const doc = readFileSync(BOARDS_DOC, 'utf8');
    expect(renderBoardsDoc(doc, reports)).toBe(doc);
    expect(readFileSync(CHART_FILE, 'utf8')).toBe(utilisationChart(reports));
  });

  it("the committed reports show every board file's configuration fitting, and the routed ones meeting timing", () => {
    for (const r of committedReports().filter((x) => !x.variant)) {
      expect(r.fits, r.board).toBe(true);
      expect(overCapacity(r.resources), r.board).toEqual([]);
      if (r.stage === 'place-and-route') expect(r.timing?.met, r.board).toBe(true);
      expect(formatReport(r)).toContain(`${r.board}: `);
    }
  });

  it('the Artix-7 35T builds the full configuration (EVM unit with the compact datapath) under 70 % of every resource', () => {
    const board = loadBoard('arty-a7-35t');
    expect(board.design).toMatchObject({ keccakCore: 'round', evmUnit: true, evmDatapath: 'compact', storageEntries: 8192 });
    const r = committedReports().find((x) => x.board === 'arty-a7-35t' && !x.variant)!;
    expect(r.design).toEqual(board.design);
    for (const res of r.resources) if (res.available !== undefined) expect(res.used / res.available, res.name).toBeLessThan(0.7);
    // The fast datapath's row stays in the docs, and does not fit.
    expect(committedReports().find((x) => x.board === 'arty-a7-35t' && x.variant === 'evm-datapath=fast')?.fits).toBe(false);
    expect(formatReport(r)).toContain('+ EVM unit (compact datapath) +');
    const { mmcm, hz } = xc7Mmcm(board.clock.hz, board.pll!.hz);
    const design = boardDesign(board, { hz, inHz: board.clock.hz, generator: mmcm, uartDiv: 16, baud: 3e6 });
    expect(design.parameters).toMatchObject({ EVM_UNIT: 1, EVM_DATAPATH: 1 });
    expect(design.sources).toContain('evm/evm_alu_compact.sv');
    expect(() => parseBoard({ ...board, design: { ...board.design, evmDatapath: 'small' } }, 'test.json')).toThrow(/design\.evmDatapath/);
  });

  it('a timing miss accepted with --allow-timing-miss says so in the report', () => {
    const r = committedReports().find((x) => x.board === 'icebreaker')!;
    const missed = { ...r, timing: { ...r.timing!, fmaxHz: 15e6, met: false, missAccepted: true } };
    expect(formatReport(missed)).toContain('timing: 15.0 MHz routed vs 18.0 MHz target: MISSED (accepted with --allow-timing-miss)');
    expect(formatReport(r)).toMatch(/timing: \d+\.\d MHz routed vs 18\.0 MHz target: met/);
  });
});

describe('resource counting', () => {
  it('counts iCE40 cells by kind', () => {
    const r = ice40SynthResources({ SB_LUT4: 100, SB_DFFE: 20, SB_DFFESR: 5, SB_CARRY: 7, SB_RAM40_4K: 2, SB_MAC16: 1 }, 'up5k');
    expect(r).toEqual([
      { name: 'LUT4', used: 100, available: 5280 },
      { name: 'FF', used: 25, available: 5280 },
      { name: 'CARRY', used: 7, available: 5280 },
      { name: 'EBR', used: 2, available: 30 },
      { name: 'DSP', used: 1, available: 8 },
    ]);
  });

  it('counts Xilinx LUTs including SRLs and distributed RAM, and block RAM in RAMB36 units', () => {
    const r = xc7SynthResources({ LUT6: 10, LUT2: 5, SRLC32E: 2, RAM64M: 1, FDRE: 30, FDSE: 1, RAMB36E1: 3, RAMB18E1: 3, DSP48E1: 4 }, 'xc7a35t');
    expect(r.find((x) => x.name === 'LUT')?.used).toBe(10 + 5 + 2 + 4);
    expect(r.find((x) => x.name === 'FF')?.used).toBe(31);
    expect(r.find((x) => x.name === 'BRAM36')?.used).toBe(4.5);
    expect(overCapacity([{ name: 'LC', used: 9083, available: 7680 }])).toEqual(['LC 9083/7680 (118 %)']);
  });

  it('Keccak cycles per 64-byte hash by core', () => {
    const d = loadBoard('ice40-hx8k').design;
    expect(cyclesPerHash({ ...d, keccakCore: 'round', keccakRoundsPerClock: 1 })).toBe(41);
    expect(cyclesPerHash({ ...d, keccakCore: 'round', keccakRoundsPerClock: 2 })).toBe(29);
    expect(cyclesPerHash({ ...d, keccakCore: 'lean', keccakRoundsPerClock: 1 })).toBe(41);
    expect(cyclesPerHash({ ...d, keccakCore: 'compact', keccakRoundsPerClock: 1 })).toBe(1562);
  });
});

describe('flash', () => {
  it("openFPGALoader's arguments follow the board file", () => {
    expect(flashArgs(loadBoard('ice40-hx8k'), '/x/b.bin')).toEqual(['-b', 'ice40_generic', '/x/b.bin']);
    expect(flashArgs(loadBoard('arty-a7-35t'), '/x/b.bit')).toEqual(['-b', 'arty', '/x/b.bit']);
  });

  it.each([
    ['unable to open ftdi device: -3 (device not found)\nError: Failed to claim cable\n', /^no programming cable found for the /],
    ['JTAG init failed with: unable to open ftdi device\n', /^no programming cable found/],
    ['found cable\nJTAG init failed: no device found\n', /^the cable answers but no FPGA does: is the .* powered/],
    ["Error: cannot find board 'ice40_generic'\n", /does not know the board 'ice40_generic'/],
    ['Error: something odd\n', /^openFPGALoader failed \(exit code 1\): something odd$/],
  ])('explains %j in one line', (output, message) => {
    const line = explainFlashFailure(loadBoard('ice40-hx8k'), output, 1);
    expect(line).toMatch(message);
    expect(line).not.toContain('\n');
  });
});
