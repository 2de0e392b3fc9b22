/**
 * Synthetic DeFi workloads: one block of signed transactions over real Solidity contracts (an
 * ERC-20, a constant-product pool, a lending pool) plus its pre-state, written in the mainnet
 * fixture format (`block.json` + `pre_state.simple.json`) so `evm-fpga exec DIR` loads it like a
 * mainnet block. The pre-state is written directly (storage slots from solc's storage layout), not
 * built by running constructors; the header's gasUsed, receiptsRoot, logsBloom and stateRoot come
 * from one sequential runBlock of the generated block.
 *
 * Contention: every transaction is `hot` with probability `--hot`. Hot transactions touch shared
 * state (token transfers to one exchange address, swaps on one pool, operations on one lending
 * pool with an oracle price drop and liquidations); cold ones touch only their sender's own state
 * (transfers between disjoint pairs while accounts last, swaps and loans on the sender's own pool).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBlock, genTransactionsTrieRoot } from '@ethereumjs/block';
import { createFeeMarket1559Tx, type FeeMarket1559Tx } from '@ethereumjs/tx';
import { KECCAK256_RLP, KECCAK256_RLP_ARRAY, bigIntToHex, bytesToHex, privateToAddress } from '@ethereumjs/util';
import { createCommon } from '../executor/chain.ts';
import { keccak256 } from '../executor/keccak.ts';
import { toSnapshot } from '../executor/load/parse.ts';
import { runBlockSequential } from '../executor/sequential.ts';
import { buildStateManager } from '../executor/state.ts';
import { addressWord, calldata, mappingSlot } from './abi.ts';
import { workloadContracts, type ContractArtifact } from './compile.ts';
import { parseWorkloadOptions, type WorkloadKind, type WorkloadOptions } from './options.ts';
import { mulberry32 } from '../prng.ts';

const E18 = 10n ** 18n;
const GWEI = 10n ** 9n;
const MAX = (1n << 256n) - 1n;
/** A Cancun block on mainnet's schedule (chain id 1). */
const NUMBER = 20_000_000n;
const TIMESTAMP = 1_720_000_000n;
const BASE_FEE = GWEI;
const CHAIN = { hardfork: 'cancun', kzg: false } as const;

/** Gas limits per transaction kind (generous; unused gas is refunded). */
const GAS = { eth: 21_000n, erc20: 80_000n, swap: 200_000n, lending: 300_000n };

/** A deterministic PRNG (mulberry32) seeded from the workload seed. */
export function prng(seed: number) {
  const next = mulberry32(seed);
  return { float: next, int: (n: number) => Math.floor(next() * n) };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const tagged = (tag: string) => keccak256(new TextEncoder().encode(`evm-fpga workload ${tag}`));
/** A contract or passive address derived from a tag (no key exists for it). */
const derivedAddress = (tag: string) => hex(tagged(tag).subarray(12));

interface PreAccount {
  balance: bigint;
  nonce: bigint;
  code: Uint8Array;
  storage: Map<bigint, bigint>;
}

class PreStateBuilder {
  readonly accounts = new Map<string, PreAccount>();
  account(a: string): PreAccount {
    let acc = this.accounts.get(a);
    if (!acc) this.accounts.set(a, (acc = { balance: 0n, nonce: 0n, code: new Uint8Array(), storage: new Map() }));
    return acc;
  }
  set(a: string, slot: bigint, value: bigint): void {
    this.account(a).storage.set(slot, value);
  }
  add(a: string, slot: bigint, value: bigint): void {
    const s = this.account(a).storage;
    s.set(slot, (s.get(slot) ?? 0n) + value);
  }
  toJson(): Record<string, { balance: string; nonce: string; code: string; storage: Record<string, string> }> {
    const out: ReturnType<PreStateBuilder['toJson']> = {};
    for (const a of [...this.accounts.keys()].sort()) {
      const acc = this.accounts.get(a)!;
      const storage: Record<string, string> = {};
      for (const [k, v] of [...acc.storage].sort(([x], [y]) => (x < y ? -1 : 1))) if (v !== 0n) storage[bigIntToHex(k)] = bigIntToHex(v);
      out[`0x${a}`] = { balance: bigIntToHex(acc.balance), nonce: bigIntToHex(acc.nonce), code: bytesToHex(acc.code), storage };
    }
    return out;
  }
}

interface User {
  key: Uint8Array;
  address: string;
  nonce: bigint;
}

/** What a workload holds, for reports. */
export interface WorkloadSummary {
  options: WorkloadOptions;
  transactions: number;
  hotTransactions: number;
  byKind: Record<string, number>;
  /** Transactions whose receipt status is 0 (reverted) in the sequential run. */
  reverted: number;
  gasUsed: bigint;
  preStateAccounts: number;
}

export interface GeneratedWorkload {
  /** eth_getBlockByNumber-style JSON with full transactions. */
  block: Record<string, unknown>;
  /** `pre_state.simple.json` content. */
  preState: ReturnType<PreStateBuilder['toJson']>;
  summary: WorkloadSummary;
}

/** Builds the workload in memory (deterministic for the options). */
export async function generateWorkload(raw: WorkloadOptions): Promise<GeneratedWorkload> {
  const opts = parseWorkloadOptions(raw);
  const contracts = await workloadContracts();
  const rng = prng(opts.seed);
  const common = await createCommon(CHAIN);
  const pre = new PreStateBuilder();
  const tokenSlots = contracts.Token.slots;
  const slot = (c: ContractArtifact, label: string) => {
    const s = c.slots[label];
    if (s === undefined) throw new Error(`workload contracts: ${c.name}.${label} has no slot`);
    return s;
  };

  // Tokens: T0 (the ERC-20 of the erc20 kind, the pools' token0, the loans' collateral) and T1.
  const token0 = derivedAddress('token0');
  const token1 = derivedAddress('token1');
  for (const t of [token0, token1]) pre.account(t).code = contracts.Token.runtime;
  const balanceSlot = (holder: string) => mappingSlot(addressWord(holder), slot(contracts.Token, 'balanceOf'));
  const mint = (token: string, holder: string, amount: bigint) => {
    pre.add(token, balanceSlot(holder), amount);
    pre.add(token, tokenSlots.totalSupply!, amount);
  };
  const approved = new Set<string>();
  const approve = (token: string, owner: string, spender: string) => {
    const k = `${token}${owner}${spender}`;
    if (approved.has(k)) return;
    approved.add(k);
    pre.set(token, mappingSlot(addressWord(spender), mappingSlot(addressWord(owner), slot(contracts.Token, 'allowance'))), MAX);
  };

  // Users: K key-derived accounts with ETH and both tokens, in a seeded order.
  const users: User[] = [];
  for (let i = 0; i < opts.accounts; i++) {
    const key = tagged(`seed ${opts.seed} account ${i}`);
    const address = hex(privateToAddress(key));
    users.push({ key, address, nonce: 0n });
    pre.account(address).balance = 100n * E18;
    mint(token0, address, 1_000_000n * E18);
    mint(token1, address, 1_000_000n * E18);
  }
  for (let i = users.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [users[i], users[j]] = [users[j]!, users[i]!];
  }
  const coinbase = derivedAddress('coinbase');
  const exchange = derivedAddress('exchange');
  const oracleKey = tagged(`seed ${opts.seed} oracle`);
  const oracle: User = { key: oracleKey, address: hex(privateToAddress(oracleKey)), nonce: 0n };
  pre.account(oracle.address).balance = 10n * E18;

  const pools = new Map<string, string>();
  const poolFor = (owner: string | null, reserve: bigint) => {
    const tag = owner ?? 'shared';
    let p = pools.get(tag);
    if (p) return p;
    p = derivedAddress(`pool ${tag}`);
    pools.set(tag, p);
    const c = contracts.Pool;
    pre.account(p).code = c.runtime;
    pre.set(p, slot(c, 'token0'), addressWord(token0));
    pre.set(p, slot(c, 'token1'), addressWord(token1));
    // reserve0 | reserve1 << 112 | blockTimestampLast << 224 share one slot.
    pre.set(p, slot(c, 'reserve0'), reserve | (reserve << 112n) | ((TIMESTAMP - 12n) << 224n));
    mint(token0, p, reserve);
    mint(token1, p, reserve);
    return p;
  };

  const lendings = new Map<string, string>();
  const lendingFor = (owner: string | null) => {
    const tag = owner ?? 'shared';
    let l = lendings.get(tag);
    if (l) return l;
    l = derivedAddress(`lending ${tag}`);
    lendings.set(tag, l);
    const c = contracts.Lending;
    const liquidity = owner ? 1_000_000n * E18 : 1_000_000_000n * E18;
    pre.account(l).code = c.runtime;
    pre.set(l, slot(c, 'collateralToken'), addressWord(token0));
    pre.set(l, slot(c, 'debtToken'), addressWord(token1));
    pre.set(l, slot(c, 'oracle'), addressWord(oracle.address));
    pre.set(l, slot(c, 'price'), E18);
    pre.set(l, slot(c, 'borrowIndex'), E18);
    pre.set(l, slot(c, 'ratePerSecond'), GWEI); // about 3% a year
    pre.set(l, slot(c, 'lastAccrual'), TIMESTAMP - 12n);
    pre.set(l, slot(c, 'totalDeposits'), liquidity);
    mint(token1, l, liquidity);
    return l;
  };
  const positions = new Set<string>();
  /** A position of `who` in lending pool `l`: collateral 1000, debt `debt` (index 1, price 1). */
  const position = (l: string, who: string, debt: bigint) => {
    if (positions.has(l + who)) return;
    positions.add(l + who);
    const c = contracts.Lending;
    pre.set(l, mappingSlot(addressWord(who), slot(c, 'collateralOf')), 1000n * E18);
    pre.set(l, mappingSlot(addressWord(who), slot(c, 'scaledDebtOf')), debt);
    pre.add(l, slot(c, 'totalScaledDebt'), debt);
    mint(token0, l, 1000n * E18);
  };

  const sig = {
    transfer: 'transfer(address,uint256)',
    swap: 'swapExactIn(bool,uint256,uint256)',
    deposit: 'deposit(uint256)',
    borrow: 'borrow(uint256,uint256)',
    repay: 'repay(uint256)',
    liquidate: 'liquidate(address,uint256)',
    setPrice: 'setPrice(uint256)',
  };
  const txs: FeeMarket1559Tx[] = [];
  const byKind: Record<string, number> = {};
  let hotCount = 0;
  let priceDropped = false;
  let risky = 0;
  const send = (from: User, to: string, data: Uint8Array, gasLimit: bigint, value = 0n, kind = 'call') => {
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    const tx = createFeeMarket1559Tx(
      { chainId: 1n, nonce: from.nonce++, maxPriorityFeePerGas: GWEI, maxFeePerGas: 3n * GWEI, gasLimit, to: `0x${to}`, value, data },
      { common },
    ).sign(from.key);
    txs.push(tx);
  };

  const K = users.length;
  for (let i = 0; i < opts.txs; i++) {
    const kinds: (WorkloadKind | 'eth')[] = ['erc20', 'amm', 'lending', 'eth'];
    const kind = opts.kind === 'mixed' ? kinds[rng.int(kinds.length)]! : opts.kind;
    const hot = rng.float() < opts.hot;
    if (hot) hotCount++;
    const sender = users[i % K]!;
    // Cold counterparties come from the other end of the shuffled list: disjoint from the senders while 2·txs <= accounts.
    let peer = users[K - 1 - (i % K)]!;
    if (peer === sender) peer = users[(2 * K - 2 - (i % K)) % K]!;
    const amount = (1n + BigInt(rng.int(100))) * E18;
    if (kind === 'eth') {
      send(sender, hot ? exchange : peer.address, new Uint8Array(), GAS.eth, amount / 1000n, hot ? 'eth (hot)' : 'eth');
    } else if (kind === 'erc20') {
      send(sender, token0, calldata(sig.transfer, [addressWord(hot ? exchange : peer.address), amount]), GAS.erc20, 0n, hot ? 'erc20 transfer (hot)' : 'erc20 transfer');
    } else if (kind === 'amm') {
      const pool = poolFor(hot ? null : sender.address, hot ? 10_000_000n * E18 : 100_000n * E18);
      approve(token0, sender.address, pool);
      approve(token1, sender.address, pool);
      send(sender, pool, calldata(sig.swap, [BigInt(rng.int(2)), amount, 1n]), GAS.swap, 0n, hot ? 'swap (hot)' : 'swap');
    } else {
      const l = lendingFor(hot ? null : sender.address);
      approve(token0, sender.address, l);
      approve(token1, sender.address, l);
      const r = rng.float();
      if (hot && !priceDropped && r < 0.3) {
        // The leverage scenario: the oracle drops the collateral price by 10%; later liquidations succeed.
        priceDropped = true;
        send(oracle, l, calldata(sig.setPrice, [(9n * E18) / 10n]), GAS.lending, 0n, 'oracle price (hot)');
        continue;
      }
      if (hot && priceDropped && r < 0.35) {
        // 770 debt on 1000 collateral: healthy at price 1, liquidatable at 0.9 (85.6% > 80%).
        const borrower = derivedAddress(`seed ${opts.seed} risky ${risky++}`);
        position(l, borrower, 770n * E18);
        send(sender, l, calldata(sig.liquidate, [addressWord(borrower), 100n * E18]), GAS.lending, 0n, 'liquidation (hot)');
        continue;
      }
      position(l, sender.address, 500n * E18);
      const suffix = hot ? ' (hot)' : '';
      if (r < 0.45) send(sender, l, calldata(sig.borrow, [20n * E18, amount / 10n]), GAS.lending, 0n, `borrow${suffix}`);
      else if (r < 0.75) send(sender, l, calldata(sig.repay, [amount / 10n]), GAS.lending, 0n, `repay${suffix}`);
      else send(sender, l, calldata(sig.deposit, [amount]), GAS.lending, 0n, `deposit${suffix}`);
    }
  }

  // Execute once sequentially to learn the header fields the block commits to.
  const gasLimit = [...txs].reduce((s, t) => s + t.gasLimit, 0n);
  const header = {
    number: NUMBER,
    timestamp: TIMESTAMP,
    gasLimit: gasLimit > 30_000_000n ? gasLimit : 30_000_000n,
    baseFeePerGas: BASE_FEE,
    coinbase: `0x${coinbase}` as `0x${string}`,
    parentHash: tagged(`seed ${opts.seed} parent`),
    parentBeaconBlockRoot: tagged(`seed ${opts.seed} beacon`),
    blobGasUsed: 0n,
    excessBlobGas: 0n,
    withdrawalsRoot: KECCAK256_RLP,
    transactionsTrie: await genTransactionsTrieRoot(txs),
    extraData: new TextEncoder().encode(`evm-fpga ${opts.kind}`),
  };
  const preState = pre.toJson();
  const snapshot = toSnapshot(preState);
  const sm = await buildStateManager(snapshot, common);
  const draft = createBlock({ header, transactions: txs, withdrawals: [] }, { common });
  const seq = await runBlockSequential(common, sm, snapshot, draft, new Map());
  const o = seq.outputs;
  const block = createBlock(
    { header: { ...header, gasUsed: o.gasUsed, receiptTrie: o.receiptsRoot, logsBloom: o.logsBloom, stateRoot: o.stateRoot }, transactions: txs, withdrawals: [] },
    { common },
  );
  const h = block.header;
  const blockHash = bytesToHex(block.hash());
  const json: Record<string, unknown> = {
    hash: blockHash,
    parentHash: bytesToHex(h.parentHash),
    sha3Uncles: bytesToHex(KECCAK256_RLP_ARRAY),
    miner: h.coinbase.toString(),
    stateRoot: bytesToHex(h.stateRoot),
    transactionsRoot: bytesToHex(h.transactionsTrie),
    receiptsRoot: bytesToHex(h.receiptTrie),
    logsBloom: bytesToHex(h.logsBloom),
    difficulty: '0x0',
    number: bigIntToHex(h.number),
    gasLimit: bigIntToHex(h.gasLimit),
    gasUsed: bigIntToHex(h.gasUsed),
    timestamp: bigIntToHex(h.timestamp),
    extraData: bytesToHex(h.extraData),
    mixHash: bytesToHex(h.mixHash),
    nonce: bytesToHex(h.nonce),
    baseFeePerGas: bigIntToHex(h.baseFeePerGas!),
    withdrawalsRoot: bytesToHex(h.withdrawalsRoot!),
    blobGasUsed: bigIntToHex(h.blobGasUsed!),
    excessBlobGas: bigIntToHex(h.excessBlobGas!),
    parentBeaconBlockRoot: bytesToHex(h.parentBeaconBlockRoot!),
    uncles: [],
    withdrawals: [],
    transactions: block.transactions.map((tx, i) => {
      const t = tx.toJSON();
      return {
        hash: bytesToHex(tx.hash()),
        blockHash,
        blockNumber: bigIntToHex(h.number),
        transactionIndex: bigIntToHex(BigInt(i)),
        from: tx.getSenderAddress().toString(),
        to: t.to,
        value: t.value,
        gas: t.gasLimit,
        input: t.data,
        nonce: t.nonce,
        maxFeePerGas: t.maxFeePerGas,
        maxPriorityFeePerGas: t.maxPriorityFeePerGas,
        gasPrice: bigIntToHex(BASE_FEE + GWEI),
        accessList: [],
        chainId: t.chainId,
        type: '0x2',
        v: t.v,
        r: t.r,
        s: t.s,
      };
    }),
  };
  return {
    block: json,
    preState,
    summary: {
      options: opts,
      transactions: txs.length,
      hotTransactions: hotCount,
      byKind,
      reverted: o.receipts.filter((r) => r.status === 0).length,
      gasUsed: o.gasUsed,
      preStateAccounts: pre.accounts.size,
    },
  };
}

/** Generates a workload and writes `block.json`, `pre_state.simple.json` and `workload.json` into `dir`. */
export async function writeWorkload(dir: string, opts: WorkloadOptions): Promise<WorkloadSummary> {
  const w = await generateWorkload(opts);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'block.json'), `${JSON.stringify(w.block)}\n`);
  writeFileSync(join(dir, 'pre_state.simple.json'), `${JSON.stringify(w.preState)}\n`);
  writeFileSync(join(dir, 'workload.json'), `${JSON.stringify({ ...w.summary, gasUsed: w.summary.gasUsed.toString() }, null, 2)}\n`);
  return w.summary;
}
