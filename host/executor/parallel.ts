/**
 * The parallel block executor (see docs/parallel-execution.md). Workers execute transactions
 * speculatively against their replica of the committed state; the main thread validates results
 * in block order through the {@link StorageChecker} batch interface, commits valid ones,
 * re-executes invalidated ones itself against the exact committed state, and broadcasts commits so
 * later speculation starts from fresher state. The output is identical to sequential runBlock.
 */
import { cpus } from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { MerklePatriciaTrie } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { Account, Address, KECCAK256_RLP, bytesToHex, hexToBytes } from '@ethereumjs/util';
import { encodeReceipt } from '@ethereumjs/vm';
import { EvmFpgaError } from '../errors.ts';
import type { BatchHasher } from '../hash/batch-hasher.ts';
import { offloadStateRoot, type StateRootOffload } from '../hash/state-root.ts';
import { buildStateManager, type RecordingStateManager } from './state.ts';
import { accessKeyDigest, createSoftwareStorageChecker, type AccessRecord, type StorageChecker } from './storage-check.ts';
import { TxRunner, type TxOutcome } from './tx-runner.ts';
import { VersionedState, loadState, type TxWrites } from './versioned-state.ts';
import type { WorkerRequest } from './worker.ts';
import type { BlockOutputs, ChainSpec, ExecutionCase, ReceiptOutput, StateSnapshot } from './types.ts';

export interface ExecutorOptions {
  /** Worker threads (default: the number of cores). 0 runs everything on the calling thread. */
  workers?: number;
  /** Blocks with fewer transactions run sequentially (default 8; 0 forces the parallel path). */
  minParallelTxs?: number;
  /** Fall back to sequential once main-thread re-executions exceed this share of the block (default 0.5). */
  maxReexecutionShare?: number;
  /**
   * Most transactions queued per worker (default 32). The window starts at 4 and grows by one per
   * speculative result that validates, halving on every conflict, so an uncontended block keeps
   * the workers busy while the main thread commits, and a contended one does not pile up
   * speculation against stale state.
   */
  maxInFlight?: number;
  /** The conflict table (default: software). */
  storageChecker?: StorageChecker;
  /**
   * Computes each post-block state root with the level-batched trie builder through this hasher
   * (a device hasher offloads the trie hashing: docs/hash-offload.md) instead of the Merkle state;
   * the block's stats then carry `hashOffload`.
   */
  stateRootHasher?: BatchHasher;
  /** Shadow verification: every worker records its Keccak calls and streams them to a port given to `attach`. */
  keccakShadow?: { attach(port: MessagePort): void };
}

/** One block to execute. */
export interface BlockInput {
  chain: ChainSpec;
  blockRlp: Uint8Array;
  /**
   * The state before the block. Treated as immutable: the workers keep it indexed between blocks
   * and runs (it is sent again only when a different snapshot object comes).
   */
  preState: StateSnapshot;
  blockHashes: Map<bigint, Uint8Array>;
  /** A Merkle state holding `preState` (built here when absent; building is not timed). */
  stateManager?: RecordingStateManager;
}

export interface ExecutionStats {
  mode: 'parallel' | 'sequential-fallback';
  fallbackReason?: 'tiny block' | 'contention' | 'no workers';
  workers: number;
  transactions: number;
  /** Executions of all transactions (speculative + re-executions); equals `transactions` with no conflict. */
  incarnations: number;
  /** Transactions whose speculative result failed validation. */
  conflicts: number;
  /** Transactions executed on the main thread (heads not yet dispatched, re-executions, fallback). */
  mainThreadExecutions: number;
  ms: {
    /**
     * Not part of `total`, as building the Merkle state and decoding the block are not part of a
     * sequential run's time: indexing the pre-state (main thread; workers when it changed),
     * decoding the block and creating the VMs.
     */
    prepare: number;
    /** Wall time of executeBlock after the state was loaded and the block decoded. */
    total: number;
    /** Sender recovery in the workers (in parallel) and distributing the senders. */
    setup: number;
    /** Time executing transactions: summed over workers, and on the main thread. */
    workerExecution: number;
    mainExecution: number;
    /** Storage checks (StorageChecker.check) on the main thread. */
    validation: number;
    /** Applying results: committed state, Merkle state, receipts, broadcasts. */
    commit: number;
    /** Withdrawals, rewards, state root and receipts root. */
    finalize: number;
  };
  /** The state root's hashing when ExecutorOptions.stateRootHasher is set. */
  hashOffload?: StateRootOffload;
}

export interface ParallelBlockResult {
  outputs: BlockOutputs;
  stats: ExecutionStats;
}

/** Committed transactions after which an idle main thread moves committed writes into the tries. */
const FLUSH_BATCH = 64;
/** Accounts moved into the tries per step of that work, between which workers are fed again. */
const FLUSH_STEP = 48;
/** The first in-flight window per worker (see {@link ExecutorOptions.maxInFlight}). */
const INITIAL_WINDOW = 4;
/** Transactions per sender-recovery message. */
const RECOVERY_CHUNK = 16;
const BEACON_ROOTS = '000f3df6d732807ef1319fb7b8bb8522d0beac02';
const toAddress = (a: string) => new Address(hexToBytes(`0x${a}`));

/** Access records of one outcome for the storage checker. */
function recordsOf(o: TxOutcome): AccessRecord[] {
  const out: AccessRecord[] = o.reads.map(([k, v]) => ({ tx: o.tx, key: accessKeyDigest(k), kind: 'read', version: v }));
  const w = o.writes;
  if (!w) return out;
  const write = (k: string) => out.push({ tx: o.tx, key: accessKeyDigest(k), kind: 'write', version: o.incarnation });
  for (const a of w.cleared) write(`e${a}`);
  for (const [a] of w.accounts) write(`a${a}`);
  for (const [a, s] of w.storage) write(`s${a}${s}`);
  if (w.coinbaseDelta) write(`a${w.coinbaseDelta.address}`);
  return out;
}

/** Applies a transaction's writes to the Merkle state (for the state root), mirroring runTx. */
async function applyToMerkle(sm: RecordingStateManager, w: TxWrites, spuriousDragon: boolean): Promise<void> {
  for (const a of w.cleared) if (await sm.getAccount(toAddress(a))) await sm.clearStorage(toAddress(a));
  const code = new Map(w.code);
  for (const [a, acc] of w.accounts) {
    const address = toAddress(a);
    if (!acc) {
      await sm.deleteAccount(address);
      continue;
    }
    const cur = await sm.getAccount(address);
    await sm.putAccount(address, new Account(acc.nonce, acc.balance, cur?.storageRoot ?? KECCAK256_RLP, acc.codeHash));
    const c = code.get(bytesToHex(acc.codeHash).slice(2));
    if (c) await sm.putCode(address, c);
  }
  for (const [a, s, v] of w.storage) await sm.putStorage(toAddress(a), hexToBytes(`0x${s}`), v);
  if (w.coinbaseDelta) await credit(sm, undefined, w.coinbaseDelta.address, w.coinbaseDelta.amount, spuriousDragon);
}

/** rewardAccount (+ the EIP-161 cleanup when `cleanup`) on the Merkle state and the committed state. */
async function credit(sm: RecordingStateManager, committed: VersionedState | undefined, a: string, amount: bigint, cleanup: boolean): Promise<void> {
  const address = toAddress(a);
  const acc = (await sm.getAccount(address)) ?? new Account();
  acc.balance += amount;
  if (cleanup && acc.isEmpty()) await sm.deleteAccount(address);
  else await sm.putAccount(address, acc);
  committed?.apply(Number.MAX_SAFE_INTEGER, { cleared: [], accounts: [], storage: [], code: [], coinbaseDelta: { address: a, amount } }, cleanup);
}

/** Keys written since the last {@link DirtySet.applyTo}; their final values come from the committed state. */
class DirtySet {
  private accounts = new Set<string>();
  private cleared = new Set<string>();
  private slots = new Map<string, Set<string>>();
  private code = new Map<string, Uint8Array>();

  note(w: TxWrites): void {
    for (const a of w.cleared) {
      this.cleared.add(a);
      this.accounts.add(a);
    }
    for (const [h, c] of w.code) this.code.set(h, c);
    for (const [a] of w.accounts) this.accounts.add(a);
    for (const [a, s] of w.storage) {
      this.accounts.add(a);
      let set = this.slots.get(a);
      if (!set) this.slots.set(a, (set = new Set()));
      set.add(s);
    }
    if (w.coinbaseDelta) this.accounts.add(w.coinbaseDelta.address);
  }

  /** Accounts waiting to be written. */
  get size(): number {
    return this.accounts.size;
  }

  /**
   * Writes the final values of up to `limit` accounts (all by default) to the Merkle state: per
   * account the wipe first, then the account, then its slots. An account is self-contained here,
   * so the work can be split between calls; one written again later is simply written again with
   * its newer final values.
   */
  async applyTo(sm: RecordingStateManager, committed: VersionedState, limit = Infinity): Promise<void> {
    const all = this.accounts.size <= limit;
    const batch = all ? [...this.accounts].sort() : [...this.accounts].slice(0, limit);
    for (const a of batch) {
      const address = toAddress(a);
      if (this.cleared.has(a) && (await sm.getAccount(address))) await sm.clearStorage(address);
      const acc = committed.account(a);
      if (!acc) {
        if (await sm.getAccount(address)) await sm.deleteAccount(address);
        continue;
      }
      const cur = await sm.getAccount(address);
      await sm.putAccount(address, new Account(acc.nonce, acc.balance, cur?.storageRoot ?? KECCAK256_RLP, acc.codeHash));
      const c = this.code.get(bytesToHex(acc.codeHash).slice(2));
      if (c) await sm.putCode(address, c);
      for (const s of this.slots.get(a) ?? []) await sm.putStorage(address, hexToBytes(`0x${s}`), committed.slot(a, s));
    }
    if (all) {
      this.accounts.clear();
      this.cleared.clear();
      this.slots.clear();
      this.code.clear();
      return;
    }
    for (const a of batch) {
      this.accounts.delete(a);
      this.cleared.delete(a);
      this.slots.delete(a);
    }
  }
}

interface PoolWorker {
  worker: Worker;
  inFlight: number;
}

/** A pool of executor workers, reused across blocks. */
export class ParallelExecutor {
  private readonly inbox: { w: number; m: any }[] = [];
  private wake: (() => void) | undefined;
  private fatal: Error | undefined;
  /** The pre-state the workers hold. */
  private workerState: StateSnapshot | undefined;

  private constructor(
    private readonly pool: PoolWorker[],
    readonly options: Required<Omit<ExecutorOptions, 'storageChecker' | 'stateRootHasher' | 'keccakShadow'>> & { storageChecker: StorageChecker; stateRootHasher?: BatchHasher },
  ) {
    pool.forEach((p, w) => {
      p.worker.on('message', (m) => {
        if (m.type === 'fatal') this.fatal = new EvmFpgaError(`executor worker ${w} failed: ${String(m.error).split('\n')[0]}`, { details: m.error });
        this.inbox.push({ w, m });
        this.wake?.();
      });
      p.worker.on('error', (err) => {
        this.fatal = new EvmFpgaError(`executor worker ${w} crashed: ${err.message}`, { cause: err });
        this.wake?.();
      });
    });
  }

  static async create(opts: ExecutorOptions = {}): Promise<ParallelExecutor> {
    const workers = opts.workers ?? cpus().length;
    const pool: PoolWorker[] = [];
    for (let i = 0; i < workers; i++) pool.push({ worker: new Worker(new URL('./worker-entry.mjs', import.meta.url)), inFlight: 0 });
    const executor = new ParallelExecutor(pool, {
      workers,
      minParallelTxs: opts.minParallelTxs ?? 8,
      maxReexecutionShare: opts.maxReexecutionShare ?? 0.5,
      maxInFlight: opts.maxInFlight ?? 32,
      storageChecker: opts.storageChecker ?? createSoftwareStorageChecker(),
      ...(opts.stateRootHasher ? { stateRootHasher: opts.stateRootHasher } : {}),
    });
    // Wait until every worker has loaded the EVM, so the first block is not charged for it.
    for (let ready = 0; ready < workers; ) if ((await executor.next()).m.type === 'ready') ready++;
    if (opts.keccakShadow) {
      for (const p of pool) {
        const { port1, port2 } = new MessageChannel();
        p.worker.postMessage({ type: 'shadow', port: port2 } satisfies WorkerRequest, [port2]);
        opts.keccakShadow.attach(port1);
      }
    }
    return executor;
  }

  async close(): Promise<void> {
    await Promise.all(this.pool.map((p) => p.worker.terminate()));
  }

  private send(w: number, m: WorkerRequest): void {
    this.pool[w]!.worker.postMessage(m);
  }

  private async next(): Promise<{ w: number; m: any }> {
    for (;;) {
      if (this.fatal) throw this.fatal;
      const item = this.inbox.shift();
      if (item) return item;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }

  /** Executes one block; the result is identical to sequential runBlock. */
  async executeBlock(input: BlockInput): Promise<ParallelBlockResult> {
    const sm = input.stateManager ?? (await buildStateManager(input.preState));
    const tPrepare = performance.now();
    const main = await TxRunner.create(input.chain, input.blockRlp, input.blockHashes);
    const common = main.common;
    const block = main.block;
    const n = block.transactions.length;
    const spuriousDragon = common.gteHardfork('spuriousDragon');
    const byzantium = common.gteHardfork('byzantium');
    if (common.isActivatedEIP(2935) || (common.hardforkIsActiveOnBlock('dao', block.header.number) && block.header.number === common.hardforkBlock('dao'))) {
      throw new EvmFpgaError(`block ${block.header.number}: the parallel executor does not handle the DAO fork block or EIP-2935 yet`);
    }
    const checker = this.options.storageChecker;
    await checker.reset();
    const committed = new VersionedState(loadState(input.preState));
    let useWorkers = this.pool.length > 0 && n >= Math.max(1, this.options.minParallelTxs);
    const W = this.pool.length;
    if (useWorkers) {
      // Untimed, like building the Merkle state and decoding the block for a sequential run: the
      // workers index the pre-state (only when it changed) and decode the block.
      if (this.workerState !== input.preState) {
        for (let w = 0; w < W; w++) this.send(w, { type: 'state', preState: input.preState });
        this.workerState = input.preState;
      }
      for (let w = 0; w < W; w++) this.send(w, { type: 'block', chain: input.chain, blockRlp: input.blockRlp, blockHashes: input.blockHashes, spuriousDragon });
      for (let got = 0; got < W; ) if ((await this.next()).m.type === 'prepared') got++;
    }
    const t0 = performance.now();
    const stats: ExecutionStats = {
      mode: 'parallel',
      workers: this.pool.length,
      transactions: n,
      incarnations: 0,
      conflicts: 0,
      mainThreadExecutions: 0,
      ms: { prepare: t0 - tPrepare, total: 0, setup: 0, workerExecution: 0, mainExecution: 0, validation: 0, commit: 0, finalize: 0 },
    };

    // System step before the transactions: EIP-4788 beacon root (as accumulateParentBeaconBlockRoot).
    const system: TxWrites = { cleared: [], accounts: [], storage: [], code: [] };
    if (common.isActivatedEIP(4788)) {
      const beacon = committed.account(BEACON_ROOTS);
      if (beacon && committed.codeOf(bytesToHex(beacon.codeHash).slice(2))) {
        const len = BigInt(common.param('historicalRootsLength'));
        const ts = block.header.timestamp;
        const strip = (b: Uint8Array) => b.subarray(b.findIndex((x) => x !== 0) < 0 ? b.length : b.findIndex((x) => x !== 0));
        system.storage.push([BEACON_ROOTS, (ts % len).toString(16).padStart(64, '0'), strip(hexToBytes(`0x${ts.toString(16).padStart(64, '0')}`))]);
        system.storage.push([BEACON_ROOTS, ((ts % len) + len).toString(16).padStart(64, '0'), strip(block.header.parentBeaconBlockRoot!)]);
      }
    }
    committed.apply(-1, system, spuriousDragon);
    await applyToMerkle(sm, system, spuriousDragon);

    if (!useWorkers) {
      stats.mode = 'sequential-fallback';
      stats.fallbackReason = this.pool.length === 0 ? 'no workers' : 'tiny block';
    }

    // Sender recovery, in parallel in the workers, streamed: chunks in block order alternate
    // between workers, and each recovered chunk is forwarded to the other workers. A worker works
    // its chunks off between the other messages it gets, so transactions dispatched to it run as
    // soon as they arrive. A transaction can run (on the main thread at the head, or dispatched)
    // once the senders of it and of every earlier transaction are known, so execution, validation
    // and the main thread's Merkle work start while recovery goes on.
    const tSetup = performance.now();
    const chunks = Math.ceil(n / RECOVERY_CHUNK);
    const chunkDone = new Uint8Array(chunks);
    let known = useWorkers ? 0 : n;
    let knownChunks = 0;
    if (useWorkers) {
      for (let w = 0; w < W; w++) this.send(w, { type: 'commit', commits: [[-1, system]] });
      for (let k = 0; k < chunks; k++) {
        const indices = Array.from({ length: Math.min(n, (k + 1) * RECOVERY_CHUNK) - k * RECOVERY_CHUNK }, (_, j) => k * RECOVERY_CHUNK + j);
        this.send(k % W, { type: 'recover', indices });
      }
    } else stats.ms.setup = 0;

    // Same-sender chains: a transaction is dispatched only after its sender's previous one committed.
    const prevSameSender = new Int32Array(n).fill(-1);
    const lastOfSender = new Map<string, number>();
    const recovered = (w: number, pubkeys: [number, Uint8Array][]) => {
      main.setSenders(pubkeys);
      for (let v = 0; v < W; v++) if (v !== w) this.send(v, { type: 'senders', pubkeys });
      chunkDone[Math.floor(pubkeys[0]![0] / RECOVERY_CHUNK)] = 1;
      while (knownChunks < chunks && chunkDone[knownChunks]) {
        const end = Math.min(n, (knownChunks + 1) * RECOVERY_CHUNK);
        for (let i = known; i < end; i++) {
          const sender = block.transactions[i]!.getSenderAddress().toString();
          prevSameSender[i] = lastOfSender.get(sender) ?? -1;
          lastOfSender.set(sender, i);
        }
        known = end;
        knownChunks++;
      }
      if (known === n) stats.ms.setup = performance.now() - tSetup;
    };

    const results = new Map<number, TxOutcome>();
    const dispatched = new Uint8Array(n);
    let cursor = 0;
    const deferred: number[] = [];
    let c = 0;
    let gasUsed = 0n;
    let receiptGas = 0n;
    const receipts: ReceiptOutput[] = [];
    const bloom = new Uint8Array(256);
    let broadcast: [number, TxWrites][] = [];
    let unflushed = 0;
    let flushing = false;
    let window = Math.min(INITIAL_WINDOW, this.options.maxInFlight);
    // From Byzantium on no receipt needs an intermediate state root: committed writes reach the
    // Merkle state as final values of what changed, in batches (one write per key per batch, however
    // many transactions wrote it), when the main thread is idle and before finalisation.
    const dirty = new DirtySet();

    const dispatch = () => {
      if (!useWorkers) return;
      if (broadcast.length) {
        for (let w = 0; w < W; w++) this.send(w, { type: 'commit', commits: broadcast });
        broadcast = [];
      }
      for (;;) {
        const free = this.pool.findIndex((p) => p.inFlight < window);
        if (free < 0) return;
        let pick = -1;
        const d = deferred.findIndex((i) => prevSameSender[i]! < c);
        if (d >= 0) pick = deferred.splice(d, 1)[0]!;
        while (pick < 0 && cursor < known) {
          const i = cursor++;
          if (i <= c) continue; // the head is the main thread's
          if (hotDestinations.has(destination[i]!)) continue; // left to the main thread
          if (prevSameSender[i]! >= c) deferred.push(i);
          else pick = i;
        }
        if (pick < 0) return;
        if (pick <= c) continue;
        dispatched[pick] = 1;
        this.pool[free]!.inFlight++;
        this.send(free, { type: 'exec', tx: pick, incarnation: 0 });
      }
    };

    const runOnMain = async (tx: number, incarnation: number) => {
      const o = await main.run(tx, incarnation, committed);
      stats.incarnations++;
      stats.mainThreadExecutions++;
      stats.ms.mainExecution += o.ms;
      results.set(tx, o);
    };

    const commitOne = async (o: TxOutcome) => {
      const tx = block.transactions[o.tx]!;
      if (o.error !== undefined) throw new EvmFpgaError(`block ${block.header.number}: transaction ${o.tx} is invalid: ${o.error.split('\n')[0]}`);
      if (block.header.gasLimit < tx.gasLimit + gasUsed) throw new EvmFpgaError(`block ${block.header.number}: transaction ${o.tx} has a higher gas limit than the block`);
      committed.apply(o.tx, o.writes!, spuriousDragon);
      if (byzantium) dirty.note(o.writes!);
      else await applyToMerkle(sm, o.writes!, spuriousDragon);
      unflushed++;
      if (useWorkers) broadcast.push([o.tx, o.writes!]);
      gasUsed += o.blockGasSpent!;
      receiptGas += o.totalGasSpent!;
      const receipt: ReceiptOutput = { ...o.receipt!, cumulativeBlockGasUsed: receiptGas };
      if (!byzantium) receipt.stateRoot = await sm.getStateRoot();
      receipts.push(receipt);
      for (let i = 0; i < 256; i++) bloom[i]! |= receipt.bitvector[i]!;
    };

    // Contention, detected early. Per destination (`to`): once most speculative results sent to one
    // address failed validation, its later transactions are not dispatched (the main thread runs
    // them at the head, where they cannot conflict). Globally: once most speculative results failed
    // validation, dispatching stops altogether.
    const destination = block.transactions.map((tx) => tx.to?.toString() ?? 'create');
    const destValidated = new Map<string, number>();
    const destConflicts = new Map<string, number>();
    const hotDestinations = new Set<string>();
    let speculated = 0;
    const noteValidated = (tx: number, conflict: boolean) => {
      window = conflict ? Math.max(1, window >> 1) : Math.min(this.options.maxInFlight, window + 1);
      const d = destination[tx]!;
      const v = (destValidated.get(d) ?? 0) + 1;
      const k = (destConflicts.get(d) ?? 0) + (conflict ? 1 : 0);
      destValidated.set(d, v);
      destConflicts.set(d, k);
      if (k >= 4 && k > this.options.maxReexecutionShare * v) hotDestinations.add(d);
      speculated++;
    };

    while (c < n) {
      if (useWorkers && speculated >= 16 && stats.conflicts > this.options.maxReexecutionShare * speculated) {
        useWorkers = false;
        stats.mode = 'sequential-fallback';
        stats.fallbackReason = 'contention';
      }
      dispatch();
      if (results.has(c)) {
        const batch: TxOutcome[] = [];
        for (let i = c; results.has(i); i++) batch.push(results.get(i)!);
        const tv = performance.now();
        const verdict = await checker.check(batch.flatMap(recordsOf));
        stats.ms.validation += performance.now() - tv;
        const tc = performance.now();
        for (let k = 0; k < verdict.committed; k++) {
          if (batch[k]!.incarnation === 0 && dispatched[batch[k]!.tx]) noteValidated(batch[k]!.tx, false);
          await commitOne(batch[k]!);
          results.delete(c);
          c++;
        }
        stats.ms.commit += performance.now() - tc;
        if (verdict.invalidTx !== undefined) {
          const bad = results.get(verdict.invalidTx)!;
          if (bad.incarnation > 0 || !dispatched[bad.tx]) {
            throw new EvmFpgaError(`internal error: transaction ${bad.tx} executed on the committed state failed validation`);
          }
          stats.conflicts++;
          noteValidated(bad.tx, true);
          await runOnMain(bad.tx, bad.incarnation + 1);
        }
        continue;
      }
      if (!dispatched[c] && c < known) {
        await runOnMain(c, 0);
        continue;
      }
      if ((unflushed >= FLUSH_BATCH || flushing) && dirty.size && !this.inbox.length) {
        // Nothing to validate yet: move committed writes into the tries now (the state root at
        // the end then only hashes what is left) instead of idling while the workers execute; in
        // steps, so that results arriving meanwhile are validated and the workers fed between them.
        const tf = performance.now();
        await dirty.applyTo(sm, committed, FLUSH_STEP);
        await sm.flush();
        flushing = dirty.size > 0;
        unflushed = 0;
        stats.ms.commit += performance.now() - tf;
        // The Merkle state's calls resolve without returning to the event loop: let the workers'
        // messages in before the next step.
        if (flushing) await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      const { w, m } = await this.next();
      if (m.type === 'recovered') recovered(w, m.pubkeys);
      else if (m.type === 'result') {
        const o = m.outcome as TxOutcome;
        this.pool[w]!.inFlight--;
        stats.incarnations++;
        stats.ms.workerExecution += o.ms;
        results.set(o.tx, o);
      }
    }
    // Drain what is still in flight (only possible after a contention fallback), then release the block.
    while (this.pool.some((p) => p.inFlight > 0)) {
      const { w, m } = await this.next();
      if (m.type === 'result') this.pool[w]!.inFlight--;
    }
    if (stats.mode === 'parallel' || stats.fallbackReason === 'contention') for (let w = 0; w < W; w++) this.send(w, { type: 'end' });

    // After the transactions: withdrawals (with cleanup), then PoW rewards, as runBlock.
    const tf = performance.now();
    await dirty.applyTo(sm, committed);
    if (common.isActivatedEIP(4895)) {
      for (const wd of block.withdrawals ?? []) await credit(sm, committed, bytesToHex(wd.address.bytes).slice(2), wd.amount * 1_000_000_000n, spuriousDragon);
    }
    if (common.consensusType() === 'pow') {
      const minerReward = BigInt(common.param('minerReward'));
      for (const ommer of block.uncleHeaders) {
        let r = ((8n - (block.header.number - ommer.number)) * minerReward) / 8n;
        if (r < 0n) r = 0n;
        await credit(sm, committed, bytesToHex(ommer.coinbase.bytes).slice(2), r, false);
      }
      const reward = minerReward + (minerReward / 32n) * BigInt(block.uncleHeaders.length);
      await credit(sm, committed, bytesToHex(block.header.coinbase.bytes).slice(2), reward, false);
    }
    const offload = this.options.stateRootHasher ? await offloadStateRoot(committed.snapshot(), this.options.stateRootHasher) : undefined;
    if (offload) stats.hashOffload = offload.stats;
    const stateRoot = offload?.root ?? (await sm.getStateRoot());
    let receiptsRoot = KECCAK256_RLP;
    if (n) {
      const trie = new MerklePatriciaTrie({ common });
      for (const [i, r] of receipts.entries()) await trie.put(RLP.encode(i), encodeReceipt(r as never, block.transactions[i]!.type));
      receiptsRoot = trie.root();
    }
    stats.ms.finalize = performance.now() - tf;
    stats.ms.total = performance.now() - t0;
    return { outputs: { stateRoot, receiptsRoot, gasUsed, logsBloom: bloom, receipts, postState: committed.snapshot() }, stats };
  }

  /** Executes every block of a case from its pre-state, in order. */
  async executeCase(c: ExecutionCase): Promise<ParallelBlockResult[]> {
    let pre = c.preState;
    const sm = await buildStateManager(pre);
    const out: ParallelBlockResult[] = [];
    for (const blockRlp of c.blocksRlp) {
      const r = await this.executeBlock({ chain: c.chain, blockRlp, preState: pre, blockHashes: c.blockHashes, stateManager: sm });
      out.push(r);
      pre = r.outputs.postState;
    }
    return out;
  }
}

/** Creates a worker pool; close it when done. */
export function createExecutor(opts: ExecutorOptions = {}): Promise<ParallelExecutor> {
  return ParallelExecutor.create(opts);
}

/** Executes one block in parallel with a pool made for the occasion. */
export async function executeBlock(input: BlockInput, opts: ExecutorOptions = {}): Promise<ParallelBlockResult> {
  const executor = await createExecutor(opts);
  try {
    return await executor.executeBlock(input);
  } finally {
    await executor.close();
  }
}
