/**
 * The board file (`hdl/boards/<name>/board.json`): everything the build, the flash step and the
 * docs need to know about one board, as data. Validated with zod when loaded, so a typo in a pin
 * name or a missing field is one clear line, not a half-built bitstream.
 */
import { z } from 'zod';

const pin = z.string().regex(/^[A-Za-z0-9_]+$/, 'a package pin name such as "J3" or "35"');
const hz = z.number().int().positive();

/** The FPGAs the flows know, with their capacity (what "fits" means). */
export const FPGA_DEVICES = {
  hx8k: { family: 'ice40', lc: 7680, ram: 32, dsp: 0, nextpnr: '--hx8k', yosysDevice: 'hx' },
  up5k: { family: 'ice40', lc: 5280, ram: 30, dsp: 8, nextpnr: '--up5k', yosysDevice: 'u' },
  xc7a35t: { family: 'xc7', lut: 20800, ff: 41600, bram36: 50, dsp: 90, io: 210 },
} as const;
export type FpgaDeviceName = keyof typeof FPGA_DEVICES;

const ice40Fpga = z.object({
  family: z.literal('ice40'),
  device: z.enum(['hx8k', 'up5k']),
  package: z.string().regex(/^[a-z]+[0-9]+$/, 'a package name such as "ct256" or "sg48"'),
});

const xc7Fpga = z.object({
  family: z.literal('xc7'),
  device: z.enum(['xc7a35t']),
  package: z.string().regex(/^[a-z]+[0-9]+$/),
  speed: z.string(),
  /** The full Vivado part name, e.g. xc7a35ticsg324-1L. */
  part: z.string().regex(/^xc7[A-Za-z0-9-]+$/),
});

export const boardSchema = z
  .object({
    /** Short name used on the command line: `evm-fpga build --board <name>`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    title: z.string().min(1),
    url: z.string().url(),
    fpga: z.discriminatedUnion('family', [ice40Fpga, xc7Fpga]),
    /** The board oscillator. */
    clock: z.object({ pin, hz }),
    /**
     * Clock generator: the design clock it should make from the oscillator (null: run at the
     * oscillator frequency); `pad`: the oscillator pin is the iCE40 PLL's own pad (SB_PLL40_PAD).
     */
    pll: z.object({ hz, pad: z.boolean().default(false) }).nullable(),
    /** The UART on the board's USB bridge: FPGA pins, baud rate, and the port it appears as on the host. */
    uart: z.object({
      rx: pin,
      tx: pin,
      baud: z.number().int().min(9600).max(12_000_000),
      bridge: z.string(),
      hostPort: z.string(),
    }),
    leds: z.object({ pins: z.array(pin).min(1).max(32), activeLow: z.boolean() }),
    /** A reset push button, or null (power-on reset only). */
    reset: z.object({ pin, activeLow: z.boolean() }).nullable(),
    /** I/O standard for every pin (Xilinx only). */
    ioStandard: z.string().optional(),
    /** Which units this board's configuration of evm_fpga_top includes. */
    design: z.object({
      keccakCore: z.enum(['round', 'compact', 'lean']),
      keccakCores: z.literal(1, { message: 'evm_fpga_top has one Keccak core' }),
      keccakRoundsPerClock: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
      evmUnit: z.boolean(),
      /**
       * The EVM unit's datapath (evm_fpga_top EVM_DATAPATH): `fast` (the default) or `compact`, the
       * same opcodes and results in about a quarter of the logic and more cycles per opcode
       * (docs/opcode-unit.md). Ignored without the EVM unit.
       */
      evmDatapath: z.enum(['fast', 'compact']).optional(),
      storageEntries: z.number().int().nonnegative(),
    }),
    /** nextpnr options (iCE40 only). */
    pnr: z
      .object({ placer: z.enum(['heap', 'sa']), router: z.enum(['router1', 'router2']), seed: z.number().int().nonnegative() })
      .optional(),
    flash: z.object({
      tool: z.literal('openFPGALoader'),
      /** openFPGALoader's board name (`-b`). */
      board: z.string(),
      /** flash: write the configuration flash (survives power-off); sram: load the FPGA only. */
      target: z.enum(['flash', 'sram']),
    }),
    /** Whether CI runs place-and-route for this board (else synthesis and the fit check only). */
    ci: z.object({ placeAndRoute: z.boolean() }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.design.storageEntries !== 0 && (b.design.storageEntries & (b.design.storageEntries - 1)) !== 0) {
      ctx.addIssue({ code: 'custom', path: ['design', 'storageEntries'], message: 'must be 0 or a power of two' });
    }
    if (b.fpga.family === 'ice40' && b.pnr === undefined) {
      ctx.addIssue({ code: 'custom', path: ['pnr'], message: 'an iCE40 board needs nextpnr options' });
    }
    if (b.fpga.family === 'xc7' && b.ioStandard === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ioStandard'], message: 'a Xilinx board needs an I/O standard' });
    }
    if (b.design.keccakCore !== 'round' && b.design.keccakRoundsPerClock !== 1) {
      ctx.addIssue({ code: 'custom', path: ['design', 'keccakRoundsPerClock'], message: `the ${b.design.keccakCore} core has no rounds-per-clock setting: use 1` });
    }
  });

/** A validated board file. */
export type Board = z.infer<typeof boardSchema>;
/** A board whose FPGA is an iCE40. */
export type Ice40Board = Board & { fpga: z.infer<typeof ice40Fpga>; pnr: NonNullable<Board['pnr']> };
/** A board whose FPGA is a Xilinx 7-series. */
export type Xc7Board = Board & { fpga: z.infer<typeof xc7Fpga>; ioStandard: string };
