/**
 * The opcode table of the device's EVM unit, read from the generated spec (`EVM_OPCODES`, from
 * hdl/spec/evm_fpga.json), so the host, the RTL and the docs share one list of names, byte codes
 * and stack-input counts (like ethereumjs' `opcodes/codes.ts`).
 */
import { InvalidInputError } from '../errors.ts';
import { EVM_OPCODES, type EvmOpcodeName } from '../protocol/spec.ts';

export type { EvmOpcodeName } from '../protocol/spec.ts';

/** One opcode the unit evaluates. */
export interface EvmOpcode {
  /** The EVM mnemonic, upper case (`'ADDMOD'`). */
  readonly name: EvmOpcodeName;
  /** The EVM byte code (`0x08`). */
  readonly code: number;
  /** Stack items it pops: 1 (ISZERO, NOT), 2, or 3 (ADDMOD, MULMOD); the operands a, b, c in order. */
  readonly inputs: 1 | 2 | 3;
}

/** Every opcode of the unit, in byte-code order. */
export const EVM_OPCODE_LIST: readonly EvmOpcode[] = Object.freeze(
  (Object.entries(EVM_OPCODES) as [EvmOpcodeName, { code: number; inputs: number }][])
    .map(([name, o]) => Object.freeze({ name, code: o.code, inputs: o.inputs as 1 | 2 | 3 }))
    .sort((x, y) => x.code - y.code),
);

const BY_NAME = new Map<string, EvmOpcode>(EVM_OPCODE_LIST.map((o) => [o.name, o]));
const BY_CODE = new Map<number, EvmOpcode>(EVM_OPCODE_LIST.map((o) => [o.code, o]));

/** The opcode with byte code `code`, or `undefined` when the unit does not evaluate it. */
export function opcodeByCode(code: number): EvmOpcode | undefined {
  return BY_CODE.get(code);
}

/**
 * Finds an opcode by mnemonic (any case: `'sub'`, `'SUB'`), by byte code as a number (`3`), or
 * by byte code as a 0x-hex string (`'0x03'`).
 * @throws InvalidInputError for anything else, naming the value.
 */
export function lookupOpcode(op: string | number): EvmOpcode {
  let found: EvmOpcode | undefined;
  if (typeof op === 'number') {
    found = Number.isInteger(op) ? BY_CODE.get(op) : undefined;
    if (!found) throw new InvalidInputError(`unknown opcode ${formatCode(op)}: the EVM unit evaluates ${opcodeRange()}`);
    return found;
  }
  if (typeof op !== 'string') throw new InvalidInputError(`opcode must be a name or a number, got ${typeof op}`);
  if (/^0[xX][0-9a-fA-F]{1,2}$/.test(op)) found = BY_CODE.get(Number.parseInt(op.slice(2), 16));
  else found = BY_NAME.get(op.toUpperCase());
  if (!found) throw new InvalidInputError(`unknown opcode ${JSON.stringify(op.length > 20 ? `${op.slice(0, 17)}...` : op)}: the EVM unit evaluates ${opcodeRange()}`);
  return found;
}

/** `0x0c`, or the number as given when it is not a byte. */
export function formatCode(code: number): string {
  return Number.isInteger(code) && code >= 0 && code <= 0xff ? `0x${code.toString(16).padStart(2, '0')}` : String(code);
}

function opcodeRange(): string {
  const first = EVM_OPCODE_LIST[0]!;
  const last = EVM_OPCODE_LIST[EVM_OPCODE_LIST.length - 1]!;
  return `${first.name} ${formatCode(first.code)} … ${last.name} ${formatCode(last.code)} (${EVM_OPCODE_LIST.length} opcodes)`;
}
