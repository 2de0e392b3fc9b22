/**
 * `evm-fpga sim build` compiles the RTL with Verilator into the build cache; `evm-fpga sim run`
 * serves the simulated device on stdin/stdout, a pseudo-terminal or a TCP port, so that any host
 * tool (this CLI, node-serialport, a terminal) talks to the real RTL exactly as to a board.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import type { Argv, CommandModule } from 'yargs';
import { buildSim, type SimBuildOptions } from '../../sim/build.ts';
import { UsageError, progressPrinter, toJson } from '../output.ts';

interface BuildArgs {
  rounds: number;
  'uart-div': number;
  'frame-timeout': number;
  trace: boolean;
}

const buildOptions = (y: Argv) =>
  y
    .option('rounds', { type: 'number', default: 1, describe: 'Keccak rounds per clock (divides 24)' })
    .option('uart-div', { type: 'number', default: 16, describe: 'Clock cycles per UART bit' })
    .option('frame-timeout', { type: 'number', default: 4_194_304, describe: 'Cycles of mid-frame silence before a partial frame is dropped' });

function toBuildOptions(a: BuildArgs): SimBuildOptions {
  return {
    roundsPerClock: a.rounds,
    uartDivider: a['uart-div'],
    frameTimeoutCycles: a['frame-timeout'],
    trace: a.trace,
  };
}

async function build(opts: SimBuildOptions) {
  const progress = progressPrinter('sim build');
  try {
    return await buildSim(opts, progress);
  } finally {
    progress.done();
  }
}

const buildCommand: CommandModule<object, BuildArgs & { json: boolean; top: 'byte' | 'pcie' }> = {
  command: 'build',
  describe: 'Build the Verilator simulation (cached by HDL sources and options)',
  builder: (y) =>
    buildOptions(y)
      .option('trace', { type: 'boolean', default: false, describe: 'Build with FST waveform support' })
      .option('top', {
        choices: ['byte', 'pcie'] as const,
        default: 'byte' as const,
        describe: 'byte: the byte-stream top (stdio/pty/tcp); pcie: the PCIe top (sim run --xdma)',
      })
      .option('json', { type: 'boolean', default: false }) as unknown as Argv<BuildArgs & { json: boolean; top: 'byte' | 'pcie' }>,
  handler: async (a) => {
    if (a.top === 'pcie' && a.trace) throw new UsageError('the PCIe simulation has no waveform tracing');
    const b = await build({ ...toBuildOptions(a), top: a.top });
    if (a.json) {
      process.stdout.write(`${toJson(b)}\n`);
    } else {
      const how = b.cached ? 'cached' : `built in ${b.seconds.toFixed(1)} s`;
      process.stdout.write(`${b.binary}\n(${how}; key ${b.key.slice(0, 16)}, build id 0x${b.buildId.toString(16).padStart(8, '0')})\n`);
    }
  },
};

interface RunArgs extends BuildArgs {
  stdio: boolean;
  pty: boolean;
  tcp?: number;
  xdma?: string;
  uart: 'fast' | 'bit';
  'trace-file'?: string;
  'max-cycles'?: number;
}

const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Serve the simulated device on stdio, a pty, TCP (127.0.0.1) or XDMA-like files (the PCIe top)',
  builder: (y) =>
    buildOptions(y)
      .option('stdio', { type: 'boolean', default: false, describe: 'Protocol bytes on stdin/stdout' })
      .option('pty', { type: 'boolean', default: false, describe: 'Open a pseudo-terminal and print its path' })
      .option('tcp', { type: 'number', describe: 'Listen on 127.0.0.1:PORT (0 picks a free port)' })
      .option('xdma', {
        type: 'string',
        describe: 'Simulate the PCIe top behind DIR/xdma0_{h2c_0,c2h_0,user}, files that behave like the XDMA driver\'s; then use --device pcie:DIR/xdma0',
      })
      .option('uart', { choices: ['fast', 'bit'] as const, default: 'fast' as const, describe: 'fast: bytes into the byte-stream port; bit: real bits through the RTL UART' })
      .option('trace', { type: 'string', describe: 'Write an FST waveform to FILE' })
      .option('max-cycles', { type: 'number', describe: 'Stop after this many cycles' })
      .check((a) => {
        const modes = [a.stdio, a.pty, a.tcp !== undefined, a.xdma !== undefined].filter(Boolean).length;
        if (modes !== 1) throw new UsageError('choose exactly one of --stdio, --pty, --tcp PORT, --xdma DIR');
        if (a.xdma !== undefined && (typeof a.xdma !== 'string' || a.xdma.trim() === '')) throw new UsageError('--xdma takes a directory for the device files');
        if (a.xdma !== undefined && (a.trace !== undefined || a.uart !== 'fast')) throw new UsageError('--xdma runs the PCIe top: it takes neither --trace nor --uart');
        if (a.tcp !== undefined && (!Number.isInteger(a.tcp) || a.tcp < 0 || a.tcp > 65535)) throw new UsageError('--tcp takes a port number 0-65535');
        return true;
      }) as unknown as Argv<RunArgs>,
  handler: async (a) => {
    if (a.xdma !== undefined) return runXdma(a);
    const traceFile = (a as unknown as { trace?: string }).trace;
    const b = await build({ ...toBuildOptions({ ...a, trace: Boolean(traceFile) }) });
    const args = [a.stdio ? '--stdio' : a.pty ? '--pty' : '--tcp', ...(a.tcp !== undefined ? [String(a.tcp)] : [])];
    args.push('--uart', a.uart);
    if (traceFile) args.push('--trace', traceFile);
    if (a['max-cycles'] !== undefined) args.push('--max-cycles', String(a['max-cycles']));
    const child = spawn(b.binary, args, { stdio: 'inherit' });
    process.exitCode = await runForwardingSignals(child);
  },
};

/**
 * Waits for the simulation process, passing Ctrl-C and SIGTERM on to it (it stops cleanly and
 * prints its summary); resolves with the exit code to give (0 when it ended on a signal).
 */
function runForwardingSignals(child: ChildProcess): Promise<number> {
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  return new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 0 : 1)));
    child.on('error', () => resolve(1));
  });
}

/** `sim run --xdma DIR`: the PCIe top behind DIR/xdma0_*, until Ctrl-C. */
async function runXdma(a: RunArgs): Promise<void> {
  const b = await build({ ...toBuildOptions({ ...a, trace: false }), top: 'pcie' });
  const prefix = join(resolvePath(a.xdma!), 'xdma0');
  const args = ['--xdma', prefix];
  if (a['max-cycles'] !== undefined) args.push('--max-cycles', String(a['max-cycles']));
  const child = spawn(b.binary, args, { stdio: ['inherit', 'pipe', 'inherit'] });
  // Pass the announcement (`xdma: PREFIX`) through, then say how to use it.
  createInterface({ input: child.stdout! }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    if (line === `xdma: ${prefix}`) process.stderr.write(`sim: the simulated PCIe card is up: use --device pcie:${prefix} (Ctrl-C stops it)\n`);
  });
  process.exitCode = await runForwardingSignals(child);
}

export const simCommand: CommandModule = {
  command: 'sim <action>',
  describe: 'Build or run the Verilator simulation of the device',
  builder: (y) => y.command(buildCommand).command(runCommand).demandCommand(1),
  handler: () => {},
};
