/**
 * The EVM opcode unit benchmark: per opcode, the unit's own cycle count (from each result record,
 * so it is deterministic for given operands) as min/median/max over a mixed operand distribution
 * (edge values, uniform random words, random-length words, small values: host/evm/samples.ts),
 * and the throughput of the whole stack: ops per second through the simulated device, and
 * device clock cycles per op (from INFO), which on a byte link is set by the 104-byte record.
 */
import { openDevice, type Device } from '../index.ts';
import { EVM_OPCODE_LIST } from '../evm/opcodes.ts';
import { requestToOp, type EvmOp, type EvmRequest } from '../evm/operands.ts';
import type { EvmResult } from '../evm/unit.ts';
import { operandSource } from '../evm/samples.ts';
import { EVM } from '../protocol/spec.ts';

/** Cycle statistics of one opcode. */
export interface AluOpcodeStats {
  name: string;
  code: number;
  /** Ops measured. */
  count: number;
  minCycles: number;
  medianCycles: number;
  maxCycles: number;
  meanCycles: number;
}

/** The whole report. */
export interface AluBenchReport {
  device: string;
  /** Operand sets per opcode. */
  opsPerOpcode: number;
  seed: number;
  distribution: string;
  opcodes: AluOpcodeStats[];
  /** The mixed batch (every opcode, shuffled). */
  throughput: AluThroughput;
  /** A batch of ADDs only (1 cycle each): the link-bound floor of cycles per op. */
  addOnly: AluThroughput;
}

/** Throughput of one pipelined batch. */
export interface AluThroughput {
  ops: number;
  frames: number;
  seconds: number;
  /** Ops per wall-clock second through host, link and simulated RTL, pipelined. */
  opsPerSecond: number;
  /** Device clock cycles per op over the whole batch (INFO totalCycles). */
  deviceCyclesPerOp: number;
  /** Cycles the dispatcher was busy per op (INFO busyCycles). */
  busyCyclesPerOp: number;
  /** Simulated clock cycles per wall-clock second. */
  simCyclesPerSecond: number;
}

/** Runs `ops` as one batch and measures it with INFO before and after. */
async function measure(device: Device, ops: EvmOp[]): Promise<{ results: EvmResult[]; throughput: AluThroughput }> {
  const before = await device.info();
  const t0 = performance.now();
  const results = await device.evm.execBatch(ops);
  const seconds = (performance.now() - t0) / 1000;
  const after = await device.info();
  const totalCycles = Number(after.totalCycles - before.totalCycles);
  return {
    results,
    throughput: {
      ops: ops.length,
      frames: Math.ceil(ops.length / EVM.maxOpsPerFrame),
      seconds,
      opsPerSecond: ops.length / seconds,
      deviceCyclesPerOp: totalCycles / ops.length,
      busyCyclesPerOp: Number(after.busyCycles - before.busyCycles) / ops.length,
      simCyclesPerSecond: totalCycles / seconds,
    },
  };
}

/** What {@link benchAlu} needs. */
export interface AluBenchOptions {
  device?: string;
  /** Operand sets per opcode (default 400). */
  count?: number;
  seed?: number;
  progress?: (line: string) => void;
}

const DISTRIBUTION = '35% edge values, 30% uniform 256-bit, 20% random bit length, 15% small (< 300)';

function median(sorted: number[]): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/** Runs the benchmark on one device (default the simulation). */
export async function benchAlu(options: AluBenchOptions = {}): Promise<AluBenchReport> {
  const spec = options.device ?? 'sim';
  const count = options.count ?? 400;
  const seed = options.seed ?? 1;
  const progress = options.progress ?? (() => {});
  const src = operandSource(seed);
  const requests: EvmRequest[] = [];
  for (let i = 0; i < count; i++) for (const opcode of EVM_OPCODE_LIST) requests.push({ opcode, ...src.operands(opcode) });
  for (let i = requests.length - 1; i > 0; i--) {
    const j = src.u32() % (i + 1);
    [requests[i], requests[j]] = [requests[j]!, requests[i]!];
  }
  const ops = requests.map(requestToOp);

  const device = await openDevice(spec, { progress, timeoutMs: 30_000 });
  try {
    progress(`${spec}: ${ops.length} ops (${count} per opcode), pipelined`);
    const { results, throughput } = await measure(device, ops);
    progress(`${spec}: ${ops.length} ADDs, pipelined`);
    const { throughput: addOnly } = await measure(device, ops.map((_, i) => ({ op: 'ADD', a: BigInt(i), b: 1n })));

    const cycles = new Map<number, number[]>(EVM_OPCODE_LIST.map((o) => [o.code, []]));
    requests.forEach((r, i) => cycles.get(r.opcode.code)!.push(results[i]!.cycles));
    const opcodes = EVM_OPCODE_LIST.map((o) => {
      const c = cycles.get(o.code)!.sort((x, y) => x - y);
      return {
        name: o.name,
        code: o.code,
        count: c.length,
        minCycles: c[0]!,
        medianCycles: median(c),
        maxCycles: c[c.length - 1]!,
        meanCycles: c.reduce((s, x) => s + x, 0) / c.length,
      };
    });
    return { device: spec, opsPerOpcode: count, seed, distribution: DISTRIBUTION, opcodes, throughput, addOnly };
  } finally {
    await device.close();
  }
}
