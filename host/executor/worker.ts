/**
 * A speculative-execution worker. Per block it keeps a replica of the committed state, brought up
 * to date by commit messages (applied in block order), and runs the transactions it is sent
 * against the newest state it has. Messages are processed strictly in arrival order.
 */
import { parentPort } from 'node:worker_threads';
import { TxRunner } from './tx-runner.ts';
import { VersionedState, type TxWrites } from './versioned-state.ts';
import type { ChainSpec, StateSnapshot } from './types.ts';

export type WorkerRequest =
  | { type: 'block'; chain: ChainSpec; blockRlp: Uint8Array; blockHashes: Map<bigint, Uint8Array>; preState: StateSnapshot; spuriousDragon: boolean; recover: number[] }
  | { type: 'senders'; pubkeys: [number, Uint8Array][] }
  | { type: 'commit'; commits: [number, TxWrites][] }
  | { type: 'exec'; tx: number; incarnation: number }
  | { type: 'end' };

let runner: TxRunner | undefined;
let state: VersionedState | undefined;
let spuriousDragon = true;
let queue = Promise.resolve();

async function handle(m: WorkerRequest): Promise<void> {
  switch (m.type) {
    case 'block': {
      runner = await TxRunner.create(m.chain, m.blockRlp, m.blockHashes);
      state = new VersionedState(m.preState);
      spuriousDragon = m.spuriousDragon;
      parentPort!.postMessage({ type: 'recovered', pubkeys: runner.recoverSenders(m.recover) });
      return;
    }
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
      runner = undefined;
      state = undefined;
  }
}

parentPort!.on('message', (m: WorkerRequest) => {
  queue = queue.then(() => handle(m)).catch((err) => parentPort!.postMessage({ type: 'fatal', error: String((err as Error)?.stack ?? err) }));
});

parentPort!.postMessage({ type: 'ready' });
