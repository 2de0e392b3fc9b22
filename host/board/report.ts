/**
 * The build report: resources used against the FPGA's capacity, the routed clock frequency
 * against the target, the critical path, and wall times. Parsed from Yosys's `stat -json` and
 * nextpnr's `--report` JSON; printed as a table, or as JSON with `--json`.
 */
import { FPGA_DEVICES, type Board } from './schema.ts';
import type { DesignClock } from './clocking.ts';

export interface ResourceUse {
  /** LC (iCE40 logic cells: LUT4 + FF + carry), LUT4, FF, CARRY, EBR, DSP, IO, PLL; LUT6, FF, BRAM36, DSP48, ... */
  name: string;
  used: number;
  /** Capacity of the device; undefined for counts that have none of their own (LUT4 inside LCs). */
  available?: number;
}

export interface CriticalPath {
  from: string;
  to: string;
  delayNs: number;
  logicNs: number;
  routingNs: number;
  /** Logic levels on the path (LUTs and carries). */
  levels: number;
}

export interface BuildReport {
  board: string;
  /** Set when the board file's design was overridden on the command line, e.g. `evm-unit` or `keccak-core=round`. */
  variant?: string;
  title: string;
  device: string;
  package: string;
  /** `synthesis` (Yosys counts only, e.g. the Xilinx flow) or `place-and-route` (nextpnr). */
  stage: 'synthesis' | 'place-and-route';
  design: Board['design'];
  clock: { targetHz: number; oscillatorHz: number; uartDiv: number; baud: number; generator: DesignClock['generator'] };
  resources: ResourceUse[];
  /** Every resource within capacity. */
  fits: boolean;
  /** Place-and-route timing (iCE40). */
  timing?: {
    fmaxHz: number;
    targetHz: number;
    met: boolean;
    /** The build was told to accept a miss (`--allow-timing-miss`). */
    missAccepted: boolean;
    criticalPath?: CriticalPath;
  };
  /** 64-byte (one-block) Keccak-256 hashes per second of one core at the routed (or target) clock. */
  hashesPerSecond?: number;
  seed?: number;
  tools: Record<string, string>;
  seconds: { synthesis: number; placeAndRoute?: number; total: number };
  /** Output files (bitstream, logs, scripts), relative to the output directory. */
  files: Record<string, string>;
}

/**
 * Cycles one Keccak core spends per 64-byte message (one padded block, its own hash) in a stream
 * of them: the 17 rate lanes load one per clock, then the permutation runs. Round-per-clock core:
 * 17 + 24 / rounds per clock (a message's lanes cannot load while the previous message's
 * permutation runs; only the blocks of one long message overlap, 24 / rounds per clock each);
 * lean core: 17 + 24 (hdl/keccak/keccak_sponge_lean.sv); compact core: 1,536 permutation cycles
 * plus 26 absorb cycles (hdl/keccak/keccak_sponge_compact.sv). Measured in simulation as INFO's
 * keccakCycles per hash (test/keccak-lean.test.ts, docs/boards.md).
 */
export function cyclesPerHash(design: Board['design']): number {
  switch (design.keccakCore) {
    case 'round':
      return 17 + 24 / design.keccakRoundsPerClock;
    case 'lean':
      return 17 + 24;
    default:
      return 1536 + 26;
  }
}

/** The fields every build report starts with: the board, its design and its clock. */
export function reportHeader(
  board: Board,
  clock: DesignClock,
): Pick<BuildReport, 'board' | 'title' | 'device' | 'package' | 'design' | 'clock'> {
  return {
    board: board.name,
    title: board.title,
    device: board.fpga.device,
    package: board.fpga.package,
    design: board.design,
    clock: { targetHz: clock.hz, oscillatorHz: clock.inHz, uartDiv: clock.uartDiv, baud: clock.baud, generator: clock.generator },
  };
}

type CellCounts = Record<string, number>;

/** Cell counts of the top from Yosys's `stat -json`. */
export function yosysCellCounts(statJson: string): CellCounts {
  const stat = JSON.parse(statJson) as {
    design?: { num_cells_by_type?: CellCounts };
    modules?: Record<string, { num_cells_by_type?: CellCounts }>;
  };
  const counts = stat.design?.num_cells_by_type ?? Object.values(stat.modules ?? {})[0]?.num_cells_by_type;
  if (!counts) throw new Error('Yosys stat output has no cell counts');
  return counts;
}

const sum = (c: CellCounts, match: (type: string) => boolean) =>
  Object.entries(c).reduce((n, [t, v]) => (match(t) ? n + v : n), 0);

/** iCE40 resources after synthesis (before packing: LUT4 and FF count separately). */
export function ice40SynthResources(c: CellCounts, device: 'hx8k' | 'up5k'): ResourceUse[] {
  const d = FPGA_DEVICES[device];
  return [
    { name: 'LUT4', used: sum(c, (t) => t === 'SB_LUT4'), available: d.lc },
    { name: 'FF', used: sum(c, (t) => t.startsWith('SB_DFF')), available: d.lc },
    { name: 'CARRY', used: sum(c, (t) => t === 'SB_CARRY'), available: d.lc },
    { name: 'EBR', used: sum(c, (t) => t.startsWith('SB_RAM40_4K')), available: d.ram },
    { name: 'DSP', used: sum(c, (t) => t === 'SB_MAC16'), available: d.dsp },
  ];
}

/** Xilinx 7-series resources after `synth_xilinx` (LUTs include SRLs and distributed RAM). */
export function xc7SynthResources(c: CellCounts, device: 'xc7a35t'): ResourceUse[] {
  const d = FPGA_DEVICES[device];
  const lutram: Record<string, number> = {
    RAM32X1D: 2, RAM64X1D: 2, RAM128X1D: 4, RAM256X1D: 8, RAM32X1S: 1, RAM64X1S: 1, RAM128X1S: 2, RAM256X1S: 4,
    RAM32M: 4, RAM64M: 4, RAM32M16: 8, RAM64M8: 8, SRL16E: 1, SRLC16E: 1, SRLC32E: 1,
  };
  // INV cells become LUT1s in the device.
  const luts = sum(c, (t) => /^LUT[1-6]$/.test(t) || t === 'INV') + Object.entries(lutram).reduce((n, [t, k]) => n + (c[t] ?? 0) * k, 0);
  return [
    { name: 'LUT', used: luts, available: d.lut },
    { name: 'FF', used: sum(c, (t) => /^FD[RSCP]E$/.test(t)), available: d.ff },
    { name: 'CARRY4', used: sum(c, (t) => t === 'CARRY4') },
    { name: 'BRAM36', used: sum(c, (t) => t === 'RAMB36E1') + sum(c, (t) => t === 'RAMB18E1') / 2, available: d.bram36 },
    { name: 'DSP48', used: sum(c, (t) => t === 'DSP48E1'), available: d.dsp },
    { name: 'IO', used: sum(c, (t) => /^(?:IBUF|OBUF|IOBUF|OBUFT)$/.test(t)), available: d.io },
  ];
}

interface NextpnrReport {
  utilization?: Record<string, { used: number; available: number }>;
  fmax?: Record<string, { achieved: number; constraint: number }>;
  critical_paths?: {
    from: string;
    to: string;
    path: { type: string; delay: number; from?: { cell: string }; to?: { cell: string } }[];
  }[];
}

const NEXTPNR_NAMES: Record<string, string> = {
  ICESTORM_LC: 'LC',
  ICESTORM_RAM: 'EBR',
  ICESTORM_DSP: 'DSP',
  SB_IO: 'IO',
  ICESTORM_PLL: 'PLL',
  SB_GB: 'GB',
  ICESTORM_SPRAM: 'SPRAM',
};

/** Resources and timing from nextpnr's `--report` JSON. */
export function parseNextpnrReport(json: string, targetHz?: number): { resources: ResourceUse[]; fmaxHz?: number; constraintHz?: number; criticalPath?: CriticalPath } {
  const r = JSON.parse(json) as NextpnrReport;
  const resources: ResourceUse[] = [];
  for (const [bel, name] of Object.entries(NEXTPNR_NAMES)) {
    const u = r.utilization?.[bel];
    if (u && (u.available > 0 || u.used > 0)) resources.push({ name, used: u.used, available: u.available });
  }
  // The design clock: the one constrained to the target (the oscillator input is constrained too);
  // without a target, the slowest.
  const clocks = Object.values(r.fmax ?? {});
  const worst =
    (targetHz !== undefined ? clocks.find((c) => Math.abs(c.constraint * 1e6 - targetHz) < 1e3) : undefined) ??
    clocks.sort((a, b) => a.achieved - b.achieved)[0];
  const cp = r.critical_paths?.find((p) => p.path.length > 0) ?? undefined;
  let criticalPath: CriticalPath | undefined;
  if (cp) {
    const logicNs = cp.path.filter((s) => s.type !== 'routing').reduce((n, s) => n + s.delay, 0);
    const routingNs = cp.path.filter((s) => s.type === 'routing').reduce((n, s) => n + s.delay, 0);
    criticalPath = {
      from: cp.path[0]?.from?.cell ?? cp.from,
      to: cp.path.at(-1)?.to?.cell ?? cp.to,
      delayNs: logicNs + routingNs,
      logicNs,
      routingNs,
      levels: cp.path.filter((s) => s.type === 'logic').length,
    };
  }
  const out: ReturnType<typeof parseNextpnrReport> = { resources };
  if (worst) {
    out.fmaxHz = worst.achieved * 1e6;
    out.constraintHz = worst.constraint * 1e6;
  }
  if (criticalPath) out.criticalPath = criticalPath;
  return out;
}

/** Resources over capacity, as "LC 9116/7680 (119 %)" strings. */
export function overCapacity(resources: ResourceUse[]): string[] {
  return resources
    .filter((r) => r.available !== undefined && r.used > r.available)
    .map((r) => `${r.name} ${r.used}/${r.available} (${percent(r)})`);
}

/** "97 %" (or "-" without a capacity). */
export function percent(r: ResourceUse): string {
  if (r.available === undefined) return '-';
  if (r.available === 0) return r.used === 0 ? '0 %' : 'n/a';
  return `${Math.round((100 * r.used) / r.available)} %`;
}

const mhz = (hz: number) => `${(hz / 1e6).toFixed(1)} MHz`;

/** A rate with a k or M suffix: 30,730 -> "30.7 k", 2,000,000 -> "2.00 M". */
export function rate(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(1)} k`;
}

/** The report as text for people. */
export function formatReport(r: BuildReport): string {
  const lines = [`${r.board}${r.variant ? ` (${r.variant})` : ''}: ${r.title} (${r.device} ${r.package}), ${r.stage}`];
  const d = r.design;
  lines.push(
    `  design: Keccak ${d.keccakCore}${d.keccakCore === 'round' ? ` (${d.keccakRoundsPerClock} round/clock)` : ''} + link` +
      `${d.evmUnit ? ` + EVM unit${d.evmDatapath === 'compact' ? ' (compact datapath)' : ''}` : ''}${d.storageEntries ? ` + storage check (${d.storageEntries} entries)` : ''}`,
  );
  lines.push(`  clock: ${mhz(r.clock.targetHz)} from ${mhz(r.clock.oscillatorHz)}; UART divider ${r.clock.uartDiv} = ${Math.round(r.clock.baud)} baud`);
  for (const res of r.resources) {
    lines.push(`  ${res.name.padEnd(7)} ${String(res.used).padStart(6)}${res.available !== undefined ? ` / ${String(res.available).padEnd(6)} ${percent(res)}` : ''}`);
  }
  if (r.timing) {
    const t = r.timing;
    const verdict = t.met ? 'met' : t.missAccepted ? 'MISSED (accepted with --allow-timing-miss)' : 'MISSED';
    lines.push(`  timing: ${mhz(t.fmaxHz)} routed vs ${mhz(t.targetHz)} target: ${verdict}`);
    if (t.criticalPath) {
      const c = t.criticalPath;
      lines.push(`  critical path: ${c.delayNs.toFixed(2)} ns (${c.logicNs.toFixed(2)} logic, ${c.routingNs.toFixed(2)} routing, ${c.levels} levels) ${c.from} -> ${c.to}`);
    }
  }
  if (r.hashesPerSecond) {
    const at = !r.timing ? 'the target clock' : r.timing.met ? 'the target clock' : 'the routed clock';
    lines.push(`  Keccak: ${rate(r.hashesPerSecond)} 64-byte hashes/s per core at ${at} (${cyclesPerHash(r.design)} cycles each)`);
  }
  lines.push(`  fits: ${r.fits ? 'yes' : 'NO'}; time: synthesis ${r.seconds.synthesis.toFixed(0)} s${r.seconds.placeAndRoute !== undefined ? `, place-and-route ${r.seconds.placeAndRoute.toFixed(0)} s` : ''}, total ${r.seconds.total.toFixed(0)} s`);
  for (const [what, file] of Object.entries(r.files)) lines.push(`  ${what}: ${file}`);
  return lines.join('\n');
}
