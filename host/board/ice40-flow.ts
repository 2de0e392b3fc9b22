/**
 * The iCE40 flow, all from npm (no system install): icepll for the PLL, Yosys `synth_ice40`,
 * nextpnr-ice40 for packing, placement and routing against the board's PCF, icepack for the
 * bitstream. With `placeAndRoute: false` it stops after packing (real logic-cell counts for the
 * fit check, in seconds rather than minutes): what CI runs for boards whose routing is slow.
 */
import { designClock } from './clocking.ts';
import { pcf } from './constraints.ts';
import { boardDesign } from './design.ts';
import { BuildToolError, FitError, TimingError } from './errors.ts';
import {
  cyclesPerHash,
  ice40SynthResources,
  overCapacity,
  parseNextpnrReport,
  reportHeader,
  type BuildReport,
  type ResourceUse,
} from './report.ts';
import { FPGA_DEVICES, type Ice40Board } from './schema.ts';
import { binaryFile, runTool, textFile } from './tools.ts';
import { synthesize } from './yosys.ts';

export interface Ice40BuildOptions {
  /** Run placement and routing and pack a bitstream (else stop after packing). */
  placeAndRoute: boolean;
  /** nextpnr seed (default: the board file's). */
  seed?: number;
  /** Keep the bitstream when the routed clock misses the target; the report says so. */
  allowTimingMiss?: boolean;
  /** Phase lines for people. */
  progress?: (line: string) => void;
}

export interface Ice40BuildResult {
  report: BuildReport;
  /** The bitstream (icepack's .bin), when place-and-route ran and timing was met or accepted. */
  bitstream?: Uint8Array;
  /** Text outputs worth keeping: logs and constraints. */
  outputs: Record<string, string>;
}

/** Follows nextpnr's log and turns it into phase lines with elapsed time, at most one per 5 s within a phase. */
function nextpnrProgress(progress: ((line: string) => void) | undefined, t0: number): (line: string) => void {
  let phase = '';
  let last = 0;
  return (line) => {
    if (!progress) return;
    const next = /Packing constraints|Packing (?:IOs|LUT|carr)/.test(line)
      ? 'packing'
      : /Running main analytical placer|Running simulated annealing|Creating initial analytic placement/.test(line)
        ? 'placing'
        : /Routing\.\.|Running router2|Setting up routing queue/.test(line)
          ? 'routing'
          : phase;
    const now = performance.now();
    const secs = ((now - t0) / 1000).toFixed(0);
    if (next !== phase) {
      phase = next;
      last = now;
      progress(`${phase} (${secs} s)`);
    } else if (phase && now - last > 5000 && /iter|overused|wirelen|Max frequency|HeAP|at iteration/i.test(line)) {
      last = now;
      progress(`${phase} (${secs} s): ${line.replace(/^Info:\s*/, '').trim().slice(0, 90)}`);
    }
  };
}

/** Utilisation lines from a nextpnr log (for a run that stopped before writing its report). */
function utilisationFromLog(log: string): ResourceUse[] {
  const out: ResourceUse[] = [];
  for (const m of log.matchAll(/^Info:\s+(ICESTORM_LC|ICESTORM_RAM|SB_IO|ICESTORM_DSP):\s+(\d+)\/\s*(\d+)/gm)) {
    const name = { ICESTORM_LC: 'LC', ICESTORM_RAM: 'EBR', SB_IO: 'IO', ICESTORM_DSP: 'DSP' }[m[1]!]!;
    if (!out.some((r) => r.name === name)) out.push({ name, used: Number(m[2]), available: Number(m[3]) });
  }
  return out;
}

/** Builds an iCE40 board: synthesis, packing and (optionally) place-and-route and the bitstream. */
export async function buildIce40(board: Ice40Board, opts: Ice40BuildOptions): Promise<Ice40BuildResult> {
  const progress = opts.progress;
  const tStart = performance.now();
  const device = FPGA_DEVICES[board.fpga.device];
  const seed = opts.seed ?? board.pnr.seed;

  progress?.('clock: icepll');
  const clock = await designClock(board);
  const design = boardDesign(board, clock);

  progress?.('synthesis: Yosys synth_ice40 (about a minute)');
  let lastPass = '';
  let lastShown = 0;
  const synth = await synthesize(design, `synth_ice40 -abc9 -device ${device.yosysDevice}${device.dsp > 0 ? ' -dsp' : ''}`, (line) => {
    const m = /^\d+\.\d+\. Executing (\S+)/.exec(line);
    if (m && m[1] !== lastPass && performance.now() - lastShown > 10_000) {
      lastPass = m[1]!;
      lastShown = performance.now();
      progress?.(`synthesis: ${lastPass} (${((performance.now() - tStart) / 1000).toFixed(0)} s)`);
    }
  });
  const synthResources = ice40SynthResources(synth.cellCounts, board.fpga.device);

  const constraints = pcf(board);
  const targetMhz = clock.hz / 1e6;
  const args = [
    device.nextpnr,
    '--package', board.fpga.package,
    '--json', 'netlist.json',
    '--pcf', 'board.pcf',
    '--report', 'report.json',
    '--freq', String(targetMhz),
    '--seed', String(seed),
    '--placer', board.pnr.placer,
    '--router', board.pnr.router,
    '--timing-allow-fail',
  ];
  if (opts.placeAndRoute) args.push('--asc', 'design.asc');
  else args.push('--pack-only');

  const tPnr = performance.now();
  progress?.(opts.placeAndRoute ? 'place-and-route: nextpnr-ice40 (minutes)' : 'packing: nextpnr-ice40 --pack-only');
  let pnr;
  try {
    pnr = await runTool('nextpnr-ice40', args, { 'netlist.json': synth.netlistJson, 'board.pcf': constraints }, nextpnrProgress(progress, tPnr));
  } catch (err) {
    const log = err instanceof BuildToolError ? (err.log ?? err.details ?? '') : '';
    const over = overCapacity(utilisationFromLog(log));
    if (over.length) {
      throw new FitError(`${board.name}: the design does not fit the ${board.fpga.device.toUpperCase()}: ${over.join(', ')}`, { cause: err });
    }
    throw err;
  }
  const pnrSeconds = (performance.now() - tPnr) / 1000;
  const reportJson = textFile(pnr.files, 'report.json');
  if (!reportJson) throw new BuildToolError('nextpnr-ice40 wrote no report', { details: pnr.output.slice(-4000) });
  const parsed = parseNextpnrReport(reportJson, clock.hz);

  // After packing, LC replaces the separate LUT4/FF/carry counts as the measure of fit.
  const resources: ResourceUse[] = [
    ...parsed.resources.filter((r) => r.name !== 'GB'),
    ...synthResources.filter((r) => r.name === 'LUT4' || r.name === 'FF' || r.name === 'CARRY').map((r) => ({ name: r.name, used: r.used })),
  ];
  const over = overCapacity(resources);

  const report: BuildReport = {
    ...reportHeader(board, clock),
    stage: opts.placeAndRoute ? 'place-and-route' : 'synthesis',
    resources,
    fits: over.length === 0,
    seed,
    tools: { yosys: synth.version, 'nextpnr-ice40': /nextpnr-ice40 -- Next Generation Place and Route \(Version ([^)]+)\)/.exec(pnr.output)?.[1] ?? 'unknown' },
    seconds: { synthesis: synth.seconds, total: 0 },
    files: {},
  };
  const outputs: Record<string, string> = {
    'board.pcf': constraints,
    'yosys.log': synth.log,
    'nextpnr.log': pnr.output,
    'nextpnr-report.json': reportJson,
  };
  const cycles = cyclesPerHash(board.design);

  if (over.length) {
    report.seconds.total = (performance.now() - tStart) / 1000;
    throw new FitError(`${board.name}: the design does not fit the ${board.fpga.device.toUpperCase()}: ${over.join(', ')}`, { report, outputs });
  }

  let bitstream: Uint8Array | undefined;
  if (opts.placeAndRoute) {
    report.seconds.placeAndRoute = pnrSeconds;
    const fmaxHz = parsed.fmaxHz ?? 0;
    const met = fmaxHz >= clock.hz;
    report.timing = { fmaxHz, targetHz: clock.hz, met, missAccepted: !met && Boolean(opts.allowTimingMiss) };
    if (parsed.criticalPath) report.timing.criticalPath = parsed.criticalPath;
    if (cycles) report.hashesPerSecond = Math.min(fmaxHz, clock.hz) / cycles;
    if (met || opts.allowTimingMiss) {
      progress?.('bitstream: icepack');
      const asc = textFile(pnr.files, 'design.asc');
      if (!asc) throw new BuildToolError('nextpnr-ice40 wrote no placed design', { details: pnr.output.slice(-4000) });
      const pack = await runTool('icepack', ['design.asc', 'design.bin'], { 'design.asc': asc });
      bitstream = binaryFile(pack.files, 'design.bin');
      if (!bitstream) throw new BuildToolError('icepack wrote no bitstream', { details: pack.output });
    }
    report.seconds.total = (performance.now() - tStart) / 1000;
    if (!met && !opts.allowTimingMiss) {
      throw new TimingError(
        `${board.name}: timing missed: routed ${(fmaxHz / 1e6).toFixed(1)} MHz, target ${targetMhz.toFixed(1)} MHz ` +
          `(try another --seed, or --allow-timing-miss to keep the bitstream)`,
        { report, outputs },
      );
    }
  } else {
    if (cycles) report.hashesPerSecond = clock.hz / cycles;
    report.seconds.total = (performance.now() - tStart) / 1000;
  }
  return bitstream ? { report, bitstream, outputs } : { report, outputs };
}
