/**
 * The worker-thread half of shadow verification: installs this thread's Keccak tap and streams the
 * recorded pairs to the main thread's {@link ShadowVerifier} over a MessagePort, in batches of
 * `batchPairs` (buffers transferred, not copied), and on a `flush` request sends what it holds
 * followed by `flushed`.
 */
import type { MessagePort } from 'node:worker_threads';
import { setKeccakTap } from '../executor/keccak.ts';
import { PairBuffer, batchTransfer, type PairBatch } from './pairs.ts';

/** Main → worker over the shadow port. */
export interface ShadowFlushRequest {
  type: 'flush';
  id: number;
}

/** Worker → main over the shadow port. */
export type ShadowPortMessage = { type: 'pairs'; batch: PairBatch } | { type: 'flushed'; id: number };

/** Pairs per message unless told otherwise. */
export const DEFAULT_BATCH_PAIRS = 4096;

/** Records this thread's Keccak calls and streams them to `port`. */
export function recordToPort(port: MessagePort, batchPairs = DEFAULT_BATCH_PAIRS): void {
  const buffer = new PairBuffer();
  const send = () => {
    if (!buffer.length) return;
    const batch = buffer.take();
    port.postMessage({ type: 'pairs', batch } satisfies ShadowPortMessage, batchTransfer(batch));
  };
  setKeccakTap((source, input, digest) => {
    buffer.push(source, input, digest);
    if (buffer.length >= batchPairs) send();
  });
  port.on('message', (m: ShadowFlushRequest) => {
    if (m.type !== 'flush') return;
    send();
    port.postMessage({ type: 'flushed', id: m.id } satisfies ShadowPortMessage);
  });
}
