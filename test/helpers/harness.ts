/**
 * Starts the Verilator harness as its own process in pty or TCP mode, the way a person runs
 * `evm-fpga sim run --pty`, and hands back the address it printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { buildSim, type SimBuildOptions } from '../../host/sim/build.ts';

export interface RunningHarness {
  /** `/dev/pts/N` for --pty, `127.0.0.1:PORT` for --tcp. */
  address: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns the harness with `args` (e.g. ['--pty'] or ['--tcp', '0']) and waits for its address line. */
export async function startHarness(args: string[], opts: SimBuildOptions = {}): Promise<RunningHarness> {
  const { binary } = await buildSim(opts);
  const child = spawn(binary, [...args, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const address = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`harness printed no address: ${stderr}`)), 10_000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      const m = /^(pty|tcp): (\S+)$/.exec(line);
      if (m) resolve(m[2]!);
      else reject(new Error(`unexpected harness output: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`harness exited (${code}): ${stderr}`)));
  });
  return {
    address,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
