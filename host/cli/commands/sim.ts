/**
 * `evm-fpga sim build` compiles the RTL with Verilator into the build cache; `evm-fpga sim run`
 * serves the simulated device on stdin/stdout, a pseudo-terminal or a TCP port, so that any host
 * tool (this CLI, node-serialport, a terminal) talks to the real RTL exactly as to a board.
 */
import { spawn } from 'node:child_process';
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

const buildCommand: CommandModule<object, BuildArgs & { json: boolean }> = {
  command: 'build',
  describe: 'Build the Verilator simulation (cached by HDL sources and options)',
  builder: (y) =>
    buildOptions(y)
      .option('trace', { type: 'boolean', default: false, describe: 'Build with FST waveform support' })
      .option('json', { type: 'boolean', default: false }) as unknown as Argv<BuildArgs & { json: boolean }>,
  handler: async (a) => {
    const b = await build(toBuildOptions(a));
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
  uart: 'fast' | 'bit';
  'trace-file'?: string;
  'max-cycles'?: number;
}

const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Serve the simulated device on stdio, a pty or TCP (127.0.0.1)',
  builder: (y) =>
    buildOptions(y)
      .option('stdio', { type: 'boolean', default: false, describe: 'Protocol bytes on stdin/stdout' })
      .option('pty', { type: 'boolean', default: false, describe: 'Open a pseudo-terminal and print its path' })
      .option('tcp', { type: 'number', describe: 'Listen on 127.0.0.1:PORT (0 picks a free port)' })
      .option('uart', { choices: ['fast', 'bit'] as const, default: 'fast' as const, describe: 'fast: bytes into the byte-stream port; bit: real bits through the RTL UART' })
      .option('trace', { type: 'string', describe: 'Write an FST waveform to FILE' })
      .option('max-cycles', { type: 'number', describe: 'Stop after this many cycles' })
      .check((a) => {
        const modes = [a.stdio, a.pty, a.tcp !== undefined].filter(Boolean).length;
        if (modes !== 1) throw new UsageError('choose exactly one of --stdio, --pty, --tcp PORT');
        if (a.tcp !== undefined && (!Number.isInteger(a.tcp) || a.tcp < 0 || a.tcp > 65535)) throw new UsageError('--tcp takes a port number 0-65535');
        return true;
      }) as unknown as Argv<RunArgs>,
  handler: async (a) => {
    const traceFile = (a as unknown as { trace?: string }).trace;
    const b = await build({ ...toBuildOptions({ ...a, trace: Boolean(traceFile) }) });
    const args = [a.stdio ? '--stdio' : a.pty ? '--pty' : '--tcp', ...(a.tcp !== undefined ? [String(a.tcp)] : [])];
    args.push('--uart', a.uart);
    if (traceFile) args.push('--trace', traceFile);
    if (a['max-cycles'] !== undefined) args.push('--max-cycles', String(a['max-cycles']));
    const child = spawn(b.binary, args, { stdio: 'inherit' });
    const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
    process.on('SIGINT', forward('SIGINT'));
    process.on('SIGTERM', forward('SIGTERM'));
    process.exitCode = await new Promise<number>((resolve) => {
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 0 : 1)));
      child.on('error', () => resolve(1));
    });
  },
};

export const simCommand: CommandModule = {
  command: 'sim <action>',
  describe: 'Build or run the Verilator simulation of the device',
  builder: (y) => y.command(buildCommand).command(runCommand).demandCommand(1),
  handler: () => {},
};
