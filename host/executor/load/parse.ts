/** Shared zod pieces and error formatting for the fixture loaders. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EvmFpgaError } from '../../errors.ts';
import type { AccountState, StateSnapshot } from '../types.ts';

/** 0x-prefixed hex, any length (including `0x`). */
export const hexString = z.string().regex(/^0x[0-9a-fA-F]*$/, 'expected 0x-prefixed hex');
/** A 20-byte address. */
export const addressHex = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte 0x-prefixed address');

/** Reads and parses a JSON file with `schema`; failures name the file and the first bad field. */
export function readJson<T>(path: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new EvmFpgaError(`cannot read ${path}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new EvmFpgaError(`malformed ${path}: ${field}: ${issue.message}`, { details: z.prettifyError(parsed.error) });
  }
  return parsed.data;
}

export const fromHex = (h: string): Uint8Array => {
  const s = h.startsWith('0x') ? h.slice(2) : h;
  return Uint8Array.from(Buffer.from(s.length % 2 ? `0${s}` : s, 'hex'));
};
export const toBigInt = (h: string): bigint => (h === '0x' || h === '' ? 0n : BigInt(h));

/** A slot as 64 lowercase hex digits without 0x. */
export const slotKey = (h: string): string => BigInt(h).toString(16).padStart(64, '0');

/** Value bytes without leading zeros (empty for zero). */
export function valueBytes(h: string): Uint8Array {
  const v = BigInt(h);
  if (v === 0n) return new Uint8Array();
  const s = v.toString(16);
  return fromHex(s.length % 2 ? `0${s}` : s);
}

export const accountSchema = z.object({
  balance: hexString,
  nonce: hexString,
  code: hexString,
  storage: z.record(hexString, hexString),
});

/** Converts `{addr: {balance, nonce, code, storage}}` into a {@link StateSnapshot}. */
export function toSnapshot(accounts: Record<string, z.infer<typeof accountSchema>>): StateSnapshot {
  const out: StateSnapshot = new Map();
  for (const [addr, a] of Object.entries(accounts)) {
    const storage = new Map<string, Uint8Array>();
    for (const [k, v] of Object.entries(a.storage)) {
      const val = valueBytes(v);
      if (val.length) storage.set(slotKey(k), val);
    }
    const account: AccountState = { nonce: toBigInt(a.nonce), balance: toBigInt(a.balance), code: fromHex(a.code), storage };
    out.set(addr.slice(2).toLowerCase(), account);
  }
  return out;
}
