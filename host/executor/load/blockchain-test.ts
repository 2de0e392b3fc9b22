/**
 * Loads ethereum/tests BlockchainTests JSON (ValidBlocks, GeneralStateTests in blockchain form):
 * one file holds one or more named tests; each becomes an {@link ExecutionCase}. Expected values
 * come from the headers inside `blocks[].rlp` (stateRoot, receiptTrie, gasUsed, logsBloom).
 */
import { basename } from 'node:path';
import { createBlockFromRLP } from '@ethereumjs/block';
import { z } from 'zod';
import { EvmFpgaError } from '../../errors.ts';
import { createCommon } from '../chain.ts';
import type { ExecutionCase } from '../types.ts';
import { accountSchema, addressHex, fromHex, hexString, readJson, toBigInt, toSnapshot } from './parse.ts';

const HARDFORKS: Record<string, { hardfork: string; kzg: boolean }> = {
  Cancun: { hardfork: 'cancun', kzg: true },
  Shanghai: { hardfork: 'shanghai', kzg: false },
  Paris: { hardfork: 'paris', kzg: false },
  Merge: { hardfork: 'paris', kzg: false },
  London: { hardfork: 'london', kzg: false },
  Berlin: { hardfork: 'berlin', kzg: false },
};

const testSchema = z.object({
  network: z.string(),
  pre: z.record(addressHex, accountSchema),
  genesisBlockHeader: z.object({ hash: hexString, number: hexString, stateRoot: hexString }).passthrough(),
  blocks: z.array(z.object({ rlp: hexString, expectException: z.string().optional() }).passthrough()).min(1),
  postState: z.record(addressHex, accountSchema).optional(),
});
const fileSchema = z.record(z.string(), testSchema);

/** True when the parsed JSON looks like a BlockchainTests file (used to detect the input kind). */
export function isBlockchainTest(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const first = Object.values(json)[0] as Record<string, unknown> | undefined;
  return typeof first === 'object' && first !== null && 'genesisBlockHeader' in first && 'blocks' in first;
}

/** Loads every test of a BlockchainTests file. */
export async function loadBlockchainTest(path: string): Promise<ExecutionCase[]> {
  const file = readJson(path, fileSchema);
  const cases: ExecutionCase[] = [];
  for (const [name, t] of Object.entries(file)) {
    const chain = HARDFORKS[t.network];
    if (!chain) throw new EvmFpgaError(`malformed ${path}: ${name}.network: unsupported network '${t.network}'`);
    if (t.blocks.some((b) => b.expectException !== undefined)) {
      throw new EvmFpgaError(`${path}: ${name} expects an invalid block; only valid blocks can be executed`);
    }
    const common = await createCommon(chain);
    const blockHashes = new Map<bigint, Uint8Array>([[toBigInt(t.genesisBlockHeader.number), fromHex(t.genesisBlockHeader.hash)]]);
    const blocksRlp: Uint8Array[] = [];
    const expected: ExecutionCase['expected'] = [];
    for (const [i, b] of t.blocks.entries()) {
      const rlp = fromHex(b.rlp);
      let block;
      try {
        block = createBlockFromRLP(rlp, { common });
      } catch (err) {
        throw new EvmFpgaError(`malformed ${path}: ${name}.blocks.${i}.rlp: ${(err as Error).message.split('\n')[0]}`, { cause: err });
      }
      blockHashes.set(block.header.number, block.hash());
      blocksRlp.push(rlp);
      const h = block.header;
      expected.push({ stateRoot: h.stateRoot, receiptsRoot: h.receiptTrie, gasUsed: h.gasUsed, logsBloom: h.logsBloom });
    }
    cases.push({
      name: `${basename(path)}:${name}`,
      source: 'blockchain-test',
      path,
      chain,
      preState: toSnapshot(t.pre),
      preStateRoot: fromHex(t.genesisBlockHeader.stateRoot),
      blocksRlp,
      expected,
      blockHashes,
      ...(t.postState ? { postState: toSnapshot(t.postState) } : {}),
    });
  }
  return cases;
}
