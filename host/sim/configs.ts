/**
 * The simulation configurations the test suite and benchmarks use, built once by `evm-fpga setup`
 * (so test workers only ever hit the cache).
 */
import type { SimBuildOptions } from './build.ts';

export const TEST_SIM_CONFIGS = {
  /** The default device: one Keccak round per clock. */
  default: { roundsPerClock: 1 },
  /** Two rounds per clock: 12-cycle permutations. */
  rounds2: { roundsPerClock: 2 },
  /**
   * A short mid-frame timeout (65,536 cycles instead of 4,194,304) for the link-abuse tests, so
   * a truncated frame is dropped within milliseconds whatever the simulation speed.
   */
  shortTimeout: { roundsPerClock: 1, frameTimeoutCycles: 65_536 },
  /** The compact Keccak core (`sim?keccak=compact`; test/keccak-compact.test.ts). */
  compact: { roundsPerClock: 1, keccakCore: 'compact' },
  /**
   * The iCE40 UP5K's units (`sim?keccak=compact&evm=0`): compact Keccak core, no EVM opcode unit.
   * (The board also leaves out the storage-check unit; that build option is not simulated here.)
   */
  up5k: { roundsPerClock: 1, keccakCore: 'compact', evmUnit: false },
  /**
   * The lean round-per-clock Keccak core (no block buffer) without the EVM opcode unit
   * (`sim?keccak=lean&evm=0`: what an iCE40 HX8K build with a round-per-clock core would hold;
   * test/keccak-lean.test.ts).
   */
  lean: { roundsPerClock: 1, keccakCore: 'lean', evmUnit: false },
  /**
   * The Artix-7 35T's EVM unit: the compact datapath (`sim?evm=compact`; test/evm-compact.test.ts).
   */
  evmCompact: { roundsPerClock: 1, evmDatapath: 'compact' },
  /** The PCIe top behind XDMA-like files (`sim:pcie`, `sim run --xdma`; test/pcie.test.ts). */
  pcie: { roundsPerClock: 1, top: 'pcie' },
} as const satisfies Record<string, SimBuildOptions>;
