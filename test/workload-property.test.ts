/**
 * Property tests: random generated blocks (random conflict patterns over the ERC-20, the pool, the
 * lending pool and plain transfers: few accounts make same-sender chains and shared counterparties,
 * `hot` dials shared state) executed in parallel with 1 and 2 workers, twice each, must equal
 * sequential runBlock in every output, and the block's own header values. EVM_FPGA_PROPERTY_RUNS
 * sets the number of blocks (default 32).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareExpected, compareOutputs } from '../host/executor/compare.ts';
import { loadMainnetBlock } from '../host/executor/load/mainnet.ts';
import { createExecutor, type ParallelExecutor } from '../host/executor/parallel.ts';
import { runCaseSequential } from '../host/executor/sequential.ts';
import { writeWorkload } from '../host/workload/generate.ts';
import { WORKLOAD_KINDS } from '../host/workload/options.ts';

const RUNS = Number(process.env.EVM_FPGA_PROPERTY_RUNS ?? 32);

describe('parallel == sequential on random workloads', () => {
  const executors: ParallelExecutor[] = [];
  const root = mkdtempSync(join(tmpdir(), 'evm-fpga-prop-'));
  let n = 0;
  beforeAll(async () => {
    executors.push(await createExecutor({ workers: 1, minParallelTxs: 0 }));
    executors.push(await createExecutor({ workers: 2, minParallelTxs: 0, maxInFlight: 3 }));
  });
  afterAll(async () => {
    for (const e of executors) await e.close();
  });

  it(`${RUNS} random blocks, 1 and 2 workers, each run twice`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          kind: fc.constantFrom(...WORKLOAD_KINDS),
          txs: fc.integer({ min: 1, max: 40 }),
          accounts: fc.integer({ min: 2, max: 24 }),
          hot: fc.constantFrom(0, 0.1, 0.3, 0.5, 0.8, 1),
          seed: fc.integer({ min: 0, max: 2 ** 31 }),
        }),
        async (opts) => {
          const dir = join(root, String(n++));
          await writeWorkload(dir, opts);
          const c = await loadMainnetBlock(dir);
          const seq = (await runCaseSequential(c))[0]!;
          expect(compareExpected(seq.outputs, c.expected[0]!)).toEqual([]);
          for (const e of executors) {
            for (let run = 0; run < 2; run++) {
              const par = (await e.executeCase(c))[0]!;
              const where = `${JSON.stringify(opts)}, ${e.options.workers} worker(s), run ${run}`;
              expect(compareOutputs(par.outputs, seq.outputs), where).toEqual([]);
              expect(par.stats.incarnations, where).toBeGreaterThanOrEqual(par.stats.transactions);
            }
          }
        },
      ),
      { numRuns: RUNS, seed: Number(process.env.EVM_FPGA_PROPERTY_SEED ?? 4) },
    );
  }, 300_000);
});
