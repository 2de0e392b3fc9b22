/**
 * The reference for the device's EVM unit: @ethereumjs/evm actually executing the opcode. Each op
 * becomes the bytecode `PUSH32 C, PUSH32 B, PUSH32 A, <op>, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0,
 * RETURN` (A ends on top of the stack) run with `evm.runCode` on one `createEVM()` instance, so
 * the stack order, the wrap-around and every opcode's corner cases are ethereumjs', not ours.
 */
import { createEVM, type EVM } from '@ethereumjs/evm';
import { EvmFpgaError } from '../errors.ts';

/** Evaluates opcode `code` on `a` (top of the stack), `b`, `c` with ethereumjs. */
export type EvmReference = (code: number, a: bigint, b: bigint, c: bigint) => Promise<bigint>;

/** Length of the program {@link referenceBytecode} builds. */
const PROGRAM_BYTES = 3 * 33 + 1 + 2 + 1 + 2 + 2 + 1;
/** Where the opcode sits in the program (after three PUSH32s). */
const OPCODE_AT = 3 * 33;
/** Gas for one run: EXP with a 32-byte exponent costs 10 + 50 × 32; everything else less. */
const GAS_LIMIT = 100_000n;

/**
 * The program that leaves `op(a, b, c)` in memory and returns it: PUSH32 c, PUSH32 b, PUSH32 a,
 * op, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN. Unused operands stay on the stack below.
 */
export function referenceBytecode(code: number, a: bigint, b: bigint, c: bigint): Uint8Array {
  const program = new Uint8Array(PROGRAM_BYTES);
  let at = 0;
  for (const value of [c, b, a]) {
    program[at++] = 0x7f; // PUSH32
    for (let k = 31; k >= 0; k--) program[at++] = Number((value >> BigInt(8 * k)) & 0xffn);
  }
  program.set([code, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3], OPCODE_AT);
  return program;
}

/** Creates the reference on a fresh `createEVM()` (mainnet, the library's default hardfork). */
export async function createEvmReference(evm?: EVM): Promise<EvmReference> {
  const instance = evm ?? (await createEVM());
  return async (code, a, b, c) => {
    const result = await instance.runCode({ code: referenceBytecode(code, a, b, c), gasLimit: GAS_LIMIT });
    if (result.exceptionError) {
      throw new EvmFpgaError(`ethereumjs failed on opcode 0x${code.toString(16)}: ${result.exceptionError.error}`);
    }
    const out = result.returnValue;
    if (out.length !== 32) throw new EvmFpgaError(`ethereumjs returned ${out.length} bytes for opcode 0x${code.toString(16)}`);
    return BigInt(`0x${Buffer.from(out).toString('hex')}`);
  };
}
