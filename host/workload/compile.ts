/**
 * Compiles the workload contracts (host/workload/contracts/*.sol) with solc-js and caches the
 * artifacts under .cache/solc/, keyed by the hash of the sources and the compiler version: solc-js
 * takes seconds to load and compile, a cache hit takes milliseconds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EvmFpgaError } from '../errors.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const SOURCES = join(HERE, 'contracts');
const CACHE = resolve(HERE, '../../.cache/solc');
const SOLC_VERSION = '0.8.37';

/** One compiled contract: runtime code (no constructor is run: the pre-state is written directly) and storage layout. */
export interface ContractArtifact {
  name: string;
  abi: unknown[];
  /** Deployed (runtime) bytecode. */
  runtime: Uint8Array;
  /** State variable label → slot number. */
  slots: Record<string, bigint>;
}

export type ContractName = 'Token' | 'Pool' | 'Lending';

interface CachedArtifacts {
  compiler: string;
  contracts: Record<string, { abi: unknown[]; runtime: string; slots: Record<string, string> }>;
}

function readSources(): Record<string, { content: string }> {
  const out: Record<string, { content: string }> = {};
  for (const f of readdirSync(SOURCES).filter((n) => n.endsWith('.sol')).sort()) out[f] = { content: readFileSync(join(SOURCES, f), 'utf8') };
  return out;
}

let memo: Promise<Record<ContractName, ContractArtifact>> | undefined;

/** The compiled workload contracts (compiled on the first call after a source change). */
export function workloadContracts(): Promise<Record<ContractName, ContractArtifact>> {
  memo ??= load();
  return memo;
}

async function load(): Promise<Record<ContractName, ContractArtifact>> {
  const sources = readSources();
  const key = createHash('sha256').update(SOLC_VERSION).update(JSON.stringify(sources)).digest('hex').slice(0, 16);
  const file = join(CACHE, `workload-${key}.json`);
  let cached: CachedArtifacts;
  if (existsSync(file)) cached = JSON.parse(readFileSync(file, 'utf8')) as CachedArtifacts;
  else {
    cached = await compile(sources);
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(file, JSON.stringify(cached));
  }
  const out = {} as Record<ContractName, ContractArtifact>;
  for (const name of ['Token', 'Pool', 'Lending'] as const) {
    const c = cached.contracts[name];
    if (!c) throw new EvmFpgaError(`workload contracts: ${name} missing from the compiler output`);
    out[name] = {
      name,
      abi: c.abi,
      runtime: Uint8Array.from(Buffer.from(c.runtime, 'hex')),
      slots: Object.fromEntries(Object.entries(c.slots).map(([k, v]) => [k, BigInt(v)])),
    };
  }
  return out;
}

async function compile(sources: Record<string, { content: string }>): Promise<CachedArtifacts> {
  const solc = (await import('solc')).default as { compile(input: string): string; version(): string };
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'cancun',
      outputSelection: { '*': { '*': ['abi', 'evm.deployedBytecode.object', 'storageLayout'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: unknown[]; evm: { deployedBytecode: { object: string } }; storageLayout: { storage: { label: string; slot: string; offset: number }[] } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new EvmFpgaError(`solc: ${errors[0]!.formattedMessage.split('\n')[0]}`, { details: errors.map((e) => e.formattedMessage).join('\n') });
  const contracts: CachedArtifacts['contracts'] = {};
  for (const file of Object.values(output.contracts)) {
    for (const [name, c] of Object.entries(file)) {
      if (!c.evm.deployedBytecode.object) continue; // interfaces
      const slots: Record<string, string> = {};
      for (const s of c.storageLayout.storage) if (s.offset === 0) slots[s.label] = s.slot;
      contracts[name] = { abi: c.abi, runtime: c.evm.deployedBytecode.object, slots };
    }
  }
  return { compiler: solc.version(), contracts };
}
