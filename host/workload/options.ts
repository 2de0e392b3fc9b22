/** Options of a synthetic workload, validated with zod (one-line errors name the option). */
import { z } from 'zod';

export const WORKLOAD_KINDS = ['erc20', 'amm', 'lending', 'mixed'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export const workloadOptionsSchema = z.object({
  kind: z.enum(WORKLOAD_KINDS),
  /** Transactions in the block. */
  txs: z.number().int().min(1).max(100_000),
  /** User accounts (externally owned, each with ETH and token balances). */
  accounts: z.number().int().min(2).max(1_000_000),
  /** Share of transactions that touch shared state: 0 none, 1 all (one token holder, one pool). */
  hot: z.number().min(0).max(1),
  /** Seed of everything random, including the sender keys. */
  seed: z.number().int().min(0).max(2 ** 32 - 1),
});
export type WorkloadOptions = z.infer<typeof workloadOptionsSchema>;

/** Parses options; the error is one line naming the option (`--txs: ...`). */
export function parseWorkloadOptions(raw: unknown): WorkloadOptions {
  const r = workloadOptionsSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new WorkloadOptionError(`--${issue.path.join('.') || 'options'}: ${issue.message}`);
}

export class WorkloadOptionError extends Error {}
