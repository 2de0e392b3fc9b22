/**
 * Serves the simulated device as its own process on a pseudo-terminal or a TCP port, the way a
 * person runs `evm-fpga sim run --pty` / `--tcp 0`, and hands back the address it printed. For
 * benchmarks that compare links (`evm-fpga bench link`): the driver then reaches it through the
 * real `uart:` (node-serialport) or `tcp:` transport.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TransportError } from '../errors.ts';
import { buildSim, type SimBuildOptions } from './build.ts';

/** A harness process serving the device. */
export interface ServedSim {
  /** `/dev/pts/N` in pty mode, `127.0.0.1:PORT` in TCP mode. */
  address: string;
  child: ChildProcess;
  /** Stops the harness (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Builds (or reuses) the simulation and starts it serving on a pty or a free TCP port.
 * @throws TransportError when the harness prints no address within `timeoutMs` or exits first.
 */
export async function serveSim(
  mode: 'pty' | 'tcp',
  options: SimBuildOptions & { progress?: (line: string) => void; timeoutMs?: number } = {},
): Promise<ServedSim> {
  const { progress, timeoutMs = 15_000, ...build } = options;
  const { binary } = await buildSim(build, progress);
  const child = spawn(binary, [...(mode === 'pty' ? ['--pty'] : ['--tcp', '0']), '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const address = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout! });
      const timer = setTimeout(() => reject(new TransportError(`the simulation printed no ${mode} address within ${timeoutMs} ms`)), timeoutMs);
      rl.once('line', (line) => {
        clearTimeout(timer);
        const m = /^(pty|tcp): (\S+)$/.exec(line);
        if (m) resolve(m[2]!);
        else reject(new TransportError(`unexpected output from the simulation: ${line}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new TransportError(`the simulation exited (${code}) before serving: ${stderr.trim().split('\n').at(-1) ?? ''}`));
      });
    });
    return {
      address,
      child,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}
