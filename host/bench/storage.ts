/**
 * The storage-check benchmark: records per unit cycle and unit cycles per block on the device's
 * storage-check unit, for
 *   - the fixture blocks: the access sets the parallel executor checks while running them
 *     (recorded through a software checker, then replayed batch by batch on the device checker,
 *     whose answers must equal the recorded ones), and
 *   - a synthetic block of 10,000+ records checked as one batch (the unit's streaming rate).
 * Unit cycles are the sum of the STORAGE answers' `cycles` fields; device cycles (INFO
 * `totalCycles`) include the link, which on the simulated byte stream is what bounds the rate.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDevice, type Device } from '../index.ts';
import { createDeviceStorageChecker } from '../executor/device-storage-check.ts';
import { defaultFixtureDir, loadCases } from '../executor/load/index.ts';
import { createExecutor } from '../executor/parallel.ts';
import type { AccessRecord, CheckResult } from '../executor/storage-check.ts';
import { createRecordingChecker, randomDigests, seededRandom, sequentialBlockRecords, type RecordedCall } from '../storage/synthetic.ts';

/** One block's figures. */
export interface StorageBenchBlock {
  name: string;
  transactions: number;
  /** check() calls the executor made (one per validation step). */
  batches: number;
  /** Records sent to the device. */
  records: number;
  /** Records the unit looked at (a batch stops at its first invalid transaction). */
  looked: number;
  frames: number;
  /** Unit cycles (answers' `cycles`, RESET included). */
  cycles: number;
  /** Records looked at per unit cycle. */
  recordsPerCycle: number;
  /** Device clock cycles over the block (INFO totalCycles): link included. */
  deviceCycles: number;
  falseConflicts: number;
  /** Set when the block fell back to software (e.g. table overflow). */
  fallback?: string;
  /** The device checker's answers equal the recorded software answers. */
  identical: boolean;
  seconds: number;
}

export interface StorageBenchReport {
  device: string;
  /** INFO storageEntries. */
  storageEntries: number;
  workers: number;
  blocks: StorageBenchBlock[];
  synthetic: StorageBenchBlock;
}

export interface StorageBenchOptions {
  device?: string;
  /** Fixture paths to run (default: every mainnet block of the shared fixtures). */
  fixtures?: string[];
  /** Executor workers while recording (default 2). */
  workers?: number;
  /** Transactions of the synthetic block (default 2,000: about 11,000 records). */
  syntheticTxs?: number;
  progress?: (line: string) => void;
}

/** Default fixtures: the shared mainnet blocks. */
export function defaultStorageBenchFixtures(): string[] {
  const dir = join(defaultFixtureDir(), 'mainnet');
  return readdirSync(dir).sort().map((d) => join(dir, d));
}

/** Splits recorded calls into blocks (each starts with a reset). */
function splitBlocks(calls: RecordedCall[]): { batch: AccessRecord[]; result: CheckResult }[][] {
  const blocks: { batch: AccessRecord[]; result: CheckResult }[][] = [];
  for (const c of calls) {
    if (c.op === 'reset') blocks.push([]);
    else blocks[blocks.length - 1]!.push({ batch: c.batch, result: c.result });
  }
  return blocks;
}

/** Replays one block's recorded batches on the device checker and measures it. */
async function replay(device: Device, name: string, transactions: number, batches: { batch: AccessRecord[]; result: CheckResult }[]): Promise<StorageBenchBlock> {
  const checker = createDeviceStorageChecker(device);
  const before = await device.info();
  const t0 = performance.now();
  await checker.reset();
  let identical = true;
  for (const { batch, result } of batches) {
    const got = await checker.check(batch);
    if (got.committed !== result.committed || got.invalidTx !== result.invalidTx || got.conflictKey !== result.conflictKey) identical = false;
  }
  const seconds = (performance.now() - t0) / 1000;
  const after = await device.info();
  const b = checker.blocks[0]!;
  return {
    name,
    transactions,
    batches: batches.length,
    records: b.records,
    looked: b.looked,
    frames: b.frames,
    cycles: b.cycles,
    recordsPerCycle: b.cycles > 0 ? b.looked / b.cycles : 0,
    deviceCycles: Number(after.totalCycles - before.totalCycles),
    falseConflicts: b.falseConflicts,
    ...(b.fallback !== undefined ? { fallback: b.fallback } : {}),
    identical,
    seconds,
  };
}

/** Runs the benchmark (default on the simulation). */
export async function benchStorage(options: StorageBenchOptions = {}): Promise<StorageBenchReport> {
  const spec = options.device ?? 'sim';
  const progress = options.progress ?? (() => {});
  const workers = options.workers ?? 2;
  const fixtures = options.fixtures ?? defaultStorageBenchFixtures();

  // Record the access sets the executor checks on every fixture block.
  const recorded: { name: string; transactions: number; batches: { batch: AccessRecord[]; result: CheckResult }[] }[] = [];
  const recorder = createRecordingChecker();
  const executor = await createExecutor({ workers, minParallelTxs: 0, storageChecker: recorder });
  try {
    for (const path of fixtures) {
      for (const c of await loadCases(path)) {
        progress(`recording ${c.name}`);
        recorder.calls.length = 0;
        const results = await executor.executeCase(c);
        splitBlocks(recorder.calls).forEach((batches, i) =>
          recorded.push({ name: c.blocksRlp.length > 1 ? `${c.name}#${i}` : c.name, transactions: results[i]!.stats.transactions, batches }),
        );
      }
    }
  } finally {
    await executor.close();
  }

  const device = await openDevice(spec, { progress, timeoutMs: 30_000 });
  try {
    const blocks: StorageBenchBlock[] = [];
    for (const r of recorded) {
      progress(`${spec}: ${r.name}`);
      blocks.push(await replay(device, r.name, r.transactions, r.batches));
    }
    // Synthetic: one batch of the whole block, keys from a pool of entries/8 (the table stays far from full).
    const txs = options.syntheticTxs ?? 2000;
    const keys = randomDigests(Math.max(256, device.handshake.storageEntries >> 3), seededRandom(11));
    const shape = { keys, reads: [3, 7] as [number, number], writes: [1, 2] as [number, number], staleness: 0, batch: [1, 1] as [number, number], hot: 0.2 };
    const batch = sequentialBlockRecords(txs, shape, seededRandom(11));
    const synthetic = [{ batch, result: { committed: txs } }];
    progress(`${spec}: synthetic block of ${txs} transactions, ${batch.length} records in one batch`);
    return {
      device: spec,
      storageEntries: device.handshake.storageEntries,
      workers,
      blocks,
      synthetic: await replay(device, `synthetic ${txs} txs`, txs, synthetic),
    };
  } finally {
    await device.close();
  }
}
