/**
 * `evm-fpga setup`: makes the machine ready for the tests and the demo. Installs Verilator when it
 * is missing and we may (root with apt), else stops with the one command to run; then builds the
 * simulation configurations the test suite uses, with progress.
 */
import type { CommandModule } from 'yargs';
import { buildSim } from '../../sim/build.ts';
import { ensureVerilator } from '../../sim/toolchain.ts';
import { TEST_SIM_CONFIGS } from '../../sim/configs.ts';
import { progressPrinter } from '../output.ts';

export const setupCommand: CommandModule<object, { 'toolchain-only': boolean }> = {
  command: 'setup',
  describe: 'Install Verilator if needed and build the simulations the tests use',
  builder: (y) => y.option('toolchain-only', { type: 'boolean', default: false, describe: 'Only check/install Verilator' }) as never,
  handler: async (a) => {
    const progress = progressPrinter('setup');
    try {
      const v = await ensureVerilator(progress);
      progress.done();
      process.stderr.write(`setup: ${v.version} at ${v.path}\n`);
      if (a['toolchain-only']) return;
      for (const [name, opts] of Object.entries(TEST_SIM_CONFIGS)) {
        const b = await buildSim(opts, (line) => progress(`${name}: ${line}`));
        progress.done();
        process.stderr.write(`setup: simulation '${name}' ${b.cached ? 'cached' : `built in ${b.seconds.toFixed(1)} s`}\n`);
      }
    } finally {
      progress.done();
    }
  },
};
