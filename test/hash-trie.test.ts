/**
 * The level-batched trie builder (host/hash/trie.ts, state-root.ts) against @ethereumjs/mpt: raw
 * keys (empty trie, one key, keys sharing long prefixes, keys that are prefixes of others, short
 * inlined nodes), whole random states (storage tries, code), and the post-state of every fixture
 * (genesis and post-states of ethereum/tests with their stated roots, mainnet pre-states).
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { MerklePatriciaTrie } from '@ethereumjs/mpt';
import { bytesToHex } from '@ethereumjs/util';
import { describe, expect, it } from 'vitest';
import { buildStateManager } from '../host/executor/state.ts';
import { defaultFixtureDir, listJsonFiles, loadCases } from '../host/executor/load/index.ts';
import type { AccountState, StateSnapshot } from '../host/executor/types.ts';
import { createSoftwareBatchHasher, type BatchHasher } from '../host/hash/batch-hasher.ts';
import { stateRootOf } from '../host/hash/state-root.ts';
import { trieRoot, trieRoots, type TrieEntry } from '../host/hash/trie.ts';
import { readdirSync } from 'node:fs';

const hex = (b: Uint8Array) => bytesToHex(b);

async function mptRoot(entries: TrieEntry[]): Promise<Uint8Array> {
  const trie = new MerklePatriciaTrie();
  for (const e of entries) await trie.put(e.key, e.value);
  return trie.root();
}

/** A hasher that checks every batch is one level: no input may depend on a digest of the same batch. */
function countingHasher(): BatchHasher & { sizes: number[] } {
  const inner = createSoftwareBatchHasher();
  const sizes: number[] = [];
  return {
    name: 'counting',
    sizes,
    get stats() {
      return inner.stats;
    },
    async hashBatch(inputs) {
      sizes.push(inputs.length);
      return inner.hashBatch(inputs);
    },
  };
}

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const entry = (key: fc.Arbitrary<Uint8Array>) => fc.record({ key, value: bytes(1, 70) });

describe('trie builder: raw keys against @ethereumjs/mpt', () => {
  it('empty trie, one key, one short value', async () => {
    const h = createSoftwareBatchHasher();
    expect(hex(await trieRoot([], h))).toBe(hex(await mptRoot([])));
    const one = [{ key: Uint8Array.of(1, 2, 3), value: Uint8Array.of(9) }];
    expect(hex(await trieRoot(one, h))).toBe(hex(await mptRoot(one)));
    const big = [{ key: new Uint8Array(32).fill(7), value: new Uint8Array(100).fill(1) }];
    expect(hex(await trieRoot(big, h))).toBe(hex(await mptRoot(big)));
  });

  it('random keys of any length (prefixes of one another included)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry(bytes(0, 6)), { maxLength: 40 }), async (entries) => {
        expect(hex(await trieRoot(entries, createSoftwareBatchHasher()))).toBe(hex(await mptRoot(entries)));
      }),
      { numRuns: 150 },
    );
  });

  it('32-byte keys sharing long prefixes (deep extensions, small inlined nodes)', async () => {
    const prefixed = fc
      .tuple(bytes(20, 31), fc.array(fc.tuple(bytes(1, 12), fc.uint8Array({ minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 30 }))
      .map(([prefix, tails]) =>
        tails.map(([tail, value]) => {
          const key = new Uint8Array(32);
          key.set(prefix);
          key.set(tail.subarray(0, 32 - prefix.length), prefix.length);
          return { key, value };
        }),
      );
    await fc.assert(
      fc.asyncProperty(prefixed, async (entries) => {
        expect(hex(await trieRoot(entries, createSoftwareBatchHasher()))).toBe(hex(await mptRoot(entries)));
      }),
      { numRuns: 120 },
    );
  });

  it('many tries at once share their level batches', async () => {
    const tries = Array.from({ length: 20 }, (_, t) =>
      Array.from({ length: 1 + t * 7 }, (_, i) => ({ key: Uint8Array.of(t, i >> 8, i & 255, i * 7), value: new Uint8Array(40).fill(i + 1) })),
    );
    const h = countingHasher();
    const r = await trieRoots(tries, h);
    for (let t = 0; t < tries.length; t++) expect(hex(r.roots[t]!)).toBe(hex(await mptRoot(tries[t]!)));
    // One batch per height with hashed nodes, not one per trie and level.
    expect(h.sizes.length).toBe(r.levels.filter((l) => l.hashed > 0).length);
    expect(h.sizes.length).toBeLessThan(8);
    expect(h.sizes.reduce((a, b) => a + b, 0)).toBe(r.levels.reduce((a, l) => a + l.hashed, 0));
  });
});

const account = fc.record({
  nonce: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  balance: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 2n ** 200n })),
  code: fc.oneof(fc.constant(new Uint8Array()), bytes(1, 300)),
  storage: fc
    .array(fc.tuple(bytes(32, 32), fc.oneof(bytes(1, 1), bytes(1, 32))), { maxLength: 12 })
    .map((slots) => new Map(slots.filter(([, v]) => v[0] !== 0).map(([k, v]) => [Buffer.from(k).toString('hex'), v]))),
});
const state = fc
  .array(fc.tuple(bytes(20, 20), account), { maxLength: 25 })
  .map((accounts): StateSnapshot => new Map(accounts.map(([a, acc]) => [Buffer.from(a).toString('hex'), acc as AccountState])));

describe('state root of a snapshot against MerkleStateManager', () => {
  it('random states: empty, one account, storage tries, code', async () => {
    await fc.assert(
      fc.asyncProperty(state, async (snapshot) => {
        const sm = await buildStateManager(snapshot);
        const r = await stateRootOf(snapshot, createSoftwareBatchHasher());
        expect(hex(r.root)).toBe(hex(await sm.getStateRoot()));
      }),
      { numRuns: 60 },
    );
  });

  it('every fixture: genesis and post-state roots equal the fixture roots, mainnet pre-states the MerkleStateManager root', async () => {
    const FIX = defaultFixtureDir();
    let roots = 0;
    for (const p of listJsonFiles(join(FIX, 'ethereum-tests'))) {
      for (const c of await loadCases(p)) {
        const h = createSoftwareBatchHasher();
        if (c.preStateRoot) {
          expect(hex((await stateRootOf(c.preState, h)).root), `${c.name} genesis`).toBe(hex(c.preStateRoot));
          roots++;
        }
        const last = c.expected.at(-1)?.stateRoot;
        if (c.postState && last) {
          expect(hex((await stateRootOf(c.postState, h)).root), `${c.name} post-state`).toBe(hex(last));
          roots++;
        }
      }
    }
    for (const d of readdirSync(join(FIX, 'mainnet')).sort()) {
      const [c] = await loadCases(join(FIX, 'mainnet', d));
      const sm = await buildStateManager(c!.preState);
      expect(hex((await stateRootOf(c!.preState, createSoftwareBatchHasher())).root), c!.name).toBe(hex(await sm.getStateRoot()));
      roots++;
    }
    expect(roots).toBeGreaterThan(150);
  }, 120_000);
});
