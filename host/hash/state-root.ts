/**
 * The state root of a whole {@link StateSnapshot} through a {@link BatchHasher}, in three phases:
 * (1) one batch with every trie key (keccak of each address and each storage slot) and every code
 * hash; (2) all storage tries together, level by level; (3) the account trie, whose leaves carry
 * the storage roots and code hashes, level by level. The result equals the root `@ethereumjs/mpt`
 * (and so `MerkleStateManager.getStateRoot`) gives for the same state.
 */
import { RLP } from '@ethereumjs/rlp';
import { Account, KECCAK256_NULL, KECCAK256_RLP, hexToBytes } from '@ethereumjs/util';
import type { StateSnapshot } from '../executor/types.ts';
import { diffHashStats, type BatchHashStats, type BatchHasher } from './batch-hasher.ts';
import { trieRoots, type TrieEntry, type TrieLevel } from './trie.ts';

/** How a state root was computed. */
export interface StateRootReport {
  root: Uint8Array;
  accounts: number;
  slots: number;
  /** Contracts whose code was hashed. */
  codes: number;
  /** hashBatch calls: the key/code batch, then one per storage level and per account level. */
  batches: number[];
  storageLevels: TrieLevel[];
  accountLevels: TrieLevel[];
  /** The hasher's statistics over this computation (hashes, bytes, device cycles, …). */
  hashing: BatchHashStats;
}

/** The Merkle-Patricia state root of `snapshot`, hashing through `hasher`. */
export async function stateRootOf(snapshot: StateSnapshot, hasher: BatchHasher): Promise<StateRootReport> {
  const before = hasher.stats;
  const accounts = [...snapshot];
  // Phase 1: keys and code hashes, one batch.
  const inputs: Uint8Array[] = [];
  const slotStart: number[] = [];
  const codeAt: number[] = [];
  for (const [address] of accounts) inputs.push(hexToBytes(`0x${address}`));
  let slots = 0;
  for (const [, acc] of accounts) {
    slotStart.push(inputs.length);
    for (const slot of acc.storage.keys()) inputs.push(hexToBytes(`0x${slot}`));
    slots += acc.storage.size;
  }
  for (const [, acc] of accounts) {
    codeAt.push(acc.code.length ? inputs.length : -1);
    if (acc.code.length) inputs.push(acc.code);
  }
  const batches: number[] = [];
  const digests = inputs.length ? await hasher.hashBatch(inputs) : [];
  if (inputs.length) batches.push(inputs.length);
  // Phase 2: every storage trie, level by level.
  const withStorage = accounts.map((a, i) => i).filter((i) => accounts[i]![1].storage.size > 0);
  const storageTries = withStorage.map((i) => {
    const [, acc] = accounts[i]!;
    let k = slotStart[i]!;
    const entries: TrieEntry[] = [];
    for (const value of acc.storage.values()) entries.push({ key: digests[k++]!, value: RLP.encode(value) });
    return entries;
  });
  const storage = await trieRoots(storageTries, hasher);
  for (const l of storage.levels) if (l.hashed) batches.push(l.hashed);
  const storageRoot = new Map<number, Uint8Array>();
  withStorage.forEach((i, k) => storageRoot.set(i, storage.roots[k]!));
  // Phase 3: the account trie.
  const entries: TrieEntry[] = accounts.map(([, acc], i) => ({
    key: digests[i]!,
    value: new Account(acc.nonce, acc.balance, storageRoot.get(i) ?? KECCAK256_RLP, codeAt[i]! >= 0 ? digests[codeAt[i]!]! : KECCAK256_NULL).serialize(),
  }));
  const account = await trieRoots([entries], hasher);
  for (const l of account.levels) if (l.hashed) batches.push(l.hashed);
  return {
    root: account.roots[0]!,
    accounts: accounts.length,
    slots,
    codes: codeAt.filter((c) => c >= 0).length,
    batches,
    storageLevels: storage.levels,
    accountLevels: account.levels,
    hashing: diffHashStats(hasher.stats, before),
  };
}

/** What the executor reports about a state root computed through a {@link BatchHasher}. */
export interface StateRootOffload extends BatchHashStats {
  /** The hasher's name (`software` or the device spec). */
  hasher: string;
  accounts: number;
  slots: number;
  /** Inputs per hashBatch call, in order (keys and code, storage levels, account levels). */
  batchSizes: number[];
}

/** {@link stateRootOf} in the form the executor's statistics carry. */
export async function offloadStateRoot(snapshot: StateSnapshot, hasher: BatchHasher): Promise<{ root: Uint8Array; stats: StateRootOffload }> {
  const r = await stateRootOf(snapshot, hasher);
  return { root: r.root, stats: { hasher: hasher.name, accounts: r.accounts, slots: r.slots, batchSizes: r.batches, ...r.hashing } };
}
