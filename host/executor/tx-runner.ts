/**
 * Runs one transaction of a block speculatively with runTx on an {@link OverlayStateManager} over a
 * {@link VersionedState}, and returns what it read (with versions), what it wrote, and what the
 * receipt needs. Used by the workers and, for re-executions, by the main thread.
 */
import { createBlockFromRLP, type Block } from '@ethereumjs/block';
import { createVM, runTx, type VM } from '@ethereumjs/vm';
import { bytesToHex } from '@ethereumjs/util';
import { createCommon } from './chain.ts';
import { keccakPhase } from './keccak.ts';
import { OverlayStateManager } from './overlay-state-manager.ts';
import { blockHashSource } from './sequential.ts';
import type { TxWrites, VersionedState } from './versioned-state.ts';
import type { ChainSpec, ReceiptOutput } from './types.ts';

/** The outcome of one incarnation of one transaction. */
export interface TxOutcome {
  tx: number;
  incarnation: number;
  /** Access key → version read. */
  reads: [string, number][];
  /** Set when runTx threw (e.g. a nonce it could not yet see): valid reads make the block invalid. */
  error?: string;
  writes?: TxWrites;
  totalGasSpent?: bigint;
  blockGasSpent?: bigint;
  /** Receipt without cumulative gas (set at commit). */
  receipt?: Omit<ReceiptOutput, 'cumulativeBlockGasUsed'>;
  ms: number;
}

export class TxRunner {
  private constructor(
    readonly block: Block,
    private readonly vm: VM,
    private readonly overlay: OverlayStateManager,
  ) {}

  static async create(chain: ChainSpec, blockRlp: Uint8Array, blockHashes: Map<bigint, Uint8Array>): Promise<TxRunner> {
    const common = await createCommon(chain);
    const block = createBlockFromRLP(blockRlp, { common });
    const overlay = new OverlayStateManager();
    const vm = await createVM({ common, stateManager: overlay, blockchain: blockHashSource(blockHashes) as never });
    // Phase tracking for the beneficiary delta: runTx calls vm.evm.runCall between the sender
    // debit and the refunds/fee credit.
    const evm = vm.evm as unknown as { runCall: (o: unknown) => Promise<unknown> };
    const runCall = evm.runCall.bind(vm.evm);
    evm.runCall = async (o) => {
      overlay.phase = 'exec';
      keccakPhase.evm = true; // shadow verification attributes Keccak calls to the EVM meanwhile
      try {
        return await runCall(o);
      } finally {
        overlay.phase = 'post';
        keccakPhase.evm = false;
      }
    };
    return new TxRunner(block, vm, overlay);
  }

  /** The VM's Common (with the VM's parameters registered). */
  get common() {
    return this.vm.common;
  }

  /** Installs recovered sender public keys (64 bytes) so runTx does not recover them again. */
  setSenders(pubkeys: [number, Uint8Array][]): void {
    for (const [i, pk] of pubkeys) (this.block.transactions[i] as unknown as { cache: { senderPubKey?: Uint8Array } }).cache.senderPubKey = pk;
  }

  /** Recovers the sender public keys of transactions `indices`. */
  recoverSenders(indices: number[]): [number, Uint8Array][] {
    return indices.map((i) => [i, this.block.transactions[i]!.getSenderPublicKey()]);
  }

  async run(tx: number, incarnation: number, base: VersionedState): Promise<TxOutcome> {
    const t0 = performance.now();
    const coinbase = bytesToHex(this.block.header.coinbase.bytes).slice(2);
    this.overlay.reset(base, coinbase);
    try {
      const r = await runTx(this.vm, {
        tx: this.block.transactions[tx]!,
        block: this.block,
        skipBlockGasLimitValidation: true,
        blockGasUsed: 0n,
      });
      const rec = r.receipt as unknown as Record<string, unknown>;
      const receipt: TxOutcome['receipt'] = { logs: rec.logs as ReceiptOutput['logs'], bitvector: rec.bitvector as Uint8Array };
      if (rec.status !== undefined) receipt.status = rec.status as 0 | 1;
      if (rec.blobGasUsed !== undefined) receipt.blobGasUsed = rec.blobGasUsed as bigint;
      if (rec.blobGasPrice !== undefined) receipt.blobGasPrice = rec.blobGasPrice as bigint;
      return {
        tx,
        incarnation,
        reads: [...this.overlay.reads],
        writes: this.overlay.collectWrites(),
        totalGasSpent: r.totalGasSpent,
        blockGasSpent: r.blockGasSpent,
        receipt,
        ms: performance.now() - t0,
      };
    } catch (err) {
      return { tx, incarnation, reads: [...this.overlay.reads], error: (err as Error).message, ms: performance.now() - t0 };
    }
  }
}
