/**
 * `evm-fpga gen`: regenerates the Verilog package and the TypeScript constants from the shared
 * spec (hdl/spec/evm_fpga.json).
 */
import { relative } from 'node:path';
import type { CommandModule } from 'yargs';
import { generate } from '../../spec/generate.ts';

export const genCommand: CommandModule = {
  command: 'gen',
  describe: 'Regenerate hdl/pkg/evm_fpga_pkg.sv and host/protocol/spec.ts from hdl/spec/evm_fpga.json',
  handler: () => {
    const changed = generate();
    process.stdout.write(changed.length ? changed.map((p) => `wrote ${relative(process.cwd(), p)}\n`).join('') : 'generated files are up to date\n');
  },
};
