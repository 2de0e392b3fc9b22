/**
 * The shadow verifier without a device: pairs recorded through the Keccak tap (this thread and the
 * worker port protocol, both ends in one thread), batches of `batchPairs`, a corrupted digest
 * counted once with its details, a failing hasher surfacing as one error with its cause, and the
 * pair packing round trip.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EvmFpgaError } from '../../host/errors.ts';
import { keccak256, keccakFor, keccakPhase, setKeccakTap } from '../../host/executor/keccak.ts';
import { createSoftwareBatchHasher, type BatchHasher } from '../../host/hash/batch-hasher.ts';
import { PairBuffer, batchDigest, batchInput, batchSource } from '../../host/hash/pairs.ts';
import { ShadowVerifier, recordToPort } from '../../host/hash/shadow.ts';

const msg = (i: number) => Uint8Array.from({ length: (i * 13) % 200 }, (_, k) => (k + i) & 255);

afterEach(() => setKeccakTap(undefined));

describe('shadow verifier', () => {
  it('records calls by source through the tap and checks them in batches', async () => {
    const hasher = createSoftwareBatchHasher();
    const v = new ShadowVerifier(hasher, { batchPairs: 10 });
    v.install();
    const evm = keccakFor('evm');
    for (let i = 0; i < 25; i++) keccakFor('trie')(msg(i));
    keccakPhase.evm = true;
    evm(msg(1));
    keccakPhase.evm = false;
    evm(msg(2));
    keccakFor('code')(msg(3));
    keccak256(msg(4)); // the untapped hash is not recorded
    v.uninstall();
    keccakFor('code')(msg(5)); // nor anything after uninstall
    await new Promise((r) => setTimeout(r, 0));
    expect(hasher.stats.batches).toBe(2); // the two full batches were checked before drain
    const s = await v.drain();
    expect(s.bySource).toEqual({
      trie: { calls: 25, bytes: Array.from({ length: 25 }, (_, i) => msg(i).length).reduce((a, b) => a + b) },
      opcode: { calls: 1, bytes: msg(1).length },
      transactions: { calls: 1, bytes: msg(2).length },
      code: { calls: 1, bytes: msg(3).length },
    });
    expect(s.checks).toBe(28);
    expect(s.mismatches).toBe(0);
    expect(s.batches).toBe(3);
    expect(s.peakQueuedPairs).toBeLessThanOrEqual(20);
  });

  it('a corrupted digest is one mismatch, reported with both digests', async () => {
    const v = new ShadowVerifier(createSoftwareBatchHasher(), { corruptPair: 7, batchPairs: 4 });
    v.install();
    for (let i = 0; i < 12; i++) keccakFor('code')(msg(i));
    const s = await v.drain();
    expect(s.mismatches).toBe(1);
    const m = s.firstMismatches[0]!;
    expect(m.device).toBe(Buffer.from(keccak256(msg(7))).toString('hex'));
    expect(Buffer.from(m.recorded, 'hex')[0]).toBe(Buffer.from(m.device, 'hex')[0]! ^ 1);
    expect(m.inputBytes).toBe(msg(7).length);
  });

  it('pairs from the worker port protocol are collected on drain', async () => {
    const v = new ShadowVerifier(createSoftwareBatchHasher());
    const port = v.channel();
    recordToPort(port, 3); // what a worker does with its port
    for (let i = 0; i < 8; i++) keccakFor('trie')(msg(i));
    const s = await v.drain();
    expect(s.fromWorkers).toBe(8);
    expect(s.checks).toBe(8);
    expect(s.mismatches).toBe(0);
    port.close();
    v.close();
  });

  it('a failing device fails drain with one line and the cause', async () => {
    const cause = new Error('link down');
    const failing: BatchHasher = { name: 'sim', stats: createSoftwareBatchHasher().stats, hashBatch: () => Promise.reject(cause) };
    const v = new ShadowVerifier(failing);
    v.install();
    keccakFor('code')(msg(1));
    const err = await v.drain().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvmFpgaError);
    expect((err as EvmFpgaError).shortMessage).toBe('shadow verification on sim failed: link down');
    expect((err as EvmFpgaError).cause).toBe(cause);
  });

  it('pair batches pack and unpack losslessly', () => {
    const b = new PairBuffer();
    const inputs = [msg(0), msg(5), msg(9)];
    inputs.forEach((m, i) => b.push(i ? 'opcode' : 'trie', m, keccak256(m)));
    const packed = b.take();
    expect(b.length).toBe(0);
    inputs.forEach((m, i) => {
      expect([...batchInput(packed, i)]).toEqual([...m]);
      expect([...batchDigest(packed, i)]).toEqual([...keccak256(m)]);
      expect(batchSource(packed, i)).toBe(i ? 'opcode' : 'trie');
    });
  });
});
