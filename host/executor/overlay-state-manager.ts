/**
 * The state manager a speculative transaction runs on: reads fall through to a
 * {@link VersionedState} (the committed prefix, or a worker's replica of it) and are recorded with
 * the version they saw; writes stay in a journaled overlay and become the transaction's
 * {@link TxWrites}. It implements StateManagerInterface fully in memory (no trie): state roots are
 * not computed here (pre-Byzantium receipt roots are filled in at commit).
 *
 * The beneficiary's fee credit is recorded as a delta, not a read-modify-write: runTx credits the
 * coinbase after the EVM call returns ({@link phase} `'post'`); if the transaction had not touched
 * the coinbase before that point, its balance is not recorded as a read and the credit becomes
 * {@link TxWrites.coinbaseDelta}, applied in block order at commit.
 */
import { Account, Address, KECCAK256_RLP, bytesToHex } from '@ethereumjs/util';
import { OriginalStorageCache } from '@ethereumjs/statemanager';
import type { AccountFields, StateManagerInterface } from '@ethereumjs/common';
import { keccakFor } from './keccak.ts';

const codeKeccak256 = keccakFor('code');
import { KECCAK256_NULL, type AccountData, type TxWrites, type VersionedState } from './versioned-state.ts';

const ABSENT = Symbol('absent');
const EMPTY = new Uint8Array();
/** Stands in for the storage root of an account that has storage (only emptiness is observable). */
const NON_EMPTY_ROOT = new Uint8Array(32).fill(0x11);
const hexOf = (a: Address) => bytesToHex(a.bytes).slice(2);
const slotOf = (k: Uint8Array) => Buffer.from(k).toString('hex').padStart(64, '0');
const codeHex = (h: Uint8Array) => Buffer.from(h).toString('hex');

function strip(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length && v[i] === 0) i++;
  return i ? v.slice(i) : v;
}

export class OverlayStateManager implements StateManagerInterface {
  /** Where runTx is: before the EVM call, inside it, or after it (fees, refunds, cleanup). */
  phase: 'pre' | 'exec' | 'post' = 'pre';
  /** Access key → version seen, for every key read from the base (first read only). */
  reads = new Map<string, number>();
  originalStorageCache: OriginalStorageCache;
  private base!: VersionedState;
  private coinbase = '';
  private coinbaseAccessed = false;
  private lazyCoinbase: AccountData | null | undefined;
  /** Overlay: `a<addr>` → AccountData | null, `s<addr><slot>` → value, `x<addr>` → storage wiped. */
  private written = new Map<string, unknown>();
  private newCode = new Map<string, Uint8Array>();
  private journal: [string, unknown][] = [];
  private marks: number[] = [];

  constructor() {
    this.originalStorageCache = new OriginalStorageCache(this.getStorage.bind(this));
  }

  /** Starts a transaction on `base` with `coinbase` (40 hex digits) as the beneficiary. */
  reset(base: VersionedState, coinbase: string): void {
    this.base = base;
    this.coinbase = coinbase;
    this.coinbaseAccessed = false;
    this.lazyCoinbase = undefined;
    this.phase = 'pre';
    this.reads = new Map();
    this.written = new Map();
    this.newCode = new Map();
    this.journal = [];
    this.marks = [];
    this.originalStorageCache.clear();
  }

  private note(a: string): void {
    if (a === this.coinbase && this.phase !== 'post') this.coinbaseAccessed = true;
  }

  private set(k: string, v: unknown): void {
    this.journal.push([k, this.written.has(k) ? this.written.get(k) : ABSENT]);
    this.written.set(k, v);
  }

  private unset(k: string): void {
    if (!this.written.has(k)) return;
    this.journal.push([k, this.written.get(k)]);
    this.written.delete(k);
  }

  private readAccount(a: string): AccountData | null {
    const k = `a${a}`;
    if (this.written.has(k)) return this.written.get(k) as AccountData | null;
    if (a === this.coinbase && !this.coinbaseAccessed && this.phase === 'post') {
      // The fee credit: use the speculative value without depending on it (see class comment).
      this.coinbaseAccessed = true;
      this.lazyCoinbase = this.base.account(a);
      return this.lazyCoinbase;
    }
    this.note(a);
    if (!this.reads.has(k)) this.reads.set(k, this.base.version(k));
    return this.base.account(a);
  }

  private cleared(a: string): boolean {
    return this.written.get(`x${a}`) === true || this.written.get(`a${a}`) === null;
  }

  private wipe(a: string): void {
    const prefix = `s${a}`;
    for (const k of [...this.written.keys()]) if (k.startsWith(prefix)) this.unset(k);
    this.set(`x${a}`, true);
  }

  async getAccount(address: Address): Promise<Account | undefined> {
    const a = hexOf(address);
    const acc = this.readAccount(a);
    if (!acc) return undefined;
    const hasStorage = !this.cleared(a) && this.base.hasStorage(a);
    return new Account(acc.nonce, acc.balance, hasStorage ? NON_EMPTY_ROOT : KECCAK256_RLP, acc.codeHash);
  }

  async putAccount(address: Address, account?: Account): Promise<void> {
    if (!account) return this.deleteAccount(address);
    const a = hexOf(address);
    this.note(a);
    this.set(`a${a}`, { nonce: account.nonce, balance: account.balance, codeHash: account.codeHash });
  }

  async deleteAccount(address: Address): Promise<void> {
    const a = hexOf(address);
    this.note(a);
    this.wipe(a);
    this.set(`a${a}`, null);
  }

  async modifyAccountFields(address: Address, f: AccountFields): Promise<void> {
    const a = hexOf(address);
    const cur = this.readAccount(a) ?? { nonce: 0n, balance: 0n, codeHash: KECCAK256_NULL };
    this.set(`a${a}`, { nonce: f.nonce ?? cur.nonce, balance: f.balance ?? cur.balance, codeHash: f.codeHash ?? cur.codeHash });
  }

  async putCode(address: Address, value: Uint8Array): Promise<void> {
    const codeHash = codeKeccak256(value);
    this.newCode.set(codeHex(codeHash), value);
    await this.modifyAccountFields(address, { codeHash });
  }

  async getCode(address: Address): Promise<Uint8Array> {
    const acc = this.readAccount(hexOf(address));
    if (!acc) return EMPTY;
    const h = codeHex(acc.codeHash);
    return this.newCode.get(h) ?? this.base.codeOf(h) ?? EMPTY;
  }

  async getCodeSize(address: Address): Promise<number> {
    return (await this.getCode(address)).length;
  }

  async getStorage(address: Address, key: Uint8Array): Promise<Uint8Array> {
    const a = hexOf(address);
    this.note(a);
    const slot = slotOf(key);
    const k = `s${a}${slot}`;
    if (this.written.has(k)) return this.written.get(k) as Uint8Array;
    if (this.cleared(a)) return EMPTY;
    if (!this.reads.has(k)) this.reads.set(k, this.base.version(k));
    const e = `e${a}`;
    if (!this.reads.has(e)) this.reads.set(e, this.base.version(e));
    return this.base.slot(a, slot);
  }

  async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    const a = hexOf(address);
    this.note(a);
    this.set(`s${a}${slotOf(key)}`, strip(value));
  }

  async clearStorage(address: Address): Promise<void> {
    // As MerkleStateManager: the account is created if absent.
    const a = hexOf(address);
    const acc = this.readAccount(a) ?? { nonce: 0n, balance: 0n, codeHash: KECCAK256_NULL };
    this.wipe(a);
    this.set(`a${a}`, acc);
  }

  async checkpoint(): Promise<void> {
    this.marks.push(this.journal.length);
  }

  async commit(): Promise<void> {
    this.marks.pop();
  }

  async revert(): Promise<void> {
    const mark = this.marks.pop() ?? 0;
    while (this.journal.length > mark) {
      const [k, prev] = this.journal.pop()!;
      if (prev === ABSENT) this.written.delete(k);
      else this.written.set(k, prev);
    }
  }

  async getStateRoot(): Promise<Uint8Array> {
    return new Uint8Array(32);
  }

  async setStateRoot(): Promise<void> {
    throw new Error('OverlayStateManager has no state root');
  }

  async hasStateRoot(): Promise<boolean> {
    return false;
  }

  clearCaches(): void {}

  shallowCopy(): StateManagerInterface {
    return this;
  }

  /*
   * Writes that leave a value as the transaction read it are dropped: the EVM writes the callee's
   * account on every call (a zero-value credit), which would otherwise make every call to a popular
   * contract a write of its account and invalidate every concurrent caller. Dropping is exact only
   * when the key was read (validation then guarantees the committed value is the one seen); a
   * blind write is always kept.
   */
  private unchangedAccount(k: string, a: string, v: AccountData | null): boolean {
    if (!this.reads.has(k) || a === this.coinbase) return false;
    const cur = this.base.account(a);
    if (!cur || !v) return cur === v;
    return cur.nonce === v.nonce && cur.balance === v.balance && Buffer.compare(cur.codeHash, v.codeHash) === 0;
  }

  private unchangedSlot(k: string, a: string, v: Uint8Array): boolean {
    if (!this.reads.has(k) || this.written.get(`x${a}`) === true) return false;
    return Buffer.compare(this.base.slot(a, k.slice(41)), v) === 0;
  }

  /** The transaction's effects after runTx returned. */
  collectWrites(): TxWrites {
    const w: TxWrites = { cleared: [], accounts: [], storage: [], code: [] };
    for (const [k, v] of this.written) {
      const a = k.slice(1, 41);
      if (k[0] === 'x') w.cleared.push(a);
      else if (k[0] === 's') {
        if (this.unchangedSlot(k, a, v as Uint8Array)) continue;
        w.storage.push([a, k.slice(41), v as Uint8Array]);
      } else if (k[0] === 'a') {
        if (this.unchangedAccount(k, a, v as AccountData | null)) continue;
        if (a === this.coinbase && this.lazyCoinbase !== undefined) {
          const fin = v as AccountData | null;
          w.coinbaseDelta = { address: a, amount: fin ? fin.balance - (this.lazyCoinbase?.balance ?? 0n) : 0n };
        } else {
          w.accounts.push([a, v as AccountData | null]);
          const acc = v as AccountData | null;
          const code = acc && this.newCode.get(codeHex(acc.codeHash));
          if (code) w.code.push([codeHex(acc.codeHash), code]);
        }
      }
    }
    return w;
  }
}
