/**
 * Known-answer vectors for Keccak-256 from outside this project (../shared/vectors/keccak, see
 * ../shared/SOURCES.md): the Keccak team's 321 byte-aligned KATs and ethereum/tests' zero-byte
 * vectors. Files are validated with zod; a malformed file fails with its path and the problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { EvmFpgaError } from '../errors.ts';

/** One known answer: message and expected digest. */
export interface KeccakVector {
  name: string;
  message: Uint8Array;
  digest: Uint8Array;
}

const hex = z.string().regex(/^([0-9a-fA-F]{2})*$/, 'expected even-length hex without 0x');
const vectorFile = z.object({
  vectors: z
    .array(z.object({ len_bytes: z.number().int().nonnegative(), msg: z.string(), md: hex.length(64) }).passthrough())
    .min(1),
});

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The vector directory: $EVM_FPGA_VECTORS, else ../shared/vectors/keccak beside the repository. */
export function defaultVectorDir(): string {
  return process.env.EVM_FPGA_VECTORS ?? join(REPO, '..', 'shared', 'vectors', 'keccak');
}

const fromHex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

function readVectorFile(path: string, kind: string, limitBytes: number): KeccakVector[] {
  let parsed;
  try {
    parsed = vectorFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    const why = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`)[0] : (err as Error).message;
    throw new EvmFpgaError(`malformed vector file ${path}: ${why}`, { cause: err });
  }
  return parsed.vectors
    .filter((v) => v.len_bytes <= limitBytes)
    .map((v) => {
      // ethereum/tests' longest zero vector is described ("zero bytes (too long to inline)"), not inlined.
      let message: Uint8Array;
      if (hex.safeParse(v.msg).success) message = fromHex(v.msg);
      else if (v.msg.startsWith('zero bytes')) message = new Uint8Array(v.len_bytes);
      else throw new EvmFpgaError(`malformed vector file ${path}: msg of the ${v.len_bytes}-byte vector is neither hex nor "zero bytes"`);
      if (message.length !== v.len_bytes) throw new EvmFpgaError(`malformed vector file ${path}: len_bytes ${v.len_bytes} does not match msg`);
      return { name: `${kind} ${v.len_bytes} bytes`, message, digest: fromHex(v.md) };
    });
}

/**
 * Loads the KAT and zero-byte vectors from `dir`. `maxBytes` leaves out longer messages (the
 * 1,048,575-byte zero vector takes seconds over a UART).
 */
export function loadKeccakVectors(dir = defaultVectorDir(), maxBytes = Number.POSITIVE_INFINITY): KeccakVector[] {
  const kat = join(dir, 'keccak256_kat_bytealigned.json');
  const zeros = join(dir, 'ethtests_sha3_opcode_zero_vectors.json');
  if (!existsSync(kat)) {
    throw new EvmFpgaError(`Keccak vectors not found in ${dir}: pass --vectors DIR or set EVM_FPGA_VECTORS`);
  }
  const out = readVectorFile(kat, 'KAT', maxBytes);
  if (existsSync(zeros)) out.push(...readVectorFile(zeros, 'zeros', maxBytes));
  return out;
}
