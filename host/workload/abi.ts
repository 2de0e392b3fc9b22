/** Just enough ABI encoding for the workload calls (static arguments only) and Solidity storage slots. */
import { keccak256 } from '../executor/keccak.ts';

const word = (v: bigint): string => v.toString(16).padStart(64, '0');

/** A 32-byte word for an address (40 hex digits without 0x). */
export const addressWord = (a: string): bigint => BigInt(`0x${a}`);

/** The 4-byte selector of a signature such as `transfer(address,uint256)`. */
export function selector(signature: string): string {
  return Buffer.from(keccak256(new TextEncoder().encode(signature)).subarray(0, 4)).toString('hex');
}

/** Calldata for `signature` with static arguments (addresses as words, bools as 0/1). */
export function calldata(signature: string, args: bigint[]): Uint8Array {
  return Uint8Array.from(Buffer.from(selector(signature) + args.map(word).join(''), 'hex'));
}

/** The storage slot of `mapping[key]` for a mapping at slot `slot`: keccak256(key . slot). */
export function mappingSlot(key: bigint, slot: bigint): bigint {
  const h = keccak256(Uint8Array.from(Buffer.from(word(key) + word(slot), 'hex')));
  return BigInt(`0x${Buffer.from(h).toString('hex')}`);
}
