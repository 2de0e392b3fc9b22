/**
 * `evm-fpga demo` (`npm start`): the tour on the simulated device. Builds the simulation if needed,
 * reads its identity, runs the Keccak self-test, hashes a batch, and prints a short report.
 */
import type { CommandModule } from 'yargs';
import { bytesToHex } from '../../index.ts';
import { randomMessages, runKeccakSelftest } from '../../selftest/run.ts';
import { softwareKeccak256 } from '../../selftest/software-keccak.ts';
import { deviceOption, timeoutOption, withDevice } from '../device-option.ts';
import { progressPrinter, si } from '../output.ts';

interface Args {
  device: string;
  timeout: number;
  batch: number;
}

export const demoCommand: CommandModule<object, Args> = {
  command: 'demo',
  describe: 'Build the simulation, then info, self-test and a batch of hashes with a report',
  builder: (y) =>
    y
      .option('device', deviceOption)
      .option('timeout', timeoutOption)
      .option('batch', { type: 'number', default: 5000, describe: 'Messages in the demo batch' }) as never,
  handler: async (a) => {
    const out = (s = '') => process.stdout.write(`${s}\n`);
    out(`evm-fpga demo on '${a.device}'`);
    await withDevice(a.device, a.timeout, async (device) => {
      const info = await device.info();
      out(
        `\n1. device: protocol v${info.protocolVersion}, build 0x${info.buildId.toString(16).padStart(8, '0')}, ` +
          `${info.clockHz / 1e6} MHz, ${info.keccakCores} Keccak core (${info.keccakRoundsPerClock ? `${info.keccakRoundsPerClock} round(s)/clock` : 'compact, lane-serial'}), ` +
          `capabilities: ${info.capabilityNames.join(', ')}`,
      );

      const abc = await device.keccak256(new TextEncoder().encode('abc'));
      out(`\n2. keccak256("abc") by the RTL = ${bytesToHex(abc)}`);

      const progress = progressPrinter('selftest');
      const st = await runKeccakSelftest(device, { random: 200, progress }).finally(() => progress.done());
      out(
        `\n3. self-test: ${st.passed}/${st.knownAnswers + st.random} passed ` +
          `(${st.knownAnswers} known answers from the Keccak team and ethereum/tests, ${st.random} random vs software Keccak)`,
      );
      if (st.failures.length) {
        for (const f of st.failures.slice(0, 5)) out(`   FAIL ${f.name}: expected ${f.expected}, got ${f.got}`);
        process.exitCode = 1;
      }

      const messages = randomMessages(a.batch, 7);
      const sw = await softwareKeccak256();
      const before = await device.info();
      const t0 = performance.now();
      const digests = await device.keccak256Batch(messages);
      const seconds = (performance.now() - t0) / 1000;
      const after = await device.info();
      const wrong = digests.filter((d, i) => Buffer.compare(Buffer.from(d), Buffer.from(sw(messages[i]!))) !== 0).length;
      const bytes = messages.reduce((n, m) => n + m.length, 0);
      const cycles = Number(after.totalCycles - before.totalCycles);
      const keccakCycles = Number(after.keccakCycles - before.keccakCycles);
      out(
        `\n4. batch: ${messages.length} messages (${(bytes / 1024).toFixed(0)} KiB, 0-600 bytes) pipelined in ${seconds.toFixed(2)} s ` +
          `= ${si(messages.length / seconds)} hash/s through the simulation; ${wrong} differ from software Keccak`,
      );
      out(
        `   device: ${cycles} cycles on the clock (${si(cycles / seconds)} simulated cycles/s), the Keccak core busy for ` +
          `${keccakCycles} (${(keccakCycles / messages.length).toFixed(1)} per hash); ` +
          `at ${info.clockHz / 1e6} MHz that batch would take ${((cycles / info.clockHz) * 1e3).toFixed(2)} ms of device time`,
      );
      out(`   link: ${after.framesOk - before.framesOk} frames in, ${after.crcErrors - before.crcErrors} CRC errors`);
      if (wrong) process.exitCode = 1;
    });
    out(`\n${process.exitCode ? 'demo FAILED' : 'demo passed'}: next, try 'npx evm-fpga keccak 0x616263' or 'npm run bench'`);
  },
};
