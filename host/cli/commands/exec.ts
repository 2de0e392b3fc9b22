/**
 * `evm-fpga exec PATH`: executes a BlockchainTests file, a mainnet block directory or a directory of
 * BlockchainTests files with the parallel executor, checks the fixture's expected values, and with
 * --compare also runs sequential runBlock in the same process (times, speedup, every output equal).
 * Exit code 1 on any mismatch.
 */
import type { CommandModule } from 'yargs';
import { compareExpected, compareOutputs } from '../../executor/compare.ts';
import { loadCases } from '../../executor/load/index.ts';
import { createExecutor } from '../../executor/parallel.ts';
import { runCaseSequential } from '../../executor/sequential.ts';
import { table, toJson } from '../output.ts';
import { UsageError } from '../output.ts';

interface Args {
  path: string;
  workers?: number;
  device?: string;
  compare: boolean;
  json: boolean;
  'min-parallel': number;
}

export const execCommand: CommandModule<object, Args> = {
  command: 'exec <path>',
  describe: 'Execute blocks in parallel (fixture file, mainnet block directory, or directory of fixtures)',
  builder: (y) =>
    y
      .positional('path', { type: 'string', demandOption: true, describe: 'BlockchainTests JSON, mainnet block dir, or a directory of them' })
      .option('workers', { type: 'number', describe: 'Worker threads (default: number of cores)' })
      .option('device', { type: 'string', describe: 'Storage-check device spec (accepted, not used yet: checks run in software)' })
      .option('compare', { type: 'boolean', default: false, describe: 'Also run sequential runBlock; report times, speedup, equality' })
      .option('min-parallel', { type: 'number', default: 8, describe: 'Blocks with fewer transactions run sequentially' })
      .option('json', { type: 'boolean', default: false }) as never,
  handler: async (a) => {
    if (a.workers !== undefined && (!Number.isInteger(a.workers) || a.workers < 0)) throw new UsageError('--workers must be a non-negative integer');
    const cases = await loadCases(a.path);
    const executor = await createExecutor({ ...(a.workers !== undefined ? { workers: a.workers } : {}), minParallelTxs: a['min-parallel'] });
    const rows: Record<string, unknown>[] = [];
    let failures = 0;
    try {
      for (const c of cases) {
        const par = await executor.executeCase(c);
        const seq = a.compare ? await runCaseSequential(c) : undefined;
        par.forEach((p, i) => {
          const problems = [...compareExpected(p.outputs, c.expected[i]!), ...(seq ? compareOutputs(p.outputs, seq[i]!.outputs) : [])];
          if (problems.length) failures++;
          rows.push({
            case: c.name,
            block: i,
            txs: p.stats.transactions,
            mode: p.stats.mode + (p.stats.fallbackReason ? ` (${p.stats.fallbackReason})` : ''),
            incarnations: p.stats.incarnations,
            conflicts: p.stats.conflicts,
            parallelMs: p.stats.ms.total,
            ...(seq ? { sequentialMs: seq[i]!.ms, speedup: seq[i]!.ms / p.stats.ms.total } : {}),
            ok: problems.length === 0,
            problems,
            stats: p.stats,
          });
        });
      }
    } finally {
      await executor.close();
    }
    if (a.json) process.stdout.write(`${toJson({ workers: executor.options.workers, failures, blocks: rows })}\n`);
    else {
      const head = ['case', 'block', 'txs', 'mode', 'incarn.', 'confl.', 'par ms', ...(a.compare ? ['seq ms', 'speedup'] : []), 'result'];
      const body = rows.map((r) => [
        String(r.case),
        Number(r.block),
        Number(r.txs),
        String(r.mode),
        Number(r.incarnations),
        Number(r.conflicts),
        (r.parallelMs as number).toFixed(1),
        ...(a.compare ? [(r.sequentialMs as number).toFixed(1), `${(r.speedup as number).toFixed(2)}x`] : []),
        r.ok ? 'ok' : `MISMATCH: ${(r.problems as string[])[0]}`,
      ]);
      process.stdout.write(`${table(head, body)}\n${rows.length - failures}/${rows.length} blocks ok\n`);
    }
    if (failures) process.exitCode = 1;
  },
};
