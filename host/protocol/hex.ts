/** 0x-prefixed hex strings to bytes and back, with one-line errors for bad input. */
import { InvalidInputError } from '../errors.ts';

const DIGITS = '0123456789abcdef';
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => DIGITS[i >> 4]! + DIGITS[i & 15]!);

/**
 * Parses hex into bytes. The `0x` prefix is optional; digits may be upper or lower case;
 * `''` and `'0x'` give an empty array.
 * @throws InvalidInputError on an odd number of digits or a non-hex character.
 */
export function hexToBytes(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new InvalidInputError(`expected a hex string, got ${typeof hex}`);
  const body = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (body.length % 2 !== 0) {
    throw new InvalidInputError(`hex has an odd number of digits (${body.length}): ${abbreviate(hex)}`);
  }
  const bytes = new Uint8Array(body.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const hi = digit(body.charCodeAt(2 * i));
    const lo = digit(body.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      const at = hi < 0 ? 2 * i : 2 * i + 1;
      throw new InvalidInputError(`invalid hex digit ${JSON.stringify(body[at])} at position ${at}: ${abbreviate(hex)}`);
    }
    bytes[i] = (hi << 4) | lo;
  }
  return bytes;
}

/** Formats bytes as lower-case hex with a `0x` prefix. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '0x';
  for (let i = 0; i < bytes.length; i++) out += BYTE_HEX[bytes[i]!]!;
  return out;
}

function digit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

function abbreviate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
