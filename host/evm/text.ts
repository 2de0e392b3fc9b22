/**
 * The text form of ops used by `evm-fpga alu --file`: one op per line, `OP A [B [C]]` (mnemonic
 * such as `ADDMOD`, operands as 0x-hex, `A` the top of the stack), `#` starts a comment, blank
 * lines are skipped. Results print as `0x` + 64 hex digits.
 */
import { InvalidInputError } from '../errors.ts';
import { parseEvmOp, type EvmRequest } from './operands.ts';

/** A 256-bit word as `0x` + 64 lower-case hex digits. */
export function formatWord(value: bigint): string {
  return `0x${value.toString(16).padStart(64, '0')}`;
}

/**
 * Parses one op from its tokens (`['SUB', '0x01', '0x03']`). Operands must be 0x-hex here (a
 * command line has no bigints).
 * @throws InvalidInputError naming the problem; `where` prefixes it (`'line 3'`).
 */
export function parseOpTokens(tokens: readonly string[], where: string): EvmRequest {
  if (tokens.length === 0) throw new InvalidInputError(`${where}: no opcode`);
  const [op, ...operands] = tokens;
  if (operands.length > 3) throw new InvalidInputError(`${where}: at most 3 operands (A B C), got ${operands.length}`);
  const given: Record<string, string> = { op: op! };
  operands.forEach((v, i) => (given['abc'[i]!] = v));
  return parseEvmOp(given, where);
}

/**
 * Parses a whole `--file` text into ops, in order. Every line is checked before any is used, and
 * the first bad one fails with its 1-based line number.
 * @throws InvalidInputError `line N: …`.
 */
export function parseOpLines(text: string): EvmRequest[] {
  const out: EvmRequest[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i]!.indexOf('#');
    const body = (hash >= 0 ? lines[i]!.slice(0, hash) : lines[i]!).trim();
    if (body === '') continue;
    out.push(parseOpTokens(body.split(/\s+/), `line ${i + 1}`));
  }
  return out;
}
