/**
 * The executor benchmark: synthetic workloads (erc20, amm, lending, mixed) at several contention
 * levels (`hot` share), each executed sequentially (runBlock) and in parallel with each worker
 * count, in the same process on the same kind of state manager (built fresh for every run, not
 * timed). Reports the median time of `repeat` runs, the speedup, the executor's statistics, and
 * whether every output matched. Workloads are generated once and cached under .cache/workloads/.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareExpected, compareOutputs } from '../executor/compare.ts';
import { loadMainnetBlock } from '../executor/load/mainnet.ts';
import { createExecutor, type ExecutionStats, type ParallelExecutor } from '../executor/parallel.ts';
import { runCaseSequential } from '../executor/sequential.ts';
import { writeWorkload } from '../workload/generate.ts';
import type { WorkloadKind } from '../workload/options.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const CACHE = resolve(HERE, '../../.cache/workloads');

export interface ExecBenchOptions {
  kinds: WorkloadKind[];
  hot: number[];
  workers: number[];
  txs: number;
  accounts: number;
  seed: number;
  /** Runs per measurement (the median is reported). */
  repeat: number;
  /**
   * Unmeasured runs before each measurement, sequential and parallel alike (default 1): V8 compiles
   * the hot paths of each thread (the workers' too) only after they have run for a while.
   */
  warmup?: number;
  progress?: (line: string) => void;
}

export interface ExecBenchPoint {
  kind: WorkloadKind;
  hot: number;
  workers: number;
  sequentialMs: number;
  parallelMs: number;
  speedup: number;
  ok: boolean;
  problems: string[];
  /** Statistics of the median parallel run. */
  stats: ExecutionStats;
}

export interface ExecBenchReport {
  txs: number;
  accounts: number;
  seed: number;
  repeat: number;
  warmup: number;
  cores: number;
  points: ExecBenchPoint[];
}

/** A hash of the generator's sources: cached workloads are regenerated when the generator changes. */
function generatorKey(): string {
  const h = createHash('sha256');
  const dir = resolve(HERE, '../workload');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts')).sort()) h.update(readFileSync(join(dir, f)));
  for (const f of readdirSync(join(dir, 'contracts')).sort()) h.update(readFileSync(join(dir, 'contracts', f)));
  return h.digest('hex').slice(0, 12);
}

/** The directory of a workload, generated on first use. */
export async function cachedWorkload(kind: WorkloadKind, txs: number, accounts: number, hot: number, seed: number): Promise<string> {
  const dir = join(CACHE, `${kind}-t${txs}-a${accounts}-h${hot}-s${seed}-${generatorKey()}`);
  if (!existsSync(join(dir, 'block.json'))) await writeWorkload(dir, { kind, txs, accounts, hot, seed });
  return dir;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchExec(o: ExecBenchOptions): Promise<ExecBenchReport> {
  const progress = o.progress ?? (() => {});
  const executors = new Map<number, ParallelExecutor>();
  const points: ExecBenchPoint[] = [];
  try {
    for (const w of o.workers) executors.set(w, await createExecutor({ workers: w }));
    const total = o.kinds.length * o.hot.length;
    let done = 0;
    for (const kind of o.kinds) {
      for (const hot of o.hot) {
        done++;
        progress(`[${done}/${total}] ${kind} hot ${hot}: generating (${o.txs} txs, ${o.accounts} accounts)`);
        const c = await loadMainnetBlock(await cachedWorkload(kind, o.txs, o.accounts, hot, o.seed));
        const warmup = o.warmup ?? 1;
        for (let r = 0; r < warmup; r++) {
          progress(`[${done}/${total}] ${kind} hot ${hot}: sequential warm-up ${r + 1}/${warmup}`);
          await runCaseSequential(c);
        }
        const seqMs: number[] = [];
        let seqOut;
        for (let r = 0; r < o.repeat; r++) {
          progress(`[${done}/${total}] ${kind} hot ${hot}: sequential run ${r + 1}/${o.repeat}`);
          const s = (await runCaseSequential(c))[0]!;
          seqMs.push(s.ms);
          seqOut = s.outputs;
        }
        const sequentialMs = median(seqMs);
        for (const w of o.workers) {
          for (let r = 0; r < warmup; r++) {
            progress(`[${done}/${total}] ${kind} hot ${hot}: ${w} worker(s), warm-up ${r + 1}/${warmup}`);
            await executors.get(w)!.executeCase(c);
          }
          const runs: { ms: number; stats: ExecutionStats; problems: string[] }[] = [];
          for (let r = 0; r < o.repeat; r++) {
            progress(`[${done}/${total}] ${kind} hot ${hot}: ${w} worker(s), run ${r + 1}/${o.repeat}`);
            const p = (await executors.get(w)!.executeCase(c))[0]!;
            runs.push({ ms: p.stats.ms.total, stats: p.stats, problems: [...compareExpected(p.outputs, c.expected[0]!), ...compareOutputs(p.outputs, seqOut!)] });
          }
          runs.sort((a, b) => a.ms - b.ms);
          const mid = runs[Math.floor(runs.length / 2)]!;
          const problems = runs.flatMap((r) => r.problems);
          points.push({ kind, hot, workers: w, sequentialMs, parallelMs: mid.ms, speedup: sequentialMs / mid.ms, ok: problems.length === 0, problems, stats: mid.stats });
        }
      }
    }
  } finally {
    for (const e of executors.values()) await e.close();
  }
  const { cpus } = await import('node:os');
  return { txs: o.txs, accounts: o.accounts, seed: o.seed, repeat: o.repeat, warmup: o.warmup ?? 1, cores: cpus().length, points };
}
