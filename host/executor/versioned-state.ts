/**
 * The committed state of a block in progress, with versions: for every access key the index of
 * the transaction that last wrote it (-1: the pre-state). The main thread keeps the authoritative
 * copy; every worker keeps a replica that it brings up to date from the commit messages, in
 * block order. Access keys (strings): `a<addr>` an account (nonce, balance, code hash, existence),
 * `s<addr><slot>` a storage slot, `e<addr>` an account's storage epoch (written when the storage is
 * wiped: account deleted, contract created over it).
 *
 * A block's committed state is an overlay over a {@link LoadedState}: the pre-state indexed once
 * and never modified, so it can be loaded into the workers before a block (like the Merkle state of
 * a sequential run) and reused by any number of blocks or runs that start from it.
 */
import { keccak256, keccakFor } from './keccak.ts';

const codeKeccak256 = keccakFor('code');
import type { StateSnapshot } from './types.ts';

/** The account fields the EVM sees (storage lives separately). */
export interface AccountData {
  nonce: bigint;
  balance: bigint;
  /** keccak256 of the code (KECCAK256_NULL for none). */
  codeHash: Uint8Array;
}

/** A transaction's effects: final values of what it changed. Sent between threads. */
export interface TxWrites {
  /** Addresses whose storage was wiped before the slot writes below (deletion, creation). */
  cleared: string[];
  /** Final account values; null = deleted. */
  accounts: [string, AccountData | null][];
  /** Final slot values (address, slot, value without leading zeros; empty = zero). */
  storage: [string, string, Uint8Array][];
  /** New code by code hash (hex without 0x). */
  code: [string, Uint8Array][];
  /** The beneficiary's fee credit, applied as a delta in block order (see docs/parallel-execution.md). */
  coinbaseDelta?: { address: string; amount: bigint };
}

export const KECCAK256_NULL = keccak256(new Uint8Array());
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A pre-state indexed for execution (immutable once built). */
export class LoadedState {
  readonly accounts = new Map<string, AccountData>();
  readonly storage = new Map<string, Map<string, Uint8Array>>();
  readonly code = new Map<string, Uint8Array>();

  constructor(pre: StateSnapshot) {
    for (const [a, acc] of pre) {
      const codeHash = acc.code.length ? codeKeccak256(acc.code) : KECCAK256_NULL;
      if (acc.code.length) this.code.set(hex(codeHash), acc.code);
      this.accounts.set(a, { nonce: acc.nonce, balance: acc.balance, codeHash });
      if (acc.storage.size) this.storage.set(a, acc.storage);
    }
  }
}

const loaded = new WeakMap<StateSnapshot, LoadedState>();

/** The {@link LoadedState} of a snapshot, built once per snapshot object. */
export function loadState(pre: StateSnapshot): LoadedState {
  let l = loaded.get(pre);
  if (!l) loaded.set(pre, (l = new LoadedState(pre)));
  return l;
}

export class VersionedState {
  private readonly accounts = new Map<string, AccountData | null>();
  /** Written slots (an empty value masks the base). */
  private readonly storage = new Map<string, Map<string, Uint8Array>>();
  /** Addresses whose base storage was wiped. */
  private readonly wiped = new Set<string>();
  /** Non-empty slots of addresses written this block (others: the base's count). */
  private readonly nonEmpty = new Map<string, number>();
  private readonly code = new Map<string, Uint8Array>();
  /** Access key → last writer (absent = -1, the pre-state). */
  readonly versions = new Map<string, number>();
  readonly base: LoadedState;

  constructor(pre: StateSnapshot | LoadedState) {
    this.base = pre instanceof LoadedState ? pre : loadState(pre);
  }

  version(key: string): number {
    return this.versions.get(key) ?? -1;
  }

  account(a: string): AccountData | null {
    const o = this.accounts.get(a);
    if (o !== undefined) return o;
    return this.base.accounts.get(a) ?? null;
  }

  codeOf(hash: string): Uint8Array | undefined {
    return this.code.get(hash) ?? this.base.code.get(hash);
  }

  slot(a: string, slot: string): Uint8Array {
    const v = this.storage.get(a)?.get(slot);
    if (v !== undefined) return v;
    if (this.wiped.has(a)) return EMPTY;
    return this.base.storage.get(a)?.get(slot) ?? EMPTY;
  }

  hasStorage(a: string): boolean {
    const n = this.nonEmpty.get(a);
    if (n !== undefined) return n > 0;
    return !this.wiped.has(a) && (this.base.storage.get(a)?.size ?? 0) > 0;
  }

  private wipe(a: string): void {
    this.storage.delete(a);
    this.wiped.add(a);
    this.nonEmpty.set(a, 0);
  }

  private setSlot(a: string, s: string, v: Uint8Array): void {
    const prev = this.slot(a, s);
    let n = this.nonEmpty.get(a) ?? (this.wiped.has(a) ? 0 : (this.base.storage.get(a)?.size ?? 0));
    n += (v.length ? 1 : 0) - (prev.length ? 1 : 0);
    this.nonEmpty.set(a, n);
    let m = this.storage.get(a);
    if (!m) this.storage.set(a, (m = new Map()));
    m.set(s, v);
  }

  /**
   * Applies transaction `tx`'s writes, in block order. `spuriousDragon` decides whether a
   * beneficiary left empty by a zero fee is deleted (EIP-161), as runTx's journal cleanup does.
   */
  apply(tx: number, w: TxWrites, spuriousDragon: boolean): void {
    for (const a of w.cleared) {
      this.wipe(a);
      this.versions.set(`e${a}`, tx);
    }
    for (const [h, c] of w.code) this.code.set(h, c);
    for (const [a, acc] of w.accounts) {
      // Deletions always come with `cleared` (which versions the storage epoch).
      if (acc === null) this.wipe(a);
      this.accounts.set(a, acc);
      this.versions.set(`a${a}`, tx);
    }
    for (const [a, s, v] of w.storage) {
      this.setSlot(a, s, v);
      this.versions.set(`s${a}${s}`, tx);
    }
    if (w.coinbaseDelta) {
      const { address, amount } = w.coinbaseDelta;
      const cur = this.account(address) ?? { nonce: 0n, balance: 0n, codeHash: KECCAK256_NULL };
      const next = { ...cur, balance: cur.balance + amount };
      const empty = next.nonce === 0n && next.balance === 0n && hex(next.codeHash) === hex(KECCAK256_NULL);
      this.accounts.set(address, spuriousDragon && empty ? null : next);
      this.versions.set(`a${address}`, tx);
    }
  }

  /** The state as a snapshot (existing accounts only). */
  snapshot(): StateSnapshot {
    const out: StateSnapshot = new Map();
    const addresses = new Set([...this.base.accounts.keys(), ...this.accounts.keys()]);
    for (const a of [...addresses].sort()) {
      const acc = this.account(a);
      if (!acc) continue;
      const code = this.codeOf(hex(acc.codeHash)) ?? EMPTY;
      const slots = new Map<string, Uint8Array>();
      if (!this.wiped.has(a)) for (const [s, v] of this.base.storage.get(a) ?? []) slots.set(s, v);
      for (const [s, v] of this.storage.get(a) ?? []) slots.set(s, v);
      const storage = new Map([...slots].filter(([, v]) => v.length).sort(([x], [y]) => (x < y ? -1 : 1)));
      out.set(a, { nonce: acc.nonce, balance: acc.balance, code, storage });
    }
    return out;
  }
}

const EMPTY = new Uint8Array();
