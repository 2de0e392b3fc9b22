/**
 * Builds the Verilator simulation of the device (the RTL in hdl/evm_fpga.f plus the C++ harness in
 * sim/harness/) and caches it by content.
 *
 * Why a content cache: `verilator --build` takes tens of seconds (it also recompiles Verilator's
 * runtime each time), and every test worker, benchmark and `evm-fpga` command needs the binary.
 * The key is a SHA-256 over everything that can change the binary: each HDL source, the lint
 * waivers, each harness source, the build options and the Verilator version. A finished build
 * lives in `<cache>/<key16>/` with a marker file `build.json`; a later call finds the marker and
 * returns at once without running Verilator.
 *
 * Why build in a temporary directory and rename: several processes (vitest workers, a CLI in
 * another terminal) may ask for the same build at once. A rename of a complete directory is atomic,
 * so nobody ever sees half a build; a lock directory additionally makes the second process wait for
 * the first instead of compiling the same thing again on a two-core machine.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EvmFpgaError } from '../errors.ts';
import { ensureVerilator, findOnPath, runCommand, tail } from './toolchain.ts';

export interface SimBuildOptions {
  /** KECCAK_ROUNDS_PER_CLK: Keccak-f rounds per clock (must divide 24). Default 1. */
  roundsPerClock?: number;
  /** UART_DIV: clock cycles per UART bit, for `--uart bit`. Default 16. */
  uartDivider?: number;
  /** CLK_HZ: the design clock the device reports (and the waveform's time base). Default 48 MHz. */
  clockHz?: number;
  /** FRAME_TIMEOUT_CYCLES: mid-frame silence before a partial frame is dropped. Default 1 << 22. */
  frameTimeoutCycles?: number;
  /** Build with FST waveform support (`--trace FILE`); slower to build and to run. Default false. */
  trace?: boolean;
  /**
   * KECCAK_CORE: `'full'` (default) is the round-per-clock core (`roundsPerClock`); `'compact'` the
   * lane-serial core for small FPGAs (docs/keccak-compact.md; 1,536 clocks per permutation,
   * `roundsPerClock` must stay 1); `'lean'` the round-per-clock core without a block buffer
   * (docs/keccak-lean.md; 17 lane clocks + 24 rounds per block, `roundsPerClock` 1). Byte-stream top only.
   */
  keccakCore?: SimKeccakCore;
  /** EVM_UNIT: build with the EVM opcode unit (default true); without it EVM answers UNKNOWN_CMD. Byte-stream top only. */
  evmUnit?: boolean;
  /**
   * EVM_DATAPATH: the EVM unit's datapath, `'fast'` (default) or `'compact'` (the Artix-7 35T's:
   * the same results in more cycles; docs/opcode-unit.md). Byte-stream top only.
   */
  evmDatapath?: SimEvmDatapath;
  /**
   * Which top to simulate. `'byte'` (default): evm_fpga_top behind stdio/pty/TCP (sim/harness/*).
   * `'pcie'`: evm_fpga_pcie_top (hdl/pcie/pcie.f, 64-bit AXI4-Stream) behind files that behave like
   * the XDMA character devices (sim/harness/pcie/, `--xdma PREFIX`); `trace` is not offered there.
   */
  top?: SimTop;
}

/** The Keccak core a simulation is built with (top parameter KECCAK_CORE 0 or 1). */
export type SimKeccakCore = 'full' | 'compact' | 'lean';

/** KECCAK_CORE of evm_fpga_top for each simulated core. */
const KECCAK_CORE_PARAMETER: Record<SimKeccakCore, number> = { full: 0, compact: 1, lean: 2 };

/** The EVM unit's datapath a simulation is built with (top parameter EVM_DATAPATH 0 or 1). */
export type SimEvmDatapath = 'fast' | 'compact';

/** The simulated top: the byte-stream top or the PCIe (XDMA) top. */
export type SimTop = 'byte' | 'pcie';

export interface SimBuild {
  /** Absolute path of the simulation executable. */
  binary: string;
  /** Hex SHA-256 cache key of sources, options and tool version. */
  key: string;
  /** True when the build came from the cache without running Verilator. */
  cached: boolean;
  /** Wall time of this call in seconds. */
  seconds: number;
  /** BUILD_ID passed to the RTL: the key's first 4 bytes, reported by INFO to identify the build. */
  buildId: number;
}

/** The build failed; `details` holds the tail of the tool log. */
export class SimBuildError extends EvmFpgaError {
  override readonly code = 'SIM_BUILD';
  override name = 'SimBuildError';
}

/** The executable's name inside a build directory. */
export const SIM_BINARY_NAME = 'evm_fpga_sim';
const MARKER = 'build.json';

/**
 * Bumped when the build recipe below changes in a way the key would not otherwise notice
 * (flags, directory layout), so stale cache entries are not reused.
 */
const RECIPE_VERSION = 3;

/** The repository root: this file is host/sim/build.ts. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Options with defaults filled in: the form that is hashed and recorded. */
type ResolvedOptions = Required<SimBuildOptions>;

function resolveOptions(opts: SimBuildOptions = {}): ResolvedOptions {
  const o: ResolvedOptions = {
    roundsPerClock: opts.roundsPerClock ?? 1,
    uartDivider: opts.uartDivider ?? 16,
    clockHz: opts.clockHz ?? 48_000_000,
    frameTimeoutCycles: opts.frameTimeoutCycles ?? 4_194_304,
    trace: opts.trace ?? false,
    top: opts.top ?? 'byte',
    keccakCore: opts.keccakCore ?? 'full',
    evmUnit: opts.evmUnit ?? true,
    evmDatapath: opts.evmDatapath ?? 'fast',
  };
  const bad = (what: string) => {
    throw new SimBuildError(`invalid simulation option: ${what}`);
  };
  if (!Number.isInteger(o.roundsPerClock) || o.roundsPerClock < 1 || 24 % o.roundsPerClock !== 0)
    bad(`roundsPerClock ${o.roundsPerClock} must divide 24`);
  if (!Number.isInteger(o.uartDivider) || o.uartDivider < 4 || o.uartDivider > 65535)
    bad(`uartDivider ${o.uartDivider} must be an integer 4-65535`);
  if (!Number.isInteger(o.clockHz) || o.clockHz < 1 || o.clockHz > 0x7fffffff) bad(`clockHz ${o.clockHz} out of range`);
  if (!Number.isInteger(o.frameTimeoutCycles) || o.frameTimeoutCycles < 16 || o.frameTimeoutCycles > 0x7fffffff)
    bad(`frameTimeoutCycles ${o.frameTimeoutCycles} out of range`);
  if (o.top !== 'byte' && o.top !== 'pcie') bad(`top '${String(o.top)}' must be 'byte' or 'pcie'`);
  if (o.top === 'pcie' && o.trace) bad('the PCIe simulation has no waveform tracing');
  if (!Object.hasOwn(KECCAK_CORE_PARAMETER, o.keccakCore)) bad(`keccakCore '${String(o.keccakCore)}' must be 'full', 'compact' or 'lean'`);
  if (o.keccakCore !== 'full' && o.roundsPerClock !== 1) bad(`the ${o.keccakCore} Keccak core has no roundsPerClock`);
  if (typeof o.evmUnit !== 'boolean') bad(`evmUnit ${String(o.evmUnit)} must be true or false`);
  if (o.evmDatapath !== 'fast' && o.evmDatapath !== 'compact') bad(`evmDatapath '${String(o.evmDatapath)}' must be 'fast' or 'compact'`);
  if (o.top === 'pcie' && (o.keccakCore !== 'full' || !o.evmUnit || o.evmDatapath !== 'fast'))
    bad('keccakCore, evmUnit and evmDatapath apply to the byte-stream top only');
  return o;
}

/** The sources of one build, as absolute paths, parsed from the filelist. */
interface Sources {
  hdl: string[];
  includeDirs: string[];
  waivers: string;
  harness: string[];
}

/**
 * Reads hdl/evm_fpga.f: one source per line, relative to hdl/; `//` and `#` start comments;
 * `+incdir+DIR` adds an include directory (also relative to hdl/).
 */
async function collectSources(root: string, top: SimTop = 'byte'): Promise<Sources> {
  const hdlDir = join(root, 'hdl');
  const listPath = join(hdlDir, 'evm_fpga.f');
  let list: string;
  try {
    list = await readFile(listPath, 'utf8');
  } catch (cause) {
    throw new SimBuildError(`cannot read the HDL filelist ${listPath}`, { cause });
  }
  const hdl: string[] = [];
  const includeDirs: string[] = [];
  for (const raw of list.split('\n')) {
    const line = raw.replace(/\/\/.*$|#.*$/, '').trim();
    if (!line) continue;
    if (line.startsWith('+incdir+')) {
      for (const d of line.slice('+incdir+'.length).split('+').filter(Boolean)) includeDirs.push(resolve(hdlDir, d));
    } else if (line.startsWith('-')) {
      throw new SimBuildError(`unsupported option '${line}' in ${listPath}: list source files only`);
    } else {
      hdl.push(resolve(hdlDir, line));
    }
  }
  if (hdl.length === 0) throw new SimBuildError(`${listPath} lists no sources`);
  const harnessDir = join(root, 'sim', 'harness');
  if (top === 'pcie') return collectPcieSources(root, hdl, includeDirs);
  const harness = (await readdir(harnessDir))
    .filter((f) => /\.(cpp|h)$/.test(f))
    .sort()
    .map((f) => join(harnessDir, f));
  return { hdl, includeDirs, waivers: join(hdlDir, 'lint', 'waivers.vlt'), harness };
}

/**
 * The PCIe build: the core's sources, then hdl/pcie/pcie.f (paths relative to hdl/pcie/); the
 * harness is sim/harness/pcie/ plus the shared helpers of sim/harness (headers and
 * host_link_io.cpp), never sim_main.cpp, which belongs to the byte-stream top.
 */
async function collectPcieSources(root: string, hdl: string[], includeDirs: string[]): Promise<Sources> {
  const pcieDir = join(root, 'hdl', 'pcie');
  const listPath = join(pcieDir, 'pcie.f');
  let list: string;
  try {
    list = await readFile(listPath, 'utf8');
  } catch (cause) {
    throw new SimBuildError(`cannot read the PCIe filelist ${listPath}`, { cause });
  }
  const pcie = list
    .split('\n')
    .map((raw) => raw.replace(/\/\/.*$|#.*$/, '').trim())
    .filter(Boolean)
    .map((line) => resolve(pcieDir, line));
  const harnessDir = join(root, 'sim', 'harness');
  const shared = (await readdir(harnessDir)).filter((f) => /\.h$/.test(f) || f === 'host_link_io.cpp').map((f) => join(harnessDir, f));
  const own = (await readdir(join(harnessDir, 'pcie'))).filter((f) => /\.(cpp|h)$/.test(f)).map((f) => join(harnessDir, 'pcie', f));
  return {
    hdl: [...hdl, ...pcie],
    includeDirs,
    waivers: join(root, 'hdl', 'lint', 'waivers.vlt'),
    harness: [...shared, ...own].sort(),
  };
}

async function cacheKey(root: string, src: Sources, opts: ResolvedOptions, verilatorBanner: string): Promise<string> {
  const h = createHash('sha256');
  const add = (label: string, data: string | Buffer) => {
    // Length-prefixed so that moving bytes between two fields can never give the same hash.
    h.update(`${label}\0${Buffer.byteLength(data)}\0`);
    h.update(data);
  };
  add('recipe', String(RECIPE_VERSION));
  add('verilator', verilatorBanner);
  // The default top and datapath leave the options as they were before `top` and `evmDatapath`
  // existed, so their keys are unchanged.
  const { evmDatapath, ...withoutDatapath } = opts;
  const hashed = evmDatapath === 'fast' ? withoutDatapath : opts;
  const { top, ...rest } = hashed;
  add('options', JSON.stringify(top === 'byte' ? rest : hashed));
  for (const file of [...src.hdl, src.waivers, ...src.harness]) {
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (cause) {
      throw new SimBuildError(`cannot read simulation source ${file}`, { cause });
    }
    add(file.startsWith(root) ? file.slice(root.length) : file, data);
  }
  for (const d of src.includeDirs) add('incdir', d.startsWith(root) ? d.slice(root.length) : d);
  return h.digest('hex');
}

/** Root of the build cache: $EVM_FPGA_CACHE or <repo>/.cache/sim. */
export function simCacheRoot(root = REPO_ROOT): string {
  return process.env.EVM_FPGA_CACHE ? resolve(process.env.EVM_FPGA_CACHE) : join(root, '.cache', 'sim');
}

/**
 * Builds (or finds in the cache) the simulation for `opts`. Calls `progress` with short status
 * lines while Verilator runs (a cold build takes about a minute).
 */
export async function buildSim(opts?: SimBuildOptions, progress?: (line: string) => void): Promise<SimBuild> {
  return buildSimAt(REPO_ROOT, opts, progress);
}

/** {@link buildSim} for a checkout at `root` (tests build scratch designs this way). */
export async function buildSimAt(
  root: string,
  opts?: SimBuildOptions,
  progress?: (line: string) => void,
): Promise<SimBuild> {
  const started = performance.now();
  const say = progress ?? (() => {});
  const o = resolveOptions(opts);
  const verilator = await ensureVerilator(say);
  const src = await collectSources(resolve(root), o.top);
  const key = await cacheKey(resolve(root), src, o, verilator.banner);
  const buildId = Number.parseInt(key.slice(0, 8), 16);
  const cacheRoot = simCacheRoot(resolve(root));
  const finalDir = join(cacheRoot, key.slice(0, 16));
  const result = (cached: boolean): SimBuild => ({
    binary: join(finalDir, SIM_BINARY_NAME),
    key,
    cached,
    seconds: (performance.now() - started) / 1000,
    buildId,
  });

  if (existsSync(join(finalDir, MARKER))) return result(true);
  await mkdir(cacheRoot, { recursive: true });

  const lock = await acquireLock(`${finalDir}.lock`, () => existsSync(join(finalDir, MARKER)), say);
  if (lock === 'built-by-other') return result(true);
  try {
    if (existsSync(join(finalDir, MARKER))) return result(true);
    await compile(verilator.path, src, o, key, buildId, cacheRoot, finalDir, say);
    return result(false);
  } finally {
    await rm(`${finalDir}.lock`, { recursive: true, force: true });
  }
}

/** Runs Verilator in a fresh temp dir and renames the result into `finalDir`. */
async function compile(
  verilatorPath: string,
  src: Sources,
  o: ResolvedOptions,
  key: string,
  buildId: number,
  cacheRoot: string,
  finalDir: string,
  say: (line: string) => void,
): Promise<void> {
  for (const tool of ['make', 'g++']) {
    if (!(await findOnPath(tool))) {
      throw new SimBuildError(`${tool} is not installed: run 'sudo apt-get install -y g++ make zlib1g-dev'`);
    }
  }
  const started = performance.now();
  const tmp = await mkdtemp(join(cacheRoot, `.tmp-${key.slice(0, 16)}-`));
  try {
    const objDir = join(tmp, 'obj');
    // sim/harness of the checkout being built (the PCIe harness adds its pcie/ subdirectory).
    const harnessDir = dirname(src.harness.find((f) => f.endsWith('.h')) ?? join(REPO_ROOT, 'sim', 'harness', 'x'));
    const cflags = [
      `-DSIM_CLK_HZ=${o.clockHz}`,
      `-DSIM_UART_DIV=${o.uartDivider}`,
      `-DSIM_TRACE=${o.trace ? 1 : 0}`,
      `-I${harnessDir}`,
      ...(o.top === 'pcie' ? [`-I${join(harnessDir, 'pcie')}`] : []),
    ];
    const args = [
      '--cc',
      '--exe',
      '--build',
      '-j',
      '2',
      // Verilator's own optimisations, then the C++ compiler's. Verilator's makefile compiles the
      // model with -Os by default; -O3 on the per-cycle code (OPT_FAST) and -O2 on the runtime
      // (OPT_GLOBAL) run the design 2.3x faster (measured: 1.11 s vs 0.47 s of CPU for 5 M cycles;
      // docs/simulation.md). OPT_SLOW (construction, initialisation) stays small.
      '-O3',
      '-MAKEFLAGS',
      'OPT_FAST=-O3 OPT_GLOBAL=-O2',
      '--x-assign',
      'fast',
      '--x-initial',
      'fast',
      '--noassert',
      // Keep Verilator from turning signals into per-eval locals that it zeroes at the top of
      // the eval function on every clock (hundreds of words for the wide EVM and result
      // registers): measured 8-10 % less simulation CPU time.
      '-fno-localize',
      // Procedural loops over 64 iterations are not unrolled by default; unrolled they run ~1.5x
      // faster (HDL-NOTES).
      '--unroll-count',
      '1024',
      '--unroll-stmts',
      '100000',
      ...(o.trace ? ['--trace-fst'] : []),
      '--top-module',
      o.top === 'pcie' ? 'evm_fpga_pcie_top' : 'evm_fpga_top',
      '--Mdir',
      objDir,
      '-o',
      SIM_BINARY_NAME,
      `-GCLK_HZ=${o.clockHz}`,
      // The PCIe top has no UART; its streams are 64 bits wide (sim/harness/pcie/pcie_main.cpp).
      ...(o.top === 'pcie' ? ['-GDATA_WIDTH=64'] : [`-GUART_DIV=${o.uartDivider}`]),
      `-GKECCAK_ROUNDS_PER_CLK=${o.roundsPerClock}`,
      ...(o.top === 'pcie' ? [] : [`-GKECCAK_CORE=${KECCAK_CORE_PARAMETER[o.keccakCore]}`, `-GEVM_UNIT=${o.evmUnit ? 1 : 0}`, `-GEVM_DATAPATH=${o.evmDatapath === 'compact' ? 1 : 0}`]),
      `-GFRAME_TIMEOUT_CYCLES=${o.frameTimeoutCycles}`,
      `-GBUILD_ID=32'h${buildId.toString(16).padStart(8, '0')}`,
      '-CFLAGS',
      cflags.join(' '),
      ...src.includeDirs.map((d) => `+incdir+${d}`),
      ...(existsSync(src.waivers) ? [src.waivers] : []),
      ...src.hdl,
      ...src.harness.filter((f) => f.endsWith('.cpp')),
    ];
    say(`verilating ${src.hdl.length} HDL files (key ${key.slice(0, 16)})`);
    const condense = condenser(say);
    const run = await runCommand(verilatorPath, args, { cwd: tmp, onLine: condense });
    await writeFile(join(tmp, 'build.log'), `$ verilator ${args.join(' ')}\n${run.output}`);
    if (run.code !== 0) {
      const firstError =
        run.output.split('\n').find((l) => /^%Error/.test(l)) ??
        run.output.split('\n').find((l) => /error:/.test(l)) ??
        `verilator exited with status ${run.code}`;
      throw new SimBuildError(`simulation build failed: ${firstError.trim()}`, { details: tail(run.output) });
    }
    // Keep only the executable and the log: the object files are ~100 MB and never reused.
    await rename(join(objDir, SIM_BINARY_NAME), join(tmp, SIM_BINARY_NAME));
    await rm(objDir, { recursive: true, force: true });
    const seconds = (performance.now() - started) / 1000;
    const marker = {
      key,
      buildId: `0x${buildId.toString(16).padStart(8, '0')}`,
      options: o,
      verilator: verilatorPath,
      seconds: Number(seconds.toFixed(1)),
      builtAt: new Date().toISOString(),
    };
    await writeFile(join(tmp, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    await chmod(tmp, 0o755); // mkdtemp makes it private; the cache is shared like any build output
    // A directory without a marker can only be debris (the rename is the last step), so clear it.
    if (existsSync(finalDir) && !existsSync(join(finalDir, MARKER))) await rm(finalDir, { recursive: true, force: true });
    try {
      await rename(tmp, finalDir);
    } catch (err) {
      // Another process finished the same build first: theirs is identical, use it.
      if (!existsSync(join(finalDir, MARKER))) throw err;
    }
    say(`built in ${seconds.toFixed(1)} s`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Turns Verilator's and make's chatter into short progress lines: one per compiled file, plus
 * warnings and errors verbatim.
 */
function condenser(say: (line: string) => void): (line: string) => void {
  return (line: string) => {
    const t = line.trim();
    if (/^%(Error|Warning)/.test(t)) return say(t);
    const compile = /^(?:ccache\s+)?g\+\+\s.*\s-c\s+-o\s+(\S+)/.exec(t);
    if (compile) return say(`compiling ${basename(compile[1]!)}`);
    if (/^(?:ccache\s+)?g\+\+\s/.test(t) && t.includes(`-o ${SIM_BINARY_NAME}`)) return say('linking');
    if (/\berror\b/i.test(t) && !/^make/.test(t)) say(t.slice(0, 160));
  };
}

/**
 * Takes the build lock (a directory, created atomically). While another live process holds it,
 * waits and returns 'built-by-other' as soon as `done()` reports that process's result.
 * A lock whose owner died is taken over.
 */
async function acquireLock(
  lockDir: string,
  done: () => boolean,
  say: (line: string) => void,
): Promise<'acquired' | 'built-by-other'> {
  let announced = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'pid'), String(process.pid));
      return 'acquired';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (done()) return 'built-by-other';
    if (await lockIsStale(lockDir)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      say('waiting for another process building the same simulation');
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function lockIsStale(lockDir: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number.parseInt(await readFile(join(lockDir, 'pid'), 'utf8'), 10);
  } catch {
    // The owner has created the directory but not yet written its pid: give it a few seconds.
    try {
      return Date.now() - (await stat(lockDir)).mtimeMs > 10_000;
    } catch {
      return false; // the lock vanished: retry at once
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
