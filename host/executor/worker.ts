/**
 * A speculative-execution worker. It holds the pre-state (sent once, before the block, like the
 * Merkle state of a sequential run); per block it keeps a replica of the committed state over it,
 * brought up to date by commit messages (applied in block order), and runs the transactions it is
 * sent against the newest state it has. Messages are processed strictly in arrival order.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { recordToPort } from '../hash/shadow-worker.ts';
import { TxRunner } from './tx-runner.ts';
import { LoadedState, VersionedState, type TxWrites } from './versioned-state.ts';
import type { ChainSpec, StateSnapshot } from './types.ts';

export type WorkerRequest =
  | { type: 'state'; preState: StateSnapshot }
  | { type: 'block'; chain: ChainSpec; blockRlp: Uint8Array; blockHashes: Map<bigint, Uint8Array>; spuriousDragon: boolean }
  | { type: 'recover'; indices: number[] }
  | { type: 'senders'; pubkeys: [number, Uint8Array][] }
  | { type: 'commit'; commits: [number, TxWrites][] }
  | { type: 'exec'; tx: number; incarnation: number }
  | { type: 'end' }
  /** Shadow verification: record this thread's Keccak calls and stream them to `port`. */
  | { type: 'shadow'; port: MessagePort };

let loaded: LoadedState | undefined;
let runner: TxRunner | undefined;
let state: VersionedState | undefined;
let spuriousDragon = true;
let queue = Promise.resolve();
/**
 * Sender-recovery chunks not yet done. They are worked off one per turn of the event loop, after
 * whatever messages arrived meanwhile, so a worker given the whole block's recovery up front still
 * executes the transactions dispatched to it as soon as they come.
 */
const recoveries: number[][] = [];
let pumping = false;

const fatal = (err: unknown) => parentPort!.postMessage({ type: 'fatal', error: String((err as Error)?.stack ?? err) });

function pumpRecovery(): void {
  if (pumping || !recoveries.length) return;
  pumping = true;
  setImmediate(() => {
    queue = queue
      .then(() => {
        pumping = false;
        const indices = recoveries.shift();
        if (indices && runner) parentPort!.postMessage({ type: 'recovered', pubkeys: runner.recoverSenders(indices) });
        pumpRecovery();
      })
      .catch(fatal);
  });
}

async function handle(m: WorkerRequest): Promise<void> {
  switch (m.type) {
    case 'shadow':
      recordToPort(m.port);
      return;
    case 'state':
      // The pre-state, indexed once; blocks starting from it get a fresh overlay each.
      loaded = new LoadedState(m.preState);
      return;
    case 'block': {
      runner = await TxRunner.create(m.chain, m.blockRlp, m.blockHashes);
      state = new VersionedState(loaded!);
      spuriousDragon = m.spuriousDragon;
      parentPort!.postMessage({ type: 'prepared' });
      return;
    }
    case 'recover':
      recoveries.push(m.indices);
      pumpRecovery();
      return;
    case 'senders':
      runner!.setSenders(m.pubkeys);
      return;
    case 'commit':
      for (const [tx, w] of m.commits) state!.apply(tx, w, spuriousDragon);
      return;
    case 'exec':
      parentPort!.postMessage({ type: 'result', outcome: await runner!.run(m.tx, m.incarnation, state!) });
      return;
    case 'end':
      recoveries.length = 0;
      runner = undefined;
      state = undefined;
  }
}

parentPort!.on('message', (m: WorkerRequest) => {
  queue = queue.then(() => handle(m)).catch(fatal);
});

parentPort!.postMessage({ type: 'ready' });
