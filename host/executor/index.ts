/** The parallel block executor: loaders, sequential reference, parallel executor, storage checks. */
export { createExecutor, executeBlock, ParallelExecutor, type BlockInput, type ExecutionStats, type ExecutorOptions, type ParallelBlockResult } from './parallel.ts';
export { createSoftwareStorageChecker, accessKeyDigest, type AccessRecord, type CheckResult, type StorageChecker } from './storage-check.ts';
export { runCaseSequential, runBlockSequential, type SequentialBlockResult } from './sequential.ts';
export { loadCases, loadBlockchainTest, loadMainnetBlock, defaultFixtureDir } from './load/index.ts';
export { compareOutputs, compareExpected } from './compare.ts';
export type { BlockOutputs, ChainSpec, ExecutionCase, ExpectedBlock, ReceiptOutput, StateSnapshot, AccountState } from './types.ts';
