/**
 * The workload generator: deterministic for a seed, loadable by the mainnet loader with the
 * header's values reproduced by both executors, contention as asked, one-line option errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareExpected, compareOutputs } from '../host/executor/compare.ts';
import { loadMainnetBlock } from '../host/executor/load/mainnet.ts';
import { executeBlock } from '../host/executor/parallel.ts';
import { runCaseSequential } from '../host/executor/sequential.ts';
import { generateWorkload, writeWorkload } from '../host/workload/generate.ts';
import { parseWorkloadOptions } from '../host/workload/options.ts';

describe('workload generator', () => {
  it('is deterministic for a seed and differs across seeds', async () => {
    const a = await generateWorkload({ kind: 'mixed', txs: 30, accounts: 40, hot: 0.5, seed: 7 });
    const b = await generateWorkload({ kind: 'mixed', txs: 30, accounts: 40, hot: 0.5, seed: 7 });
    const c = await generateWorkload({ kind: 'mixed', txs: 30, accounts: 40, hot: 0.5, seed: 8 });
    expect(a.block.hash).toBe(b.block.hash);
    expect(JSON.stringify(a.preState)).toBe(JSON.stringify(b.preState));
    expect(c.block.hash).not.toBe(a.block.hash);
  }, 60_000);

  it.each(['erc20', 'amm', 'lending'] as const)('%s: no reverts; cold blocks run with no conflict, hot ones conflict', async (kind) => {
    const root = mkdtempSync(join(tmpdir(), 'evm-fpga-wl-'));
    for (const hot of [0, 1]) {
      const dir = join(root, `${kind}-${hot}`);
      const s = await writeWorkload(dir, { kind, txs: 24, accounts: 100, hot, seed: 3 });
      expect(s.reverted).toBe(0);
      expect(s.hotTransactions).toBe(hot ? 24 : 0);
      expect(JSON.parse(readFileSync(join(dir, 'workload.json'), 'utf8')).options.kind).toBe(kind);
      const c = await loadMainnetBlock(dir);
      const seq = (await runCaseSequential(c))[0]!;
      const par = await executeBlock({ chain: c.chain, blockRlp: c.blocksRlp[0]!, preState: c.preState, blockHashes: c.blockHashes }, { workers: 2, minParallelTxs: 0 });
      expect(compareExpected(par.outputs, c.expected[0]!)).toEqual([]);
      expect(compareOutputs(par.outputs, seq.outputs)).toEqual([]);
      if (hot === 0) expect(par.stats.conflicts).toBe(0);
      else expect(par.stats.conflicts).toBeGreaterThan(0);
    }
  }, 120_000);

  it('rejects bad options with one line naming the option', () => {
    expect(() => parseWorkloadOptions({ kind: 'nft', txs: 1, accounts: 2, hot: 0, seed: 1 })).toThrow(/^--kind: /);
    expect(() => parseWorkloadOptions({ kind: 'amm', txs: 0, accounts: 2, hot: 0, seed: 1 })).toThrow(/^--txs: /);
    expect(() => parseWorkloadOptions({ kind: 'amm', txs: 1, accounts: 2, hot: 1.5, seed: 1 })).toThrow(/^--hot: /);
    expect(() => parseWorkloadOptions({ kind: 'amm', txs: 1, accounts: 1, hot: 0, seed: 1 })).toThrow(/^--accounts: /);
  });

  it('evm-fpga workload writes a directory that evm-fpga exec --compare runs; bad options exit 2', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'evm-fpga-wl-cli-')), 'mixed');
    const cli = (args: string[]) => spawnSync(process.execPath, ['bin/evm-fpga.mjs', ...args], { encoding: 'utf8', timeout: 120_000 });
    const w = cli(['workload', '--kind', 'mixed', '--txs', '20', '--accounts', '12', '--hot', '0.5', '--seed', '9', '--out', dir]);
    expect(w.status, w.stderr).toBe(0);
    expect(w.stdout).toMatch(/20 transactions/);
    const e = cli(['exec', dir, '--workers', '2', '--compare', '--min-parallel', '0', '--json']);
    expect(e.status, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout).failures).toBe(0);
    const bad = cli(['workload', '--kind', 'amm', '--hot', '2', '--out', dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: --hot: /);
  }, 120_000);
});
