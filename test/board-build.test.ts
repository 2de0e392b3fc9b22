/**
 * Every board configuration through the open toolchain from npm (YoWASP Yosys and nextpnr, no
 * system install), as CI runs it: synthesis and the fit check for every board; place-and-route,
 * timing and the bitstream for the boards whose board file says CI routes them (the iCE40 ones,
 * about a minute and a half each here). Also the CLI's one-line failures: a design that does not
 * fit, an unknown board, and flashing without a board.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boardNames, loadBoard } from '../host/board/boards.ts';
import { buildBoard } from '../host/board/build.ts';
import type { BuildReport } from '../host/board/report.ts';

const TOOL_TIMEOUT = 900_000;

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, ['bin/evm-fpga.mjs', ...args], { encoding: 'utf8', timeout: TOOL_TIMEOUT, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const outRoot = mkdtempSync(join(tmpdir(), 'evm-fpga-boards-'));

describe.each(boardNames())('board %s', (name) => {
  const board = loadBoard(name);
  const pnr = board.fpga.family === 'ice40' && board.ci.placeAndRoute;

  it(
    pnr ? 'synthesises, fits, places and routes at the target clock, and packs a bitstream' : 'synthesises and fits',
    async () => {
      const outDir = join(outRoot, name);
      const { report } = await buildBoard(name, { outDir, placeAndRoute: pnr });
      const saved = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as BuildReport;
      expect(saved.board).toBe(name);
      expect(report.fits).toBe(true);
      for (const r of report.resources) if (r.available !== undefined) expect(r.used, r.name).toBeLessThanOrEqual(r.available);
      const logic = report.resources.find((r) => r.name === (board.fpga.family === 'ice40' ? 'LC' : 'LUT'));
      expect(logic?.used).toBeGreaterThan(1000); // the real design, not an empty top
      expect(report.clock.uartDiv).toBe(Math.round(report.clock.targetHz / board.uart.baud));
      if (board.fpga.family === 'ice40') {
        // The PLL is in the design and the UART pins are bound.
        expect(report.resources.find((r) => r.name === 'PLL')?.used).toBe(1);
        expect(report.resources.find((r) => r.name === 'IO')?.used).toBe(3 + board.leds.pins.length + (board.reset ? 1 : 0));
      } else {
        expect(existsSync(join(outDir, 'vivado.tcl'))).toBe(true);
        expect(existsSync(join(outDir, `${name}.xdc`))).toBe(true);
      }
      if (pnr) {
        expect(report.stage).toBe('place-and-route');
        expect(report.timing?.met).toBe(true);
        expect(report.timing!.fmaxHz).toBeGreaterThanOrEqual(report.clock.targetHz);
        const bin = join(outDir, `${name}.bin`);
        // icepack's bitstream: the iCE40 preamble 0x7EAA997E and the size of the device's image.
        const bytes = readFileSync(bin);
        const preamble = bytes.subarray(0, 64).indexOf(Buffer.from([0x7e, 0xaa, 0x99, 0x7e]));
        expect(preamble).toBeGreaterThanOrEqual(0);
        expect(statSync(bin).size).toBeGreaterThan(board.fpga.device === 'hx8k' ? 130_000 : 100_000);
      }
    },
    TOOL_TIMEOUT,
  );
});

describe('evm-fpga build / flash failures', () => {
  it(
    'a design that does not fit is one line and exit code 1 (the round-per-clock Keccak on the UP5K)',
    () => {
      const r = cli(['build', '--board', 'icebreaker', '--keccak-core', 'round', '--synth-only', '--out', join(outRoot, 'nofit')]);
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines.at(-1)).toMatch(/^error: icebreaker: the design does not fit the UP5K: LC \d+\/5280 \(\d+ %\)$/);
      expect(existsSync(join(outRoot, 'nofit', 'report.json'))).toBe(true);
    },
    TOOL_TIMEOUT,
  );

  it(
    'a routed clock below the target is one line and exit code 1, and leaves no bitstream',
    () => {
      const out = join(outRoot, 'timing');
      const r = cli(['build', '--board', 'icebreaker', '--clock-mhz', '36', '--out', out]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(
        /^error: icebreaker: timing missed: routed \d+\.\d MHz, target 36\.0 MHz \(try another --seed, or --allow-timing-miss to keep the bitstream\)$/,
      );
      expect(existsSync(join(out, 'icebreaker.bin'))).toBe(false);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as BuildReport;
      expect(report.variant).toBe('clock-mhz=36');
      expect(report.timing).toMatchObject({ targetHz: 36e6, met: false, missAccepted: false });
      expect(report.clock.uartDiv).toBe(12);
    },
    TOOL_TIMEOUT,
  );

  it('an unknown board is a usage error', () => {
    const r = cli(['build', '--board', 'de10-nano']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`error: unknown board 'de10-nano' (boards: ${boardNames().join(', ')})`);
  });

  it('flash without a board attached fails with one line and a non-zero exit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evm-fpga-flash-'));
    const bin = join(dir, 'x.bin');
    writeFileSync(bin, Buffer.alloc(16));
    const r = cli(['flash', '--board', 'ice40-hx8k', '--bitstream', bin]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    // Either openFPGALoader is installed and finds no cable, or it is not and we say how to install it.
    expect(r.stderr).toMatch(
      /^error: (no programming cable found for the Lattice iCE40-HX8K Breakout Board .*|openFPGALoader is not installed: run 'sudo apt-get install -y openfpgaloader')\n$/,
    );
  });

  it('flash names the install command when openFPGALoader is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evm-fpga-flash-'));
    const bin = join(dir, 'x.bin');
    writeFileSync(bin, Buffer.alloc(16));
    const r = cli(['flash', '--board', 'ice40-hx8k', '--bitstream', bin], { ...process.env, PATH: join(dir, 'empty') });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: openFPGALoader is not installed: run 'sudo apt-get install -y openfpgaloader'\n");
  });

  it("flash reports a cable without an FPGA, from openFPGALoader's output", () => {
    const dir = mkdtempSync(join(tmpdir(), 'evm-fpga-flash-'));
    const tools = join(dir, 'bin');
    mkdirSync(tools);
    const fake = join(tools, 'openFPGALoader');
    writeFileSync(fake, '#!/bin/sh\necho "JTAG init failed: no device found" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const bin = join(dir, 'x.bit');
    writeFileSync(bin, Buffer.alloc(16));
    const r = cli(['flash', '--board', 'arty-a7-35t', '--bitstream', bin], { ...process.env, PATH: `${tools}:${process.env.PATH}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: the cable answers but no FPGA does: is the Digilent Arty A7-35T .* powered and its programming jumpers set\?\n$/);
  });

  it('flash without a bitstream says how to build one', () => {
    const r = cli(['flash', '--board', 'icebreaker', '--out', join(outRoot, 'never-built')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: no bitstream at .*icebreaker\.bin: run 'evm-fpga build --board icebreaker' first \(or pass --bitstream\)\n$/);
  });
});
