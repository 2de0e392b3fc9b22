/**
 * Validation of opcode requests from callers (zod): an op is `{ op, a, b?, c? }` where `op` is a
 * mnemonic or byte code from the unit's table and the operands are 256-bit words given as a
 * bigint (0 ≤ x < 2^256) or a 0x-hex string. Exactly the opcode's `inputs` operands must be
 * given, in stack order: `a` is the top of the stack (first popped), then `b`, then `c`.
 */
import { z } from 'zod';
import { InvalidInputError } from '../errors.ts';
import { lookupOpcode, type EvmOpcode, type EvmOpcodeName } from './opcodes.ts';

/** 2^256: every operand and result is below it. */
export const WORD_MODULUS = 1n << 256n;

/** A 256-bit word as callers may give it: a bigint 0 ≤ x < 2^256 or a 0x-hex string (`'0x1f'`). */
export type EvmWordInput = bigint | string;

/**
 * One opcode to evaluate. Operands in EVM stack order: `a` is the top of the stack, so `SUB`
 * gives a − b, `DIV` a / b, `SHL` b << a, `BYTE` byte a of b, `EXP` a ** b, `SIGNEXTEND` extends
 * b from byte a, `ADDMOD` (a + b) mod c.
 */
export interface EvmOp {
  /** Mnemonic (any case, e.g. `'ADDMOD'`) or byte code (`0x08`, or `'0x08'`). */
  op: EvmOpcodeName | string | number;
  a: EvmWordInput;
  b?: EvmWordInput;
  c?: EvmWordInput;
}

/** A validated op: the opcode and its operands as bigints, unused ones 0n. */
export interface EvmRequest {
  opcode: EvmOpcode;
  a: bigint;
  b: bigint;
  c: bigint;
}

const HEX_WORD = /^0[xX][0-9a-fA-F]+$/;
const OPERAND_KEYS = ['a', 'b', 'c'] as const;

/** Describes a value for an error message without dumping it whole. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 24 ? `${value.slice(0, 21)}...` : value);
  if (typeof value === 'bigint') return value < 0n ? `${value}` : `0x${value.toString(16).slice(0, 70)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return typeof value;
}

/** Turns an operand into a word, or returns why it is not one. */
export function toWord(value: unknown): bigint | string {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'string') {
    if (!HEX_WORD.test(value)) return `${describe(value)} is not 0x-hex`;
    v = BigInt(value);
  } else {
    return `must be a bigint or a 0x-hex string, got ${describe(value)}`;
  }
  if (v < 0n || v >= WORD_MODULUS) return `${describe(value)} is out of range (0 ≤ x < 2^256)`;
  return v;
}

const wordSchema = z.unknown().transform((value, ctx): bigint => {
  const word = toWord(value);
  if (typeof word === 'string') {
    ctx.issues.push({ code: 'custom', message: word, input: value });
    return z.NEVER;
  }
  return word;
});

const opcodeSchema = z.unknown().transform((value, ctx): EvmOpcode => {
  try {
    return lookupOpcode(value as string | number);
  } catch (err) {
    ctx.issues.push({ code: 'custom', message: (err as Error).message, input: value });
    return z.NEVER;
  }
});

/** The zod schema of one {@link EvmOp}; parses to an {@link EvmRequest}. */
export const evmOpSchema = z
  .object(
    { op: opcodeSchema, a: wordSchema.optional(), b: wordSchema.optional(), c: wordSchema.optional() },
    { error: (issue) => `expected an object { op, a, b?, c? }, got ${describe(issue.input)}` },
  )
  .transform((o, ctx): EvmRequest => {
    const given = OPERAND_KEYS.filter((k) => o[k] !== undefined);
    const wanted = OPERAND_KEYS.slice(0, o.op.inputs);
    if (given.length !== wanted.length || given.some((k, i) => k !== wanted[i])) {
      const plural = wanted.length === 1 ? 'operand' : 'operands';
      ctx.issues.push({
        code: 'custom',
        message: `${o.op.name} takes ${wanted.length} ${plural} (${wanted.join(', ')}), got ${given.length}${given.length ? ` (${given.join(', ')})` : ''}`,
        input: o,
      });
      return z.NEVER;
    }
    return { opcode: o.op, a: o.a!, b: o.b ?? 0n, c: o.c ?? 0n };
  });

/**
 * Validates one op. `where` prefixes the one-line error (`'evm.execBatch: op 7'`).
 * @throws InvalidInputError naming the field and the problem.
 */
export function parseEvmOp(op: unknown, where: string): EvmRequest {
  const r = evmOpSchema.safeParse(op);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  // The opcode's own message already says "unknown opcode …"; operands are named (a, b, c).
  const path = issue.path.length > 0 && issue.path[0] !== 'op' ? `${issue.path.join('.')}: ` : '';
  throw new InvalidInputError(`${where}: ${path}${issue.message}`, { cause: r.error });
}

/** The {@link EvmOp} form of a validated request (operands the opcode does not pop left out). */
export function requestToOp(request: EvmRequest): EvmOp {
  const op: EvmOp = { op: request.opcode.name, a: request.a };
  if (request.opcode.inputs >= 2) op.b = request.b;
  if (request.opcode.inputs >= 3) op.c = request.c;
  return op;
}
