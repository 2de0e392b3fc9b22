/**
 * Hash offload (docs/hash-offload.md): batch hashers (software, device), the level-batched trie and
 * state-root builder, and shadow verification of the executor's Keccak calls.
 */
export { createSoftwareBatchHasher, diffHashStats, emptyHashStats, type BatchHasher, type BatchHashStats } from './batch-hasher.ts';
export { createDeviceBatchHasher, type DeviceBatchHasher, type DeviceBatchHasherOptions } from './device-hasher.ts';
export { trieRoot, trieRoots, type TrieEntry, type TrieLevel, type TrieRootsResult } from './trie.ts';
export { stateRootOf, offloadStateRoot, type StateRootReport, type StateRootOffload } from './state-root.ts';
export { ShadowVerifier, recordToPort, type ShadowOptions, type ShadowStats, type ShadowMismatch } from './shadow.ts';
export { setKeccakTap, keccakFor, KECCAK_SOURCES, type KeccakSource, type KeccakTap } from '../executor/keccak.ts';
