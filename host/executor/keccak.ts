/** Synchronous Keccak-256 for code hashes (hash-wasm, initialised once per thread). */
import { createKeccak } from 'hash-wasm';

const hasher = await createKeccak(256);

export function keccak256(data: Uint8Array): Uint8Array {
  hasher.init();
  hasher.update(data);
  return hasher.digest('binary');
}
