/** Builds `@ethereumjs/common` instances from a {@link ChainSpec}, with KZG loaded once per thread. */
import { Common, Mainnet } from '@ethereumjs/common';
import { loadKZG } from 'kzg-wasm';
import { keccakFor } from './keccak.ts';
import type { ChainSpec } from './types.ts';

let kzgPromise: ReturnType<typeof loadKZG> | undefined;

/** The KZG implementation for blob transactions (kzg-wasm), loaded on first use. */
export function kzg(): ReturnType<typeof loadKZG> {
  kzgPromise ??= loadKZG();
  return kzgPromise;
}

/** A fresh Common for `spec` (Commons carry mutable state; do not share them between VMs). */
export async function createCommon(spec: ChainSpec): Promise<Common> {
  // The wasm Keccak for the EVM, transaction hashes and tries (the default is pure JavaScript).
  const customCrypto = { keccak256: keccakFor('evm'), ...(spec.kzg ? { kzg: (await kzg()) as never } : {}) };
  return new Common({ chain: Mainnet, hardfork: spec.hardfork, customCrypto });
}

/** The hardfork mainnet runs at a block (number, timestamp). */
export function mainnetHardfork(number: bigint, timestamp: bigint): string {
  const common = new Common({ chain: Mainnet });
  return common.setHardforkBy({ blockNumber: number, timestamp });
}
