/**
 * Known answers for the EVM unit from go-ethereum (../shared/vectors/evm-alu, see
 * ../shared/SOURCES.md): the 21 `testcases_<op>.json` tables of core/vm/testdata (81 operand pairs
 * each) and the BYTE/SHL/SHR/SAR/ADDMOD tables inlined in core/vm/instructions_test.go. Geth
 * pushes X then Y, so Y is the top of the stack: A = Y, B = X (for ADDMOD x, y, z = A, B, C).
 * Files are validated with zod; a malformed file fails with its path and the problem.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { EvmFpgaError } from '../errors.ts';
import { lookupOpcode, type EvmOpcode } from './opcodes.ts';

/** One known answer. */
export interface EvmVector {
  /** Where it comes from: `testcases_sub.json #5`. */
  name: string;
  opcode: EvmOpcode;
  a: bigint;
  b: bigint;
  c: bigint;
  expected: bigint;
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The vector directory: $EVM_FPGA_ALU_VECTORS, else ../shared/vectors/evm-alu beside the repository. */
export function defaultAluVectorDir(): string {
  return process.env.EVM_FPGA_ALU_VECTORS ?? join(REPO, '..', 'shared', 'vectors', 'evm-alu');
}

const hex = z.string().regex(/^[0-9a-fA-F]+$/, 'expected hex digits without 0x');
const pairTable = z.array(z.object({ X: hex, Y: hex, Expected: hex })).min(1);
const inlineFile = z.object({
  tables: z
    .object({
      byte: pairTable,
      shl: pairTable,
      shr: pairTable,
      sar: pairTable,
      addmod: z.array(z.object({ x: hex, y: hex, z: hex, Expected: hex })).min(1),
    })
    .passthrough(),
});

/** Geth's table names that are not the mnemonic. */
const TABLE_OPCODE: Record<string, string> = { signext: 'SIGNEXTEND' };

const word = (h: string) => BigInt(`0x${h}`);

function readJson<T>(path: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    const why = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`)[0] : (err as Error).message;
    throw new EvmFpgaError(`malformed vector file ${path}: ${why}`, { cause: err });
  }
}

function opcodeOf(table: string, path: string): EvmOpcode {
  try {
    return lookupOpcode(TABLE_OPCODE[table] ?? table);
  } catch (err) {
    throw new EvmFpgaError(`vector file ${path}: table ${table} names no opcode of the unit`, { cause: err });
  }
}

/** Loads geth's 21 `testcases_<op>.json` tables (1,701 vectors). */
export function loadGethTestcases(dir = defaultAluVectorDir()): EvmVector[] {
  const folder = join(dir, 'geth_testcases');
  let files: string[];
  try {
    files = readdirSync(folder).filter((f) => /^testcases_\w+\.json$/.test(f)).sort();
  } catch (err) {
    throw new EvmFpgaError(`cannot read the EVM vectors in ${folder}: ${(err as Error).message}`, { cause: err });
  }
  return files.flatMap((file) => {
    const path = join(folder, file);
    const opcode = opcodeOf(file.slice('testcases_'.length, -'.json'.length), path);
    return readJson(path, pairTable).map((v, i) => ({ name: `${file} #${i}`, opcode, a: word(v.Y), b: word(v.X), c: 0n, expected: word(v.Expected) }));
  });
}

/** Loads the tables inlined in geth's instructions_test.go (BYTE, SHL, SHR, SAR, ADDMOD). */
export function loadGethInlineTables(dir = defaultAluVectorDir()): EvmVector[] {
  const path = join(dir, 'geth_inline_tables.json');
  const { tables } = readJson(path, inlineFile);
  const out: EvmVector[] = [];
  for (const table of ['byte', 'shl', 'shr', 'sar'] as const) {
    const opcode = opcodeOf(table, path);
    tables[table].forEach((v, i) => out.push({ name: `inline ${table} #${i}`, opcode, a: word(v.Y), b: word(v.X), c: 0n, expected: word(v.Expected) }));
  }
  const addmod = opcodeOf('addmod', path);
  tables.addmod.forEach((v, i) => out.push({ name: `inline addmod #${i}`, opcode: addmod, a: word(v.x), b: word(v.y), c: word(v.z), expected: word(v.Expected) }));
  return out;
}
