/**
 * Known answers from outside the project, computed by the RTL in Verilator: the Keccak team's 321
 * byte-aligned KATs (original padding, as Ethereum) and ethereum/tests' zero-byte vectors up to
 * 1,048,575 bytes (7,711 blocks, 257 chunks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDevice, type Device } from '../host/index.ts';
import { loadKeccakVectors } from '../host/selftest/vectors.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const vectors = loadKeccakVectors();

describe.each(['sim', 'sim?rounds=2'])('Keccak-256 known answers on %s', (spec) => {
  let device: Device;
  beforeAll(async () => {
    device = await openDevice(spec, { timeoutMs: 30_000 });
  });
  afterAll(() => device?.close());

  it('has the vectors the sources promise', () => {
    expect(vectors.filter((v) => v.name.startsWith('KAT'))).toHaveLength(321);
    expect(vectors.some((v) => v.message.length === 1_048_575)).toBe(true);
  });

  it('matches every vector, pipelined in one batch', async () => {
    const got = await device.keccak256Batch(vectors.map((v) => v.message));
    const wrong = vectors.filter((v, i) => hex(got[i]!) !== hex(v.digest)).map((v) => v.name);
    expect(wrong).toEqual([]);
  });

  it('matches the vectors one request at a time', async () => {
    for (const v of vectors.filter((x) => x.message.length <= 300).slice(0, 40)) {
      expect(hex(await device.keccak256(v.message)), v.name).toBe(hex(v.digest));
    }
  });

  it('reports the configured rounds per clock and counts the hashes', async () => {
    const info = await device.info();
    expect(info.keccakRoundsPerClock).toBe(spec === 'sim' ? 1 : 2);
    expect(info.hashes).toBeGreaterThanOrEqual(vectors.length);
    expect(info.crcErrors).toBe(0);
  });
});
