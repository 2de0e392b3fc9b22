/**
 * Synchronous Keccak-256 for the executor (hash-wasm, initialised once per thread), and the tap
 * shadow verification records through (docs/hash-offload.md). Every Keccak the executor computes
 * goes through {@link keccak256} or {@link keccakFor}; with no tap installed (the default) they are
 * the plain wasm hash and nothing is recorded.
 */
import { createKeccak } from 'hash-wasm';

const hasher = await createKeccak(256);

export function keccak256(data: Uint8Array): Uint8Array {
  hasher.init();
  hasher.update(data);
  return hasher.digest('binary');
}

/**
 * Where a Keccak call comes from: the EVM while it executes (`opcode`: SHA3, CREATE2, …), the
 * Merkle-Patricia tries (`trie`: key hashing and node hashing), contract code hashes (`code`), and
 * everything else about transactions and blocks (`transactions`: signing hashes, transaction hashes,
 * receipts trie, logs bloom).
 */
export type KeccakSource = 'opcode' | 'trie' | 'code' | 'transactions';
export const KECCAK_SOURCES: readonly KeccakSource[] = ['opcode', 'trie', 'code', 'transactions'];

/** Receives every recorded call: the input and the digest the software computed (both copies). */
export type KeccakTap = (source: KeccakSource, input: Uint8Array, digest: Uint8Array) => void;

let tap: KeccakTap | undefined;

/** True while the EVM executes a call (set around `runCall`): `evm` calls then count as `opcode`. */
export const keccakPhase = { evm: false };

/** Installs (or with `undefined` removes) this thread's tap. */
export function setKeccakTap(next: KeccakTap | undefined): void {
  tap = next;
}

/** The tap of this thread, if one is installed. */
export function keccakTap(): KeccakTap | undefined {
  return tap;
}

/**
 * Keccak-256 attributed to `source` (`evm`: `opcode` inside the EVM, `transactions` outside). With
 * no tap installed it costs one branch over {@link keccak256}.
 */
export function keccakFor(source: KeccakSource | 'evm'): (data: Uint8Array) => Uint8Array {
  return (data) => {
    const digest = keccak256(data);
    if (tap) tap(source === 'evm' ? (keccakPhase.evm ? 'opcode' : 'transactions') : source, data.slice(), digest.slice());
    return digest;
  };
}
