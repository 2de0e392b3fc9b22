/**
 * Random messages against software Keccak (hash-wasm, an independent implementation): every
 * length 0 … 600 with the rate boundaries singled out, a 5,000-message pipelined batch, results in
 * order, and a property test over arbitrary byte strings.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDevice, type Device } from '../host/index.ts';
import { randomMessages, seededBytes } from '../host/selftest/run.ts';
import { softwareKeccak256, type Keccak256 } from '../host/selftest/software-keccak.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('Keccak-256 on the simulated device against software Keccak', () => {
  let device: Device;
  let sw: Keccak256;
  beforeAll(async () => {
    device = await openDevice('sim', { timeoutMs: 30_000 });
    sw = await softwareKeccak256();
  });
  afterAll(() => device?.close());

  it('every length from 0 to 600 bytes (incl. 135, 136, 137, 271, 272, 273)', async () => {
    const rnd = seededBytes(2024);
    const msgs = Array.from({ length: 601 }, (_, n) => rnd(n));
    const got = await device.keccak256Batch(msgs);
    const bad = msgs.map((m, i) => (hex(got[i]!) === hex(sw(m)) ? -1 : m.length)).filter((n) => n >= 0);
    expect(bad).toEqual([]);
  });

  it('a pipelined batch of 5,000 messages comes back complete and in order', async () => {
    const msgs = randomMessages(5000, 99);
    const before = await device.info();
    const got = await device.keccak256Batch(msgs);
    const after = await device.info();
    expect(got).toHaveLength(5000);
    const firstBad = msgs.findIndex((m, i) => hex(got[i]!) !== hex(sw(m)));
    expect(firstBad).toBe(-1);
    // Each message is one frame here, and the device saw exactly these frames (+1 INFO): nothing
    // was lost and retried, nothing answered twice.
    expect(after.hashes - before.hashes).toBe(5000);
    expect(after.framesOk - before.framesOk).toBe(5001);
  });

  it('multi-chunk messages (4,080-byte chunks) of awkward lengths', async () => {
    const rnd = seededBytes(7);
    const lens = [4079, 4080, 4081, 4088, 4089, 8160, 8168, 8169, 12_345, 65_536];
    const msgs = lens.map((n) => rnd(n));
    const got = await device.keccak256Batch(msgs);
    msgs.forEach((m, i) => expect(hex(got[i]!), `${m.length} bytes`).toBe(hex(sw(m))));
  });

  it('property: any byte string hashes like software Keccak', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 1200 }), async (m) => {
        expect(hex(await device.keccak256(m))).toBe(hex(sw(m)));
      }),
      { numRuns: 150 },
    );
  });

  it('rejects input that is not bytes with a typed error', async () => {
    await expect(device.keccak256('abc' as unknown as Uint8Array)).rejects.toMatchObject({ name: 'InvalidInputError' });
  });
});
