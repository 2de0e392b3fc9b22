/**
 * The `evm-fpga` command line: one file per command under ./commands. Every failure ends as one
 * line on stderr (`error: …`) and a non-zero exit code: 2 for a malformed command line, 1 for
 * everything else. `--verbose` adds the cause chain and stack for bug reports.
 */
import yargs from 'yargs';
import { describeError, UsageError } from './output.ts';
import { simCommand } from './commands/sim.ts';
import { infoCommand } from './commands/info.ts';
import { keccakCommand } from './commands/keccak.ts';
import { aluCommand } from './commands/alu.ts';
import { selftestCommand } from './commands/selftest.ts';
import { benchCommand } from './commands/bench.ts';
import { demoCommand } from './commands/demo.ts';
import { setupCommand } from './commands/setup.ts';
import { genCommand } from './commands/gen.ts';
import { lintCommand } from './commands/lint.ts';
import { execCommand } from './commands/exec.ts';
import { workloadCommand } from './commands/workload.ts';
import { buildCommand } from './commands/build.ts';
import { flashCommand } from './commands/flash.ts';

/** Runs the CLI with the given arguments and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const verbose = argv.includes('--verbose');
  const cli = yargs(argv)
    .scriptName('evm-fpga')
    .usage('$0 <command> [options]')
    .command(simCommand)
    .command(infoCommand)
    .command(keccakCommand)
    .command(aluCommand)
    .command(selftestCommand)
    .command(benchCommand)
    .command(demoCommand)
    .command(setupCommand)
    .command(genCommand)
    .command(lintCommand)
    .command(execCommand)
    .command(workloadCommand)
    .command(buildCommand)
    .command(flashCommand)
    .option('verbose', { type: 'boolean', default: false, describe: 'On failure, print the cause chain and stack' })
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .recommendCommands()
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err) => {
      // yargs calls this for its own validation messages (msg) and for errors thrown by handlers (err).
      if (err && !(err instanceof UsageError)) throw err;
      throw new UsageError(err?.message ?? msg ?? 'invalid command line');
    });
  try {
    await cli.parseAsync();
    exitCode = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n(run 'evm-fpga --help' for usage)\n`);
      return 2;
    }
    process.stderr.write(`${describeError(err, verbose)}\n`);
    return 1;
  }
  return exitCode;
}
