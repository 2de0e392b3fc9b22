/**
 * One entry point for every input kind: a BlockchainTests JSON file, a mainnet block directory,
 * or a directory of BlockchainTests files (loaded recursively, sorted).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EvmFpgaError } from '../../errors.ts';
import type { ExecutionCase } from '../types.ts';
import { isBlockchainTest, loadBlockchainTest } from './blockchain-test.ts';
import { isMainnetDir, loadMainnetBlock } from './mainnet.ts';

export { loadBlockchainTest } from './blockchain-test.ts';
export { loadMainnetBlock } from './mainnet.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The shared fixtures: $EVM_FPGA_FIXTURES, else ../shared/fixtures beside the repository. */
export function defaultFixtureDir(): string {
  return process.env.EVM_FPGA_FIXTURES ?? join(REPO, '..', 'shared', 'fixtures');
}

/** All `*.json` files under `dir`, sorted. */
export function listJsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listJsonFiles(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

/** Loads whatever `path` holds into execution cases. */
export async function loadCases(path: string): Promise<ExecutionCase[]> {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new EvmFpgaError(`no such file or directory: ${path}`);
  }
  if (st.isDirectory()) {
    if (isMainnetDir(path)) return [await loadMainnetBlock(path)];
    const files = listJsonFiles(path);
    if (!files.length) throw new EvmFpgaError(`${path} holds neither block.json + pre_state.simple.json nor BlockchainTests JSON files`);
    const out: ExecutionCase[] = [];
    for (const f of files) out.push(...(await loadBlockchainTest(f)));
    return out;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new EvmFpgaError(`cannot read ${path}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  if (isBlockchainTest(json)) return loadBlockchainTest(path);
  if (path.endsWith('block.json')) return [await loadMainnetBlock(dirname(path))];
  throw new EvmFpgaError(`${path} is not a BlockchainTests file (no genesisBlockHeader/blocks) nor a mainnet block.json`);
}
