import { describe, expect, it } from 'vitest';
import { openDevice } from '../../host/device/device.ts';
import { serveNullDevice } from '../../host/device/null-device.ts';
import { TransportError } from '../../host/errors.ts';
import { createMemoryLink } from '../../host/transport/memory.ts';

describe('memory transport', () => {
  it('delivers writes in order, asynchronously, coalescing a turn', async () => {
    const { host, device } = createMemoryLink();
    const seen: number[][] = [];
    device.onData((chunk) => seen.push([...chunk]));
    host.write(new Uint8Array([1]));
    host.write(new Uint8Array([2, 3]));
    expect(seen).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([[1], [2, 3]]);
  });

  it('tells the other end when one end closes', async () => {
    const { host, device } = createMemoryLink('link');
    const hostClosed = new Promise((r) => host.onClose(r));
    await device.close();
    const error = await hostClosed;
    expect(error).toBeInstanceOf(TransportError);
    expect(host.isOpen).toBe(false);
  });
});

describe('driver overhead (null device over the memory transport)', () => {
  it('pipelines 100k small Keccak requests quickly', async () => {
    const link = createMemoryLink();
    serveNullDevice(link.device, { rxRingBytes: 8192 });
    const device = await openDevice('sim', { transport: link.host });
    const messages = Array.from({ length: 100_000 }, () => new Uint8Array(32));
    await device.keccak256Batch(messages.slice(0, 10_000)); // warm up
    const started = performance.now();
    const digests = await device.keccak256Batch(messages);
    const seconds = (performance.now() - started) / 1000;
    expect(digests).toHaveLength(messages.length);
    const rate = messages.length / seconds;
    console.log(`driver + null device: ${(rate / 1e6).toFixed(2)} M requests/s (${((seconds / messages.length) * 1e9).toFixed(0)} ns each)`);
    // The target is >= 1M/s on one core (about 1.5M/s measured on an idle machine). Assert far
    // less so loaded CI machines do not flake; a driver that stopped pipelining (one round trip
    // per message) would still fail by a wide margin.
    expect(rate).toBeGreaterThan(100_000);
    await device.close();
  });

  it('wraps 16-bit ids and caps requests in flight under a huge window', async () => {
    const link = createMemoryLink();
    serveNullDevice(link.device, { rxRingBytes: 1 << 30 });
    const device = await openDevice('sim', { transport: link.host });
    const infos = await Promise.all(Array.from({ length: 70_000 }, () => device.info()));
    expect(infos).toHaveLength(70_000);
    expect(device.stats).toMatchObject({ requests: 70_001, responses: 70_001, unknownResponses: 0, retries: 0 });
    await device.close();
  });
});
