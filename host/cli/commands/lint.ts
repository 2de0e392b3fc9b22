/** `evm-fpga lint`: `verilator --lint-only -Wall` over the RTL filelist, with the one waiver file. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CommandModule } from 'yargs';

const LINT_SCRIPT = fileURLToPath(new URL('../../../hdl/lint/lint.sh', import.meta.url));

export const lintCommand: CommandModule = {
  command: 'lint',
  describe: 'Lint the RTL with verilator --lint-only -Wall',
  handler: () => {
    const r = spawnSync('bash', [LINT_SCRIPT], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`RTL lint failed (bash hdl/lint/lint.sh exited ${r.status ?? r.signal})`);
    process.stdout.write('lint: clean\n');
  },
};
