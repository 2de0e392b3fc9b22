/**
 * The same requests over every way of reaching the simulated RTL: bit-accurate UART (real bits
 * through uart_rx/uart_tx), a pseudo-terminal opened by node-serialport exactly like a board's
 * /dev/ttyUSB, and TCP, including a second client after the first disconnects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDevice } from '../host/index.ts';
import { loadKeccakVectors } from '../host/selftest/vectors.ts';
import { randomMessages } from '../host/selftest/run.ts';
import { softwareKeccak256 } from '../host/selftest/software-keccak.ts';
import { startHarness, type RunningHarness } from './helpers/harness.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const shortVectors = loadKeccakVectors(undefined, 300);

async function checkDevice(spec: string, count: number) {
  const device = await openDevice(spec, { timeoutMs: 30_000 });
  try {
    const sw = await softwareKeccak256();
    const info = await device.info();
    const vs = shortVectors.slice(0, count);
    const got = await device.keccak256Batch(vs.map((v) => v.message));
    expect(vs.filter((v, i) => hex(got[i]!) !== hex(v.digest)).map((v) => v.name)).toEqual([]);
    const rnd = randomMessages(40, 5);
    const got2 = await device.keccak256Batch(rnd);
    expect(rnd.findIndex((m, i) => hex(got2[i]!) !== hex(sw(m)))).toBe(-1);
    return info;
  } finally {
    await device.close();
  }
}

describe('bit-accurate UART (sim:uart)', () => {
  it('answers known answers and random messages through the RTL UART', async () => {
    const info = await checkDevice('sim:uart', 120);
    expect(info.uartDivider).toBeGreaterThanOrEqual(4);
  });
});

describe('pseudo-terminal through node-serialport', () => {
  let h: RunningHarness;
  beforeAll(async () => {
    h = await startHarness(['--pty']);
  });
  afterAll(() => h?.stop());

  it('prints a /dev/pts path and serves the protocol on it', async () => {
    expect(h.address).toMatch(/^\/dev\/pts\/\d+$/);
    await checkDevice(`uart:${h.address}?baud=3000000`, 80);
  });

  it('keeps serving after the port is closed and opened again', async () => {
    await checkDevice(`uart:${h.address}`, 10);
  });
});

describe('TCP on 127.0.0.1', () => {
  let h: RunningHarness;
  beforeAll(async () => {
    h = await startHarness(['--tcp', '0']);
  });
  afterAll(() => h?.stop());

  it('serves one client, then the next, with device state kept', async () => {
    expect(h.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const first = await checkDevice(`tcp:${h.address}`, 50);
    const second = await checkDevice(`tcp:${h.address}`, 50);
    expect(second.hashes).toBeGreaterThan(first.hashes);
  });

  it('a refused connection is a one-line error, not a hang', async () => {
    await expect(openDevice('tcp:127.0.0.1:1', { timeoutMs: 2000 })).rejects.toMatchObject({ name: 'TransportError' });
  });
});
