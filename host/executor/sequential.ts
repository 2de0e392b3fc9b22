/**
 * The sequential reference: `runBlock` of @ethereumjs/vm on a recording Merkle state, producing
 * the comparable {@link BlockOutputs} (roots, receipts, gas, bloom, full post-state dump).
 */
import { createBlockFromRLP, type Block } from '@ethereumjs/block';
import { createVM, runBlock } from '@ethereumjs/vm';
import type { Common } from '@ethereumjs/common';
import { createCommon } from './chain.ts';
import { buildStateManager, dumpState, type RecordingStateManager } from './state.ts';
import type { BlockOutputs, ExecutionCase, ReceiptOutput, StateSnapshot } from './types.ts';

/** A BLOCKHASH source for the VM: only `getBlock(n).hash()` is used. */
export function blockHashSource(hashes: Map<bigint, Uint8Array>) {
  const zero = new Uint8Array(32);
  return {
    getBlock: async (n: number | bigint) => ({ hash: () => hashes.get(BigInt(n)) ?? zero }),
    putBlock: async () => {},
    shallowCopy() {
      return this;
    },
  };
}

/** Decodes a case's blocks with `common`. */
export function decodeBlocks(c: ExecutionCase, common: Common): Block[] {
  return c.blocksRlp.map((rlp) => createBlockFromRLP(rlp, { common }));
}

/** Converts a runBlock/runTx receipt into the comparable form. */
export function toReceiptOutput(r: Record<string, unknown>): ReceiptOutput {
  const out: ReceiptOutput = {
    cumulativeBlockGasUsed: r.cumulativeBlockGasUsed as bigint,
    logs: r.logs as ReceiptOutput['logs'],
    bitvector: r.bitvector as Uint8Array,
  };
  if (r.status !== undefined) out.status = r.status as 0 | 1;
  if (r.stateRoot !== undefined) out.stateRoot = r.stateRoot as Uint8Array;
  if (r.blobGasUsed !== undefined) out.blobGasUsed = r.blobGasUsed as bigint;
  if (r.blobGasPrice !== undefined) out.blobGasPrice = r.blobGasPrice as bigint;
  return out;
}

/** One block's sequential result plus the time runBlock took (ms, state already loaded). */
export interface SequentialBlockResult {
  outputs: BlockOutputs;
  ms: number;
}

/**
 * Runs one block with runBlock on `sm` (mutated), returning outputs and time. `pre` is the
 * snapshot `sm` was built from (its addresses are part of the dump).
 */
export async function runBlockSequential(
  common: Common,
  sm: RecordingStateManager,
  pre: StateSnapshot,
  block: Block,
  blockHashes: Map<bigint, Uint8Array>,
): Promise<SequentialBlockResult> {
  const vm = await createVM({ common, stateManager: sm, blockchain: blockHashSource(blockHashes) as never });
  const t0 = performance.now();
  const r = await runBlock(vm, { block, generate: true, skipBlockValidation: true, skipHeaderValidation: true });
  const ms = performance.now() - t0;
  return {
    ms,
    outputs: {
      stateRoot: r.stateRoot,
      receiptsRoot: r.receiptsRoot,
      gasUsed: r.gasUsed,
      logsBloom: r.logsBloom,
      receipts: r.receipts.map((x) => toReceiptOutput(x as never)),
      postState: await dumpState(sm, pre),
    },
  };
}

/** Runs every block of a case sequentially from its pre-state. */
export async function runCaseSequential(c: ExecutionCase): Promise<SequentialBlockResult[]> {
  const common = await createCommon(c.chain);
  const blocks = decodeBlocks(c, common);
  let pre = c.preState;
  const sm = await buildStateManager(pre, common);
  const out: SequentialBlockResult[] = [];
  for (const block of blocks) {
    const r = await runBlockSequential(common, sm, pre, block, c.blockHashes);
    out.push(r);
    pre = r.outputs.postState;
  }
  return out;
}
