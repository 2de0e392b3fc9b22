/**
 * The executor's one internal input format. Every loader (ethereum/tests BlockchainTests JSON,
 * mainnet block directories, later synthetic workloads) produces an {@link ExecutionCase}; the
 * sequential reference and the parallel executor both consume it.
 */
import type { Block } from '@ethereumjs/block';

/**
 * What a worker thread needs to rebuild the same `Common` (it cannot be sent across threads).
 * The chain is always Ethereum mainnet's parameters (chain id 1); `hardfork` is fixed per block.
 */
export interface ChainSpec {
  /** Hardfork name as `@ethereumjs/common` spells it (`'cancun'`, `'berlin'`, ...). */
  hardfork: string;
  /** Load a KZG implementation (needed to decode blob transactions). */
  kzg: boolean;
}

/** One account of a state snapshot. */
export interface AccountState {
  nonce: bigint;
  balance: bigint;
  code: Uint8Array;
  /** Slot (64 lowercase hex digits, no 0x) → value (no leading zero bytes; zero values absent). */
  storage: Map<string, Uint8Array>;
}

/** A state snapshot: address (40 lowercase hex digits, no 0x) → account. Absent = no account. */
export type StateSnapshot = Map<string, AccountState>;

/** What a fixture says the block must produce (fields the source cannot vouch for are absent). */
export interface ExpectedBlock {
  stateRoot?: Uint8Array;
  receiptsRoot?: Uint8Array;
  gasUsed: bigint;
  logsBloom: Uint8Array;
}

/** One runnable case: a chain configuration, a pre-state, blocks to run in order, expectations. */
export interface ExecutionCase {
  /** Human-readable name (`file.json:testName` or `mainnet/12300570`). */
  name: string;
  source: 'blockchain-test' | 'mainnet';
  /** File or directory it was loaded from. */
  path: string;
  chain: ChainSpec;
  preState: StateSnapshot;
  /** Expected root of `preState` when the source states it (ethereum/tests genesis). */
  preStateRoot?: Uint8Array;
  /** Blocks as RLP (decoded with the chain's Common by {@link decodeBlocks}). */
  blocksRlp: Uint8Array[];
  expected: ExpectedBlock[];
  /** BLOCKHASH source: block number → hash. Blocks of the case are added as they are known. */
  blockHashes: Map<bigint, Uint8Array>;
  /** ethereum/tests `postState` after the last block, when present. */
  postState?: StateSnapshot;
}

/** One receipt in the comparable form. */
export interface ReceiptOutput {
  /** 1 success, 0 failure; absent before Byzantium (legacy receipts carry `stateRoot`). */
  status?: 0 | 1;
  stateRoot?: Uint8Array;
  cumulativeBlockGasUsed: bigint;
  logs: [Uint8Array, Uint8Array[], Uint8Array][];
  bitvector: Uint8Array;
  blobGasUsed?: bigint;
  blobGasPrice?: bigint;
}

/** The comparable result of executing one block, sequentially or in parallel. */
export interface BlockOutputs {
  stateRoot: Uint8Array;
  receiptsRoot: Uint8Array;
  gasUsed: bigint;
  logsBloom: Uint8Array;
  receipts: ReceiptOutput[];
  /** Every account that exists after the block (within the touched + pre-state address set). */
  postState: StateSnapshot;
}

export type { Block };
