/**
 * Operands for differential tests and the benchmark: a seeded mix of edge values (0, 1, 2^255,
 * 2^255 − 1, 2^256 − 1, every power of two and its neighbours, byte boundaries), uniform random
 * 256-bit words, random words of random bit length (so divisions see every quotient size), and
 * small values (shift amounts, byte indexes, SIGNEXTEND positions). Deterministic per seed, so
 * a mismatch can be replayed.
 */
import { WORD_MODULUS } from './operands.ts';
import type { EvmOpcode } from './opcodes.ts';

const MAX = WORD_MODULUS - 1n;

/** The edge values: 0…64, 255…257, 2^k − 1, 2^k, 2^k + 1 for every k, 2^256 − 1 − small, ... */
export const EDGE_WORDS: readonly bigint[] = (() => {
  const set = new Set<bigint>();
  for (let i = 0n; i <= 64n; i++) set.add(i);
  for (const v of [255n, 256n, 257n, 0x7fn, 0x80n, 0xffffn, 0x7fffn, 0x8000n]) set.add(v);
  for (let k = 0n; k < 256n; k++) {
    const p = 1n << k;
    set.add(p - 1n);
    set.add(p);
    set.add(p + 1n);
    set.add(MAX - p + 1n); // -2^k in two's complement
    set.add(MAX - p); // -2^k - 1
  }
  for (let i = 0n; i < 4n; i++) set.add(MAX - i);
  // Bytes that decide SIGNEXTEND / BYTE / SAR: a sign bit set in every byte position.
  for (let byte = 0n; byte < 32n; byte++) set.add(0x80n << (8n * byte));
  return [...set].filter((v) => v >= 0n && v <= MAX).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
})();

/** A seeded source of operands (xorshift128+, 2^128 − 1 period). */
export interface OperandSource {
  /** A uniformly random 32-bit unsigned integer. */
  u32(): number;
  /** A word from the mixed distribution: ~35 % edge, ~30 % uniform, ~20 % random bit length, ~15 % small. */
  word(): bigint;
  /** A uniformly random 256-bit word. */
  uniform(): bigint;
  /** Operands a, b, c for `opcode` (unused ones 0n). */
  operands(opcode: EvmOpcode): { a: bigint; b: bigint; c: bigint };
}

/** Creates an {@link OperandSource} from a seed. */
export function operandSource(seed: number): OperandSource {
  let s0 = (seed ^ 0x9e3779b9) >>> 0 || 1;
  let s1 = Math.imul(seed, 0x85ebca6b) >>> 0 || 2;
  let s2 = 0x27d4eb2f;
  let s3 = 0x165667b1;
  const u32 = () => {
    // xoshiro128** on 32-bit lanes.
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  for (let i = 0; i < 16; i++) u32();
  const uniform = () => {
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 32n) | BigInt(u32());
    return v;
  };
  const word = () => {
    const pick = u32() % 100;
    if (pick < 35) return EDGE_WORDS[u32() % EDGE_WORDS.length]!;
    if (pick < 65) return uniform();
    if (pick < 85) {
      const bits = BigInt(1 + (u32() % 256));
      return uniform() & ((1n << bits) - 1n);
    }
    return BigInt(u32() % 300);
  };
  return {
    u32,
    word,
    uniform,
    operands: (opcode) => ({ a: word(), b: opcode.inputs >= 2 ? word() : 0n, c: opcode.inputs >= 3 ? word() : 0n }),
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
