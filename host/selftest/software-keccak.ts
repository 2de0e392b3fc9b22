/**
 * Keccak-256 in software (hash-wasm's WebAssembly build): the reference the device is checked
 * against, and the baseline its speed is compared with. Creation is async; hashing is synchronous.
 */
import { createKeccak } from 'hash-wasm';

/** A synchronous Keccak-256 function (Ethereum's original padding). */
export type Keccak256 = (data: Uint8Array) => Uint8Array;

let shared: Promise<Keccak256> | undefined;

/** Resolves to a synchronous software Keccak-256 (one shared WebAssembly instance). */
export function softwareKeccak256(): Promise<Keccak256> {
  shared ??= createKeccak(256).then((hasher) => (data: Uint8Array) => {
    hasher.init();
    hasher.update(data);
    return hasher.digest('binary');
  });
  return shared;
}
