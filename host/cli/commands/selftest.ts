/**
 * `evm-fpga selftest`: checks the device's Keccak against known answers and software Keccak. The
 * first command to run after flashing a board; exits 1 on any mismatch.
 */
import type { CommandModule } from 'yargs';
import { runKeccakSelftest } from '../../selftest/run.ts';
import { deviceOption, timeoutOption, withDevice } from '../device-option.ts';
import { progressPrinter, toJson } from '../output.ts';

interface Args {
  device: string;
  timeout: number;
  vectors?: string;
  random: number;
  seed: number;
  'max-bytes'?: number;
  json: boolean;
}

export const selftestCommand: CommandModule<object, Args> = {
  command: 'selftest',
  describe: 'Run the Keccak known-answer vectors and random messages against the device',
  builder: (y) =>
    y
      .option('device', deviceOption)
      .option('timeout', timeoutOption)
      .option('vectors', { type: 'string', describe: 'Vector directory (default ../shared/vectors/keccak, or $EVM_FPGA_VECTORS)' })
      .option('random', { type: 'number', default: 200, describe: 'Random messages checked against software Keccak' })
      .option('seed', { type: 'number', default: 1 })
      .option('max-bytes', { type: 'number', describe: 'Skip known-answer messages longer than this' })
      .option('json', { type: 'boolean', default: false }) as never,
  handler: async (a) => {
    const progress = progressPrinter('selftest');
    const report = await withDevice(a.device, a.timeout, async (d) => {
      try {
        return await runKeccakSelftest(d, {
          ...(a.vectors !== undefined ? { vectorDir: a.vectors } : {}),
          ...(a['max-bytes'] !== undefined ? { maxBytes: a['max-bytes'] } : {}),
          random: a.random,
          seed: a.seed,
          progress,
        });
      } finally {
        progress.done();
      }
    });
    if (a.json) {
      process.stdout.write(`${toJson(report)}\n`);
    } else {
      for (const f of report.failures.slice(0, 20)) process.stdout.write(`FAIL ${f.name}\n  expected ${f.expected}\n  got      ${f.got}\n`);
      const total = report.knownAnswers + report.random;
      process.stdout.write(
        `selftest: ${report.passed}/${total} passed (${report.knownAnswers} known answers, ${report.random} random vs software), ` +
          `${(report.bytesHashed / 1024).toFixed(0)} KiB hashed in ${report.seconds.toFixed(2)} s\n`,
      );
    }
    if (report.failures.length > 0) process.exitCode = 1;
  },
};
