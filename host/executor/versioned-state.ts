/**
 * The committed state of a block in progress, with versions: for every access key the index of
 * the transaction that last wrote it (-1: the pre-state). The main thread keeps the authoritative
 * copy; every worker keeps a replica that it brings up to date from the commit messages, in
 * block order. Access keys (strings): `a<addr>` an account (nonce, balance, code hash, existence),
 * `s<addr><slot>` a storage slot, `e<addr>` an account's storage epoch (written when the storage is
 * wiped: account deleted, contract created over it).
 */
import { keccak256 } from './keccak.ts';
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

export class VersionedState {
  readonly accounts = new Map<string, AccountData | null>();
  readonly storage = new Map<string, Map<string, Uint8Array>>();
  readonly code = new Map<string, Uint8Array>();
  /** Access key → last writer (absent = -1, the pre-state). */
  readonly versions = new Map<string, number>();

  constructor(pre: StateSnapshot) {
    for (const [a, acc] of pre) {
      const codeHash = acc.code.length ? keccak256(acc.code) : KECCAK256_NULL;
      if (acc.code.length) this.code.set(hex(codeHash), acc.code);
      this.accounts.set(a, { nonce: acc.nonce, balance: acc.balance, codeHash });
      if (acc.storage.size) this.storage.set(a, new Map(acc.storage));
    }
  }

  version(key: string): number {
    return this.versions.get(key) ?? -1;
  }

  account(a: string): AccountData | null {
    return this.accounts.get(a) ?? null;
  }

  slot(a: string, slot: string): Uint8Array {
    return this.storage.get(a)?.get(slot) ?? EMPTY;
  }

  hasStorage(a: string): boolean {
    return (this.storage.get(a)?.size ?? 0) > 0;
  }

  /**
   * Applies transaction `tx`'s writes, in block order. `spuriousDragon` decides whether a
   * beneficiary left empty by a zero fee is deleted (EIP-161), as runTx's journal cleanup does.
   */
  apply(tx: number, w: TxWrites, spuriousDragon: boolean): void {
    for (const a of w.cleared) {
      this.storage.delete(a);
      this.versions.set(`e${a}`, tx);
    }
    for (const [h, c] of w.code) this.code.set(h, c);
    for (const [a, acc] of w.accounts) {
      if (acc === null) {
        // Deletions always come with `cleared` (which versions the storage epoch).
        this.accounts.set(a, null);
        this.storage.delete(a);
      } else this.accounts.set(a, acc);
      this.versions.set(`a${a}`, tx);
    }
    for (const [a, s, v] of w.storage) {
      let m = this.storage.get(a);
      if (!m) this.storage.set(a, (m = new Map()));
      if (v.length) m.set(s, v);
      else m.delete(s);
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
    for (const a of [...this.accounts.keys()].sort()) {
      const acc = this.accounts.get(a);
      if (!acc) continue;
      const code = this.code.get(hex(acc.codeHash)) ?? EMPTY;
      const storage = new Map([...(this.storage.get(a) ?? new Map<string, Uint8Array>())].sort(([x], [y]) => (x < y ? -1 : 1)));
      out.set(a, { nonce: acc.nonce, balance: acc.balance, code, storage });
    }
    return out;
  }
}

const EMPTY = new Uint8Array();
