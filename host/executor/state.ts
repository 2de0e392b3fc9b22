/**
 * State snapshots ↔ `@ethereumjs/statemanager`: building a Merkle state from a snapshot, a state
 * manager subclass that records every address and slot written (for a full post-state dump), and
 * the dump itself.
 */
import { MerklePatriciaTrie } from '@ethereumjs/mpt';
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager';
import { Account, Address, MapDB, ValueEncoding, bytesToHex, equalsBytes, hexToBytes, setLengthLeft } from '@ethereumjs/util';
import { keccakFor } from './keccak.ts';
import type { Common } from '@ethereumjs/common';
import type { AccountState, StateSnapshot } from './types.ts';

const addr = (a: string) => new Address(hexToBytes(`0x${a}`));
const hexOf = (a: Address) => bytesToHex(a.bytes).slice(2);

/**
 * A MerkleStateManager that remembers which accounts and slots were written. Recording happens
 * by subclassing: the EVM calls these methods on the instance, including through bound references.
 */
export class RecordingStateManager extends MerkleStateManager {
  readonly writtenAccounts = new Set<string>();
  readonly writtenSlots = new Map<string, Set<string>>();

  override async putAccount(address: Address, account?: Account): Promise<void> {
    this.writtenAccounts.add(hexOf(address));
    return super.putAccount(address, account);
  }
  override async deleteAccount(address: Address): Promise<void> {
    this.writtenAccounts.add(hexOf(address));
    return super.deleteAccount(address);
  }
  override async putCode(address: Address, value: Uint8Array): Promise<void> {
    this.writtenAccounts.add(hexOf(address));
    return super.putCode(address, value);
  }
  override async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    const a = hexOf(address);
    this.writtenAccounts.add(a);
    let slots = this.writtenSlots.get(a);
    if (!slots) this.writtenSlots.set(a, (slots = new Set()));
    slots.add(bytesToHex(setLengthLeft(key, 32)).slice(2));
    return super.putStorage(address, key, value);
  }
}

/**
 * A fresh recording Merkle state (with caches) holding `snapshot`. The trie hashes with the wasm
 * Keccak and stores nodes as bytes: by default a storage trie (a shallow copy of the account trie)
 * inherits the string value encoding and hex-decodes every node it reads, and the JavaScript Keccak
 * dominates state-root computation. Sequential and parallel runs both use this state manager.
 */
export async function buildStateManager(snapshot: StateSnapshot, common?: Common): Promise<RecordingStateManager> {
  const trie = new MerklePatriciaTrie({ useKeyHashing: true, useKeyHashingFunction: keccakFor('trie'), db: new MapDB(), valueEncoding: ValueEncoding.Bytes });
  const sm = new RecordingStateManager({ caches: new Caches(), trie, ...(common ? { common } : {}) });
  for (const [a, acc] of snapshot) {
    const address = addr(a);
    await sm.putAccount(address, new Account(acc.nonce, acc.balance));
    if (acc.code.length) await sm.putCode(address, acc.code);
    for (const [slot, value] of acc.storage) await sm.putStorage(address, hexToBytes(`0x${slot}`), value);
  }
  await sm.flush();
  sm.writtenAccounts.clear();
  sm.writtenSlots.clear();
  return sm;
}

/** Every existing account among `pre`'s addresses and those `sm` wrote, with its code and storage. */
export async function dumpState(sm: RecordingStateManager, pre: StateSnapshot): Promise<StateSnapshot> {
  const out: StateSnapshot = new Map();
  const addresses = new Set([...pre.keys(), ...sm.writtenAccounts]);
  for (const a of [...addresses].sort()) {
    const address = addr(a);
    const account = await sm.getAccount(address);
    if (!account) continue;
    const storage = new Map<string, Uint8Array>();
    const slots = new Set([...(pre.get(a)?.storage.keys() ?? []), ...(sm.writtenSlots.get(a) ?? [])]);
    for (const s of [...slots].sort()) {
      const v = await sm.getStorage(address, hexToBytes(`0x${s}`));
      if (v.length && v.some((b) => b !== 0)) storage.set(s, stripZeros(v));
    }
    out.set(a, { nonce: account.nonce, balance: account.balance, code: await sm.getCode(address), storage });
  }
  return out;
}

export function stripZeros(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length && v[i] === 0) i++;
  return v.subarray(i);
}

/** The first difference between two snapshots, or null when they are equal. */
export function diffSnapshots(a: StateSnapshot, b: StateSnapshot): string | null {
  const keys = new Set([...a.keys(), ...b.keys()]);
  for (const k of [...keys].sort()) {
    const x = a.get(k);
    const y = b.get(k);
    if (!x || !y) return `account 0x${k} ${x ? 'missing on the right' : 'missing on the left'}`;
    if (x.nonce !== y.nonce) return `account 0x${k} nonce ${x.nonce} != ${y.nonce}`;
    if (x.balance !== y.balance) return `account 0x${k} balance ${x.balance} != ${y.balance}`;
    if (!equalsBytes(x.code, y.code)) return `account 0x${k} code differs`;
    const slots = new Set([...x.storage.keys(), ...y.storage.keys()]);
    for (const s of slots) {
      const u = x.storage.get(s) ?? new Uint8Array();
      const v = y.storage.get(s) ?? new Uint8Array();
      if (!equalsBytes(u, v)) return `account 0x${k} slot 0x${s}: ${bytesToHex(u)} != ${bytesToHex(v)}`;
    }
  }
  return null;
}

export type { AccountState };
