/**
 * `evm-fpga workload --kind erc20|amm|lending|mixed --txs N --accounts K --hot F --seed S --out DIR`:
 * writes a synthetic block and its pre-state in the mainnet fixture format (run it with
 * `evm-fpga exec DIR`). Contracts are compiled once with solc-js and cached in .cache/solc/.
 */
import type { CommandModule } from 'yargs';
import { WORKLOAD_KINDS, WorkloadOptionError, parseWorkloadOptions } from '../../workload/options.ts';
import { writeWorkload } from '../../workload/generate.ts';
import { toJson, UsageError } from '../output.ts';

interface Args {
  kind: string;
  txs: number;
  accounts: number;
  hot: number;
  seed: number;
  out: string;
  json: boolean;
}

export const workloadCommand: CommandModule<object, Args> = {
  command: 'workload',
  describe: 'Write a synthetic DeFi block (ERC-20, AMM, lending, mixed) with its pre-state',
  builder: (y) =>
    y
      .option('kind', { type: 'string', demandOption: true, describe: `One of ${WORKLOAD_KINDS.join(', ')}` })
      .option('txs', { type: 'number', default: 1000, describe: 'Transactions in the block' })
      .option('accounts', { type: 'number', default: 10_000, describe: 'User accounts' })
      .option('hot', { type: 'number', default: 0, describe: 'Share of transactions touching shared state (0..1)' })
      .option('seed', { type: 'number', default: 1, describe: 'Seed (sender keys and every random choice)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Output directory' })
      .option('json', { type: 'boolean', default: false }) as never,
  handler: async (a) => {
    let opts;
    try {
      opts = parseWorkloadOptions({ kind: a.kind, txs: a.txs, accounts: a.accounts, hot: a.hot, seed: a.seed });
    } catch (err) {
      if (err instanceof WorkloadOptionError) throw new UsageError(err.message);
      throw err;
    }
    const s = await writeWorkload(a.out, opts);
    if (a.json) process.stdout.write(`${toJson({ out: a.out, ...s })}\n`);
    else {
      const kinds = Object.entries(s.byKind)
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      process.stdout.write(
        `${a.out}: ${s.transactions} transactions (${s.hotTransactions} hot; ${kinds}), ${s.reverted} reverted, ` +
          `gas ${s.gasUsed}, ${s.preStateAccounts} pre-state accounts\nrun it: evm-fpga exec ${a.out} --compare\n`,
      );
    }
  },
};
