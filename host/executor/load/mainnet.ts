/**
 * Loads a mainnet block directory (../shared/fixtures/mainnet/<n>): `block.json`
 * (eth_getBlockByNumber with full transactions), `pre_state.simple.json` (code already trimmed)
 * and, when BLOCKHASH is used, `block_hashes.json`. The pre-state holds only what the block
 * touches, so its state root is not the chain's: expected values are gasUsed and logsBloom, and
 * receiptsRoot from Byzantium (4,370,000) on.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createBlockFromRPC } from '@ethereumjs/block';
import { z } from 'zod';
import { EvmFpgaError } from '../../errors.ts';
import { createCommon, mainnetHardfork } from '../chain.ts';
import type { ExecutionCase } from '../types.ts';
import { accountSchema, addressHex, fromHex, hexString, readJson, toBigInt, toSnapshot } from './parse.ts';

const BYZANTIUM = 4_370_000n;

const txSchema = z.object({ hash: hexString, from: addressHex, nonce: hexString, input: hexString, type: hexString.optional() }).passthrough();
const blockSchema = z
  .object({
    number: hexString,
    hash: hexString,
    timestamp: hexString,
    gasUsed: hexString,
    logsBloom: hexString.refine((h) => h.length === 2 + 512, 'expected 256 bytes'),
    receiptsRoot: hexString,
    miner: addressHex,
    transactions: z.array(txSchema),
    uncles: z.array(hexString).max(0, 'blocks with uncles are not supported (uncle headers are not in block.json)'),
  })
  .passthrough();
const preStateSchema = z.record(addressHex, accountSchema);
const hashesSchema = z.record(z.string().regex(/^[0-9]+$/, 'expected a decimal block number'), hexString);

/** True when `dir` looks like a mainnet block directory. */
export function isMainnetDir(dir: string): boolean {
  return existsSync(join(dir, 'block.json')) && existsSync(join(dir, 'pre_state.simple.json'));
}

/** Loads one mainnet block directory. */
export async function loadMainnetBlock(dir: string): Promise<ExecutionCase> {
  const blockPath = join(dir, 'block.json');
  const json = readJson(blockPath, blockSchema);
  const preState = toSnapshot(readJson(join(dir, 'pre_state.simple.json'), preStateSchema));
  const hashesPath = join(dir, 'block_hashes.json');
  const blockHashes = new Map<bigint, Uint8Array>();
  if (existsSync(hashesPath)) {
    for (const [n, h] of Object.entries(readJson(hashesPath, hashesSchema))) blockHashes.set(BigInt(n), fromHex(h));
  }
  const number = toBigInt(json.number);
  const hardfork = mainnetHardfork(number, toBigInt(json.timestamp));
  const chain = { hardfork, kzg: json.transactions.some((t) => t.type === '0x3') };
  const common = await createCommon(chain);
  let block;
  try {
    block = createBlockFromRPC(json as never, [], { common });
  } catch (err) {
    throw new EvmFpgaError(`malformed ${blockPath}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  for (const [i, tx] of block.transactions.entries()) {
    const want = json.transactions[i]!.hash.toLowerCase();
    const got = `0x${Buffer.from(tx.hash()).toString('hex')}`;
    if (got !== want) throw new EvmFpgaError(`malformed ${blockPath}: transactions.${i}: decodes to hash ${got}, file says ${want}`);
  }
  blockHashes.set(number, block.hash());
  return {
    name: `mainnet/${basename(dir)}`,
    source: 'mainnet',
    path: dir,
    chain,
    preState,
    blocksRlp: [block.serialize()],
    expected: [
      {
        gasUsed: toBigInt(json.gasUsed),
        logsBloom: fromHex(json.logsBloom),
        ...(number >= BYZANTIUM ? { receiptsRoot: fromHex(json.receiptsRoot) } : {}),
      },
    ],
    blockHashes,
  };
}
