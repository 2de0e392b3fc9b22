/**
 * Merkle-Patricia trie roots computed bottom-up, one batch per level (docs/hash-offload.md).
 *
 * The tries are planned first without hashing: sorted keys are split into leaves, extensions and
 * branches exactly as Ethereum's trie (and `@ethereumjs/mpt`) shapes them. Each node's height is
 * its distance from the bottom (a leaf is 0, a parent is one more than its highest child). A node's
 * encoding needs only its children's references, so all nodes of one height, across every trie
 * given, are encoded together and those whose RLP is 32 bytes or longer (and every root) go to the
 * {@link BatchHasher} as one batch. Shorter nodes are inlined in their parent, never hashed.
 */
import { KECCAK256_RLP } from '@ethereumjs/util';
import type { BatchHasher } from './batch-hasher.ts';

/** One key/value pair of a trie. The key is the trie path (already hashed for a secure trie). */
export interface TrieEntry {
  key: Uint8Array;
  /** Non-empty (an empty value means no entry, as in `@ethereumjs/mpt`). */
  value: Uint8Array;
}

/** What one level contributed. */
export interface TrieLevel {
  /** Height from the bottom (0: leaves). */
  height: number;
  /** Nodes of that height over all tries. */
  nodes: number;
  /** Of those, hashed (RLP of 32 bytes or more, or a root); the rest are inlined. */
  hashed: number;
  /** Bytes hashed. */
  bytes: number;
}

/** Roots of several tries with the per-level batches. */
export interface TrieRootsResult {
  /** One root per trie given (KECCAK256_RLP for an empty trie). */
  roots: Uint8Array[];
  levels: TrieLevel[];
}

type Node =
  | { kind: 'leaf'; height: number; path: Uint8Array; value: Uint8Array; ref?: Uint8Array }
  | { kind: 'ext'; height: number; path: Uint8Array; child: Node; ref?: Uint8Array }
  | { kind: 'branch'; height: number; children: (Node | undefined)[]; value: Uint8Array | undefined; ref?: Uint8Array };

/**
 * The root of every trie in `tries`, hashing level by level through `hasher`: the batches are
 * shared by all tries, so many small tries cost as many batches as the tallest one has levels.
 */
export async function trieRoots(tries: readonly (readonly TrieEntry[])[], hasher: BatchHasher): Promise<TrieRootsResult> {
  const plans = tries.map(planTrie);
  const byHeight: Node[][] = [];
  const collect = (n: Node) => {
    (byHeight[n.height] ??= []).push(n);
    if (n.kind === 'ext') collect(n.child);
    else if (n.kind === 'branch') for (const c of n.children) if (c) collect(c);
  };
  for (const p of plans) if (p) collect(p);
  const rootOf = new Map<Node, number>();
  plans.forEach((p, i) => p && rootOf.set(p, i));
  const roots = plans.map(() => KECCAK256_RLP);
  const levels: TrieLevel[] = [];
  for (let h = 0; h < byHeight.length; h++) {
    const nodes = byHeight[h] ?? [];
    const hashed: Node[] = [];
    const inputs: Uint8Array[] = [];
    for (const n of nodes) {
      const enc = encodeNode(n);
      if (enc.length >= 32 || rootOf.has(n)) {
        hashed.push(n);
        inputs.push(enc);
      }
      n.ref = enc;
    }
    const digests = inputs.length ? await hasher.hashBatch(inputs) : [];
    hashed.forEach((n, k) => {
      const d = digests[k]!;
      const root = rootOf.get(n);
      if (root !== undefined) roots[root] = d;
      if (n.ref!.length >= 32) n.ref = rlpString(d);
    });
    levels.push({ height: h, nodes: nodes.length, hashed: inputs.length, bytes: inputs.reduce((s, m) => s + m.length, 0) });
  }
  return { roots, levels };
}

/** The root of one trie (see {@link trieRoots}). */
export async function trieRoot(entries: readonly TrieEntry[], hasher: BatchHasher): Promise<Uint8Array> {
  return (await trieRoots([entries], hasher)).roots[0]!;
}

interface Keyed {
  nibbles: Uint8Array;
  value: Uint8Array;
}

/** Plans one trie: sorted, deduplicated (last value wins), empty values dropped. */
function planTrie(entries: readonly TrieEntry[]): Node | undefined {
  const byKey = new Map<string, TrieEntry>();
  for (const e of entries) byKey.set(Buffer.from(e.key.buffer, e.key.byteOffset, e.key.byteLength).toString('hex'), e);
  const keyed: Keyed[] = [...byKey]
    .filter(([, e]) => e.value.length > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, e]) => ({ nibbles: toNibbles(e.key), value: e.value }));
  return keyed.length ? plan(keyed, 0, keyed.length, 0) : undefined;
}

function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i]! >> 4;
    out[2 * i + 1] = key[i]! & 15;
  }
  return out;
}

/** The node for sorted keys [start, end) that agree on their first `depth` nibbles. */
function plan(keys: Keyed[], start: number, end: number, depth: number): Node {
  const first = keys[start]!;
  if (end - start === 1) return { kind: 'leaf', height: 0, path: first.nibbles.subarray(depth), value: first.value };
  // Sorted keys: the common prefix of the range is the common prefix of its first and last keys.
  const last = keys[end - 1]!.nibbles;
  let cp = 0;
  while (depth + cp < first.nibbles.length && depth + cp < last.length && first.nibbles[depth + cp] === last[depth + cp]) cp++;
  if (cp > 0) {
    const child = plan(keys, start, end, depth + cp);
    return { kind: 'ext', height: child.height + 1, path: first.nibbles.subarray(depth, depth + cp), child };
  }
  // A branch: a key ending here is its value (the shortest key sorts first), the rest by nibble.
  let i = start;
  let value: Uint8Array | undefined;
  if (first.nibbles.length === depth) {
    value = first.value;
    i++;
  }
  const children: (Node | undefined)[] = new Array(16).fill(undefined);
  let height = 0;
  while (i < end) {
    const nib = keys[i]!.nibbles[depth]!;
    let j = i + 1;
    while (j < end && keys[j]!.nibbles[depth] === nib) j++;
    const child = plan(keys, i, j, depth + 1);
    children[nib] = child;
    height = Math.max(height, child.height + 1);
    i = j;
  }
  return { kind: 'branch', height, children, value };
}

const EMPTY_STRING = Uint8Array.of(0x80);

/** The node's RLP; its children's references must be set. */
function encodeNode(n: Node): Uint8Array {
  switch (n.kind) {
    case 'leaf':
      return rlpList([rlpString(hexPrefix(n.path, true)), rlpString(n.value)]);
    case 'ext':
      return rlpList([rlpString(hexPrefix(n.path, false)), n.child.ref!]);
    case 'branch':
      return rlpList([...n.children.map((c) => (c ? c.ref! : EMPTY_STRING)), n.value ? rlpString(n.value) : EMPTY_STRING]);
  }
}

/** Hex-prefix (compact) encoding of a nibble path with the leaf flag. */
export function hexPrefix(nibbles: Uint8Array, leaf: boolean): Uint8Array {
  const odd = nibbles.length & 1;
  const out = new Uint8Array(1 + (nibbles.length >> 1));
  out[0] = ((leaf ? 2 : 0) + odd) << 4;
  let i = 0;
  if (odd) out[0] |= nibbles[i++]!;
  for (let k = 1; i < nibbles.length; i += 2, k++) out[k] = (nibbles[i]! << 4) | nibbles[i + 1]!;
  return out;
}

function lengthPrefix(len: number, short: number, long: number): Uint8Array {
  if (len < 56) return Uint8Array.of(short + len);
  const bytes: number[] = [];
  for (let l = len; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 255);
  return Uint8Array.of(long + bytes.length, ...bytes);
}

/** RLP of a byte string. */
export function rlpString(b: Uint8Array): Uint8Array {
  if (b.length === 1 && b[0]! < 0x80) return b;
  const head = lengthPrefix(b.length, 0x80, 0xb7);
  const out = new Uint8Array(head.length + b.length);
  out.set(head);
  out.set(b, head.length);
  return out;
}

/** RLP of a list whose items are already encoded. */
export function rlpList(items: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const it of items) len += it.length;
  const head = lengthPrefix(len, 0xc0, 0xf7);
  const out = new Uint8Array(head.length + len);
  out.set(head);
  let at = head.length;
  for (const it of items) {
    out.set(it, at);
    at += it.length;
  }
  return out;
}
