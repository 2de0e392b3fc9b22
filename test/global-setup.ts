/**
 * Builds (or finds in the cache) every simulation configuration the suite uses, once, before any
 * test worker starts, so workers never race on a Verilator build. `npm test` runs `evm-fpga setup`
 * first, which installs Verilator if needed; this is the same step for a bare `vitest run`.
 */
import { buildSim } from '../host/sim/build.ts';
import { TEST_SIM_CONFIGS } from '../host/sim/configs.ts';

export default async function setup(): Promise<void> {
  for (const [name, opts] of Object.entries(TEST_SIM_CONFIGS)) {
    const b = await buildSim(opts, (line) => process.stderr.write(`sim build ${name}: ${line}\n`));
    if (!b.cached) process.stderr.write(`sim build ${name}: built in ${b.seconds.toFixed(1)} s\n`);
  }
}
