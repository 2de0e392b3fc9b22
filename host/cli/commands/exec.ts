/**
 * `evm-fpga exec PATH`: executes a BlockchainTests file, a mainnet block directory or a directory of
 * BlockchainTests files with the parallel executor, checks the fixture's expected values, and with
 * --compare also runs sequential runBlock in the same process (times, speedup, every output equal).
 * With --device SPEC the storage checks run on that device's storage-check unit
 * (docs/storage-check-unit.md); the report then gives, per block, the records checked on the device,
 * the unit's cycles and any fallback to software. With --device the post-block state roots are also
 * computed by the level-batched trie builder with the node hashing on the device, and with --shadow
 * every Keccak the executor computes in software is checked on the device (docs/hash-offload.md).
 * Exit code 1 on any mismatch, including a shadow digest mismatch.
 */
import type { CommandModule } from 'yargs';
import { compareExpected, compareOutputs } from '../../executor/compare.ts';
import { createDeviceStorageChecker, type DeviceStorageChecker } from '../../executor/device-storage-check.ts';
import { loadCases } from '../../executor/load/index.ts';
import { createExecutor } from '../../executor/parallel.ts';
import { runCaseSequential } from '../../executor/sequential.ts';
import { openDevice, type Device } from '../../device/device.ts';
import { createDeviceBatchHasher, type DeviceBatchHasher } from '../../hash/device-hasher.ts';
import { ShadowVerifier, type ShadowStats } from '../../hash/shadow.ts';
import { progressPrinter, table, toJson } from '../output.ts';
import { UsageError } from '../output.ts';

interface Args {
  path: string;
  workers?: number;
  device?: string;
  compare: boolean;
  json: boolean;
  'min-parallel': number;
  shadow: boolean;
  'shadow-corrupt'?: number;
}

export const execCommand: CommandModule<object, Args> = {
  command: 'exec <path>',
  describe: 'Execute blocks in parallel (fixture file, mainnet block or workload directory, or a directory of them)',
  builder: (y) =>
    y
      .positional('path', { type: 'string', demandOption: true, describe: 'BlockchainTests JSON, mainnet block dir, or a directory of them' })
      .option('workers', { type: 'number', describe: 'Worker threads (default: number of cores)' })
      .option('device', { type: 'string', describe: 'Run the storage checks on this device (sim, sim:uart, uart:/dev/ttyUSB1, tcp:HOST:PORT); default: software' })
      .option('compare', { type: 'boolean', default: false, describe: 'Also run sequential runBlock; report times, speedup, equality' })
      .option('min-parallel', { type: 'number', default: 8, describe: 'Blocks with fewer transactions run sequentially' })
      .option('shadow', { type: 'boolean', default: false, describe: 'Check every Keccak the executor computes on the --device (mismatch: exit 1)' })
      .option('shadow-corrupt', { type: 'number', describe: 'Fault injection for --shadow: flip a bit of the N-th recorded digest (0-based)' })
      .option('json', { type: 'boolean', default: false }) as never,
  handler: async (a) => {
    if (a.workers !== undefined && (!Number.isInteger(a.workers) || a.workers < 0)) throw new UsageError('--workers must be a non-negative integer');
    if (a.shadow && a.device === undefined) throw new UsageError('--shadow needs --device SPEC (the device that checks the digests)');
    const corrupt = a['shadow-corrupt'];
    if (corrupt !== undefined && (!a.shadow || !Number.isInteger(corrupt) || corrupt < 0)) throw new UsageError('--shadow-corrupt needs --shadow and a non-negative integer');
    const cases = await loadCases(a.path);
    let device: Device | undefined;
    let checker: DeviceStorageChecker | undefined;
    let rootHasher: DeviceBatchHasher | undefined;
    let shadow: ShadowVerifier | undefined;
    if (a.device !== undefined) {
      const progress = progressPrinter('device');
      try {
        device = await openDevice(a.device, { progress, timeoutMs: 30_000 });
      } finally {
        progress.done();
      }
      checker = createDeviceStorageChecker(device);
      rootHasher = createDeviceBatchHasher(device);
      if (a.shadow) shadow = new ShadowVerifier(createDeviceBatchHasher(device), corrupt !== undefined ? { corruptPair: corrupt } : {});
    }
    const executor = await createExecutor({
      ...(a.workers !== undefined ? { workers: a.workers } : {}),
      minParallelTxs: a['min-parallel'],
      ...(checker ? { storageChecker: checker } : {}),
      ...(rootHasher ? { stateRootHasher: rootHasher } : {}),
      ...(shadow ? { keccakShadow: shadow } : {}),
    }).catch(async (err: unknown) => {
      await device?.close();
      throw err;
    });
    const rows: Record<string, unknown>[] = [];
    let failures = 0;
    let shadowStats: ShadowStats | undefined;
    try {
      for (const c of cases) {
        const firstBlock = checker?.blocks.length ?? 0;
        shadow?.install();
        const par = await executor.executeCase(c);
        shadow?.uninstall();
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
            ...(checker ? { storage: checker.blocks[firstBlock + i] } : {}),
          });
        });
      }
      shadowStats = await shadow?.drain();
    } finally {
      shadow?.uninstall();
      shadow?.close();
      await executor.close();
      await device?.close();
    }
    const storage = checker ? { checker: 'device', device: a.device, ...checker.stats } : { checker: 'software' };
    const stateRoots = rootHasher ? { hasher: rootHasher.name, ...rootHasher.stats } : { hasher: 'merkle-state-manager' };
    if (a.json) process.stdout.write(`${toJson({ workers: executor.options.workers, failures, storage, stateRoots, ...(shadowStats ? { shadow: shadowStats } : {}), blocks: rows })}\n`);
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
      const s = checker?.stats;
      const storageLine = s
        ? `storage checks on ${a.device}: ${s.records} records in ${s.frames} frames, ${s.cycles} unit cycles, ${s.falseConflicts} false conflicts, ${s.fallbacks} block(s) fell back to software\n`
        : '';
      const h = rootHasher?.stats;
      const rootLine = h
        ? `state roots on ${a.device}: ${h.deviceHashes} hashes (${h.deviceBytes} bytes) in ${h.batches} level batches, ${h.deviceCycles} Keccak cycles, ${h.softwareHashes} hashed in software\n`
        : '';
      process.stdout.write(`${table(head, body)}\n${storageLine}${rootLine}${shadowStats ? shadowLine(a.device!, shadowStats) : ''}${rows.length - failures}/${rows.length} blocks ok\n`);
    }
    if (shadowStats?.mismatches) {
      const m = shadowStats.firstMismatches[0]!;
      process.stderr.write(
        `error: shadow verification: ${shadowStats.mismatches} of ${shadowStats.checks} Keccak digests differ from ${a.device}'s (first: ${m.source}, ${m.inputBytes}-byte input, software ${m.recorded}, device ${m.device})\n`,
      );
    }
    if (failures || shadowStats?.mismatches) process.exitCode = 1;
  },
};

/** One line: shadow checks by source and mismatches. */
function shadowLine(device: string, s: ShadowStats): string {
  const by = Object.entries(s.bySource)
    .map(([k, v]) => `${k} ${v.calls}`)
    .join(', ');
  return `shadow on ${device}: ${s.checks} Keccak digests checked (${by}) in ${s.batches} batches, ${s.hashing.deviceCycles} Keccak cycles, ${s.mismatches} mismatches\n`;
}
