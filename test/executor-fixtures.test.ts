/**
 * Parallel == sequential == expected on the shared fixtures: all ethereum/tests BlockchainTests
 * (ValidBlocks, GeneralStateTests) and all mainnet blocks, with 2 workers by default and a subset
 * with 1 and 4; EVM_FPGA_SLOW=1 runs everything with 1, 2 and 4 workers. The parallel path is
 * forced (minParallelTxs 0) so one-transaction blocks exercise it too.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareExpected, compareOutputs } from '../host/executor/compare.ts';
import { defaultFixtureDir, listJsonFiles, loadCases } from '../host/executor/load/index.ts';
import { createExecutor, type ParallelExecutor } from '../host/executor/parallel.ts';
import { runCaseSequential } from '../host/executor/sequential.ts';
import { createSoftwareStorageChecker } from '../host/executor/storage-check.ts';
import { readdirSync } from 'node:fs';

const SLOW = process.env.EVM_FPGA_SLOW === '1';
const FIX = defaultFixtureDir();
const testFiles = listJsonFiles(join(FIX, 'ethereum-tests'));
const mainnetDirs = readdirSync(join(FIX, 'mainnet')).sort().map((d) => join(FIX, 'mainnet', d));
const SUBSET = testFiles.filter((f) => /bcStateTests|transientStorage|4844|bcEIP1559\/burnVerify|bcWalletTest|sha3/.test(f));

async function check(executor: ParallelExecutor, path: string): Promise<number> {
  let blocks = 0;
  for (const c of await loadCases(path)) {
    const seq = await runCaseSequential(c);
    for (let run = 0; run < 1; run++) {
      const par = await executor.executeCase(c);
      par.forEach((p, i) => {
        expect(compareExpected(seq[i]!.outputs, c.expected[i]!), `${c.name} block ${i} sequential vs expected`).toEqual([]);
        expect(compareExpected(p.outputs, c.expected[i]!), `${c.name} block ${i} parallel vs expected`).toEqual([]);
        expect(compareOutputs(p.outputs, seq[i]!.outputs), `${c.name} block ${i} parallel vs sequential`).toEqual([]);
        blocks++;
      });
    }
  }
  return blocks;
}

for (const workers of [1, 2, 4]) {
  const files = workers === 2 || SLOW ? testFiles : SUBSET;
  const dirs = workers === 2 || SLOW ? mainnetDirs : mainnetDirs.filter((d) => /19426587|930196|4370000/.test(d));
  describe(`parallel executor, ${workers} worker(s)`, () => {
    let executor: ParallelExecutor;
    beforeAll(async () => {
      executor = await createExecutor({ workers, minParallelTxs: 0 });
    });
    afterAll(async () => {
      await executor?.close();
    });
    it(`ethereum/tests: ${files.length} files`, async () => {
      let blocks = 0;
      for (const f of files) blocks += await check(executor, f);
      expect(blocks).toBeGreaterThan(0);
    }, 600_000);
    it(`mainnet: ${dirs.length} blocks`, async () => {
      for (const d of dirs) await check(executor, d);
    }, 600_000);
  });
}

describe('fixture counts', () => {
  it('finds 20 ValidBlocks and 73 GeneralStateTests files and 8 mainnet blocks', () => {
    expect(testFiles.filter((f) => f.includes('/ValidBlocks/'))).toHaveLength(20);
    expect(testFiles.filter((f) => f.includes('/GeneralStateTests/'))).toHaveLength(73);
    expect(mainnetDirs.length).toBeGreaterThanOrEqual(8);
  });
});

describe('loaders', () => {
  it('names the file and field of a malformed fixture', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evm-fpga-exec-'));
    const p = join(dir, 'bad.json');
    writeFileSync(p, JSON.stringify({ t: { network: 'Cancun', pre: {}, genesisBlockHeader: { hash: '0x', number: '0x0', stateRoot: '0x' }, blocks: [{ rlp: 'zz' }] } }));
    await expect(loadCases(p)).rejects.toThrow(/bad\.json: t\.blocks\.0\.rlp: expected 0x-prefixed hex/);
    writeFileSync(join(dir, 'block.json'), JSON.stringify({ number: '0x1' }));
    writeFileSync(join(dir, 'pre_state.simple.json'), '{}');
    await expect(loadCases(dir)).rejects.toThrow(/block\.json: hash: /);
  });
});

describe('software storage checker', () => {
  it('accepts reads of the last writer, stops at the first stale read', async () => {
    const c = createSoftwareStorageChecker();
    expect(await c.check([{ tx: 0, key: 1n, kind: 'read', version: -1 }, { tx: 0, key: 1n, kind: 'write', version: 0 }])).toEqual({ committed: 1 });
    const r = await c.check([
      { tx: 1, key: 1n, kind: 'read', version: 0 },
      { tx: 1, key: 2n, kind: 'write', version: 0 },
      { tx: 2, key: 2n, kind: 'read', version: -1 },
      { tx: 3, key: 1n, kind: 'read', version: 0 },
    ]);
    expect(r).toEqual({ committed: 1, invalidTx: 2, conflictKey: 2n });
  });
});
