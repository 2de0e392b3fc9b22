/**
 * The driver's request engine against the TypeScript device model over the memory transport:
 * correctness of every digest, pipelining, flow control, and recovery from injected faults.
 */
import { createKeccak } from 'hash-wasm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDevice, type Device, type OpenDeviceOptions } from '../../host/device/device.ts';
import { DeviceStatusError, InvalidInputError, ProtocolError, TimeoutError, TransportError } from '../../host/errors.ts';
import { encodeFrame } from '../../host/protocol/frame.ts';
import { blankInfo, encodeInfo, decodeInfo } from '../../host/protocol/info.ts';
import { CMD, KECCAK, PROTOCOL, STATUS } from '../../host/protocol/spec.ts';
import { FrameDecoder } from '../../host/protocol/decoder.ts';
import { createMemoryLink } from '../../host/transport/memory.ts';
import { createDeviceModel, type DeviceModel, type DeviceModelOptions, type FrameFault } from './device-model.ts';
import { mulberry32 } from '../../host/prng.ts';

const reference = await createKeccak(256);
function keccak(data: Uint8Array): Uint8Array {
  reference.init();
  reference.update(data);
  return reference.digest('binary');
}

/** Deterministic PRNG so a failing fault pattern can be replayed. */
const prng = mulberry32;

function randomMessages(count: number, maxLength: number, random: () => number): Uint8Array[] {
  return Array.from({ length: count }, () => {
    const m = new Uint8Array(Math.floor(random() * (maxLength + 1)));
    for (let i = 0; i < m.length; i++) m[i] = Math.floor(random() * 256);
    return m;
  });
}

const open: { device: Device; model: DeviceModel }[] = [];
afterEach(async () => {
  for (const { device, model } of open.splice(0)) {
    model.stop();
    await device.close();
  }
});

/** Opens a device on the model. Request and response faults apply only after the handshake. */
async function setup(modelOptions: DeviceModelOptions = {}, deviceOptions: OpenDeviceOptions = {}) {
  const link = createMemoryLink();
  let armed = false;
  const faults = modelOptions.faults;
  const model = await createDeviceModel(link.device, {
    ...modelOptions,
    faults: faults && {
      ...faults,
      request: faults.request && ((f) => (armed ? faults.request!(f) : 'pass')),
      response: faults.response && ((f) => (armed ? faults.response!(f) : 'pass')),
    },
  });
  const writes = { count: 0 };
  const host = link.host;
  const write = host.write.bind(host);
  host.write = (bytes) => {
    writes.count++;
    write(bytes);
  };
  const device = await openDevice('sim', { transport: host, ...deviceOptions });
  armed = true;
  open.push({ device, model });
  return { device, model, writes, link };
}

function expectDigests(messages: Uint8Array[], digests: Uint8Array[]): void {
  expect(digests).toHaveLength(messages.length);
  for (let i = 0; i < messages.length; i++) {
    if (Buffer.compare(digests[i]!, keccak(messages[i]!)) !== 0) {
      throw new Error(`digest ${i} (message of ${messages[i]!.length} bytes) is wrong`);
    }
  }
}

describe('driver against the device model', () => {
  it('handshakes and reads INFO', async () => {
    const { device } = await setup({ rxRingBytes: 4096 });
    expect(device.handshake.rxRingBytes).toBe(4096);
    const info = await device.info();
    expect(info.magic).toBe(PROTOCOL.magic);
    expect(info.capabilityNames).toEqual(['KECCAK']);
    expect(info.framesOk).toBe(2);
  });

  it('hashes messages of every boundary length, up to 1 MiB', async () => {
    const { device } = await setup();
    const lengths = [0, 1, 31, 32, 135, 136, 137, 272, 4080, 4087, 4088, 4089, 4080 + 4088, 4080 + 4089, 100_000, 1 << 20];
    for (const length of lengths) {
      const message = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
      expect(Buffer.compare(await device.keccak256(message), keccak(message)), `length ${length}`).toBe(0);
    }
    expect(Buffer.from(await device.keccak256(new Uint8Array())).toString('hex')).toBe(
      'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
    expect(device.stats.retries).toBe(0);
  });

  it('pipelines a batch of 5,000 messages in order, within the window', async () => {
    const { device, model, writes } = await setup({ rxRingBytes: 8192, framesPerTurn: 32 });
    const messages = randomMessages(5000, 300, prng(2));
    const digests = await device.keccak256Batch(messages);
    expectDigests(messages, digests);
    // Pipelined: far fewer writes than messages, and the ring never overflowed.
    expect(writes.count).toBeLessThan(messages.length / 10);
    expect(model.counters.statusCounts[STATUS.OVERFLOW]).toBeUndefined();
    expect(device.stats).toMatchObject({ retries: 0, lost: 0, timeouts: 0, unknownResponses: 0 });
    expect(model.counters.hashes).toBe(5000);
  });

  it('pipelines concurrent single calls and mixed long messages', async () => {
    const { device } = await setup({ rxRingBytes: 16384 });
    const random = prng(3);
    const messages = [...randomMessages(200, 200, random), ...randomMessages(10, 20_000, random)];
    const digests = await Promise.all(messages.map((m) => device.keccak256(m)));
    expectDigests(messages, digests);
  });

  it('keeps a slow device with a small ring from overflowing', async () => {
    const { device, model } = await setup({ rxRingBytes: 512, framesPerTurn: 1 });
    const messages = randomMessages(300, 100, prng(4));
    expectDigests(messages, await device.keccak256Batch(messages));
    expect(model.counters.statusCounts[STATUS.OVERFLOW]).toBeUndefined();
  });

  it('retries frames the ring overflowed when the host ignores the window', async () => {
    // Each round only ~10 frames fit the ring, so messages need many attempts.
    const { device, model } = await setup({ rxRingBytes: 512, framesPerTurn: 1 }, { windowBytes: 1 << 20, retryCount: 100 });
    const messages = randomMessages(100, 100, prng(5));
    expectDigests(messages, await device.keccak256Batch(messages));
    expect(model.counters.statusCounts[STATUS.OVERFLOW]).toBeGreaterThan(0);
    expect(device.stats.retries).toBeGreaterThan(0);
  });

  it('rejects non-byte input with InvalidInputError', async () => {
    const { device } = await setup();
    await expect(device.keccak256('abc' as never)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(device.keccak256Batch([new Uint8Array(1), [1, 2] as never])).rejects.toThrow(/message 1 must be a Uint8Array/);
    await expect(device.keccak256Batch('x' as never)).rejects.toBeInstanceOf(InvalidInputError);
    expect(await device.keccak256Batch([])).toEqual([]);
  });

  it('reports UNKNOWN_CMD as DeviceStatusError without retrying', async () => {
    const { device } = await setup({ commands: [CMD.INFO] });
    const error = await device.keccak256(new Uint8Array(4)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceStatusError);
    expect((error as DeviceStatusError).status).toBe('UNKNOWN_CMD');
    expect(device.stats.retries).toBe(0);
  });
});

describe('fault recovery', () => {
  const mix = (request: FrameFault[], response: FrameFault[], rate: number) => (seed: number) => {
    const random = prng(seed);
    return {
      random,
      request: request.length ? () => (random() < rate ? request[Math.floor(random() * request.length)]! : 'pass') : undefined,
      response: response.length ? () => (random() < rate ? response[Math.floor(random() * response.length)]! : 'pass') : undefined,
    } as DeviceModelOptions['faults'] & object;
  };
  const scenarios: [string, (seed: number) => DeviceModelOptions['faults'] & object][] = [
    ['dropped requests', mix(['drop'], [], 0.05)],
    ['corrupted requests', mix(['corrupt'], [], 0.05)],
    ['truncated requests', mix(['truncate'], [], 0.03)],
    ['duplicated requests', mix(['duplicate'], [], 0.05)],
    ['dropped responses', mix([], ['drop'], 0.05)],
    ['corrupted responses', mix([], ['corrupt'], 0.05)],
    ['duplicated responses', mix([], ['duplicate'], 0.05)],
    ['late responses', mix([], ['delay'], 0.05)],
    ['everything at once', mix(['drop', 'corrupt', 'truncate', 'duplicate'], ['drop', 'corrupt', 'duplicate', 'delay'], 0.04)],
  ];

  for (const [name, faults] of scenarios) {
    it(`recovers from ${name}: every digest right, none lost`, async () => {
      const { device } = await setup(
        { rxRingBytes: 8192, framesPerTurn: 16, frameTimeoutMs: 10, faults: faults(name.length) },
        { timeoutMs: 150, retryCount: 20 },
      );
      const random = prng(99);
      // Short messages, plus multi-chunk ones whose chunks must restart together from offset 0.
      const messages = [...randomMessages(1500, 200, random), ...randomMessages(8, 13_000, random)];
      messages.sort(() => random() - 0.5);
      expectDigests(messages, await device.keccak256Batch(messages));
      const stats = device.stats;
      // Faults were hit: either retried, or (duplicates) dropped as unknown answers.
      expect(stats.retries + stats.unknownResponses).toBeGreaterThan(0);
      // Nothing left behind, and the link still works.
      const later = randomMessages(20, 50, random);
      expectDigests(later, await device.keccak256Batch(later));
    });
  }

  it('never interleaves another Keccak frame inside a multi-chunk message', async () => {
    const random = prng(7);
    let expectedNext = -1;
    const violations: string[] = [];
    const { device } = await setup(
      {
        rxRingBytes: 16384,
        framesPerTurn: 4,
        frameTimeoutMs: 10,
        faults: {
          random,
          request: ({ cmd, bytes }) => {
            if (cmd === CMD.KECCAK) {
              const payload = bytes.subarray(6, bytes.length - 4);
              const offset = new DataView(payload.buffer, payload.byteOffset).getUint32(0, true);
              const final = (payload[4]! & KECCAK.flagFinal) !== 0;
              if (expectedNext >= 0 && offset !== 0 && offset !== expectedNext) violations.push(`offset ${offset}, expected ${expectedNext}`);
              // offset 0 mid-message is allowed: the restart of an abandoned message.
              expectedNext = final ? -1 : offset + payload.length - 8;
            }
            return random() < 0.03 ? 'drop' : 'pass';
          },
        },
      },
      { timeoutMs: 150, retryCount: 20 },
    );
    const messages = [...randomMessages(40, 30_000, random), ...randomMessages(300, 100, random)].sort(() => random() - 0.5);
    expectDigests(messages, await device.keccak256Batch(messages));
    expect(violations).toEqual([]);
  });

  it('times out against a stalled device after the retries', async () => {
    const { device, model } = await setup({}, { timeoutMs: 40, retryCount: 2 });
    model.stalled = true;
    const started = performance.now();
    const error = await device.keccak256(new Uint8Array(10)).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).shortMessage).toMatch(/timed out after 3 attempts/);
    expect(elapsed).toBeGreaterThanOrEqual(110);
    expect(device.stats.timeouts).toBe(3);
    // When the device comes back, the late answers are dropped as stale and new work succeeds.
    model.stalled = false;
    const m = new Uint8Array([1, 2, 3]);
    expect(Buffer.compare(await device.keccak256(m), keccak(m))).toBe(0);
    expect(device.stats.staleResponses + device.stats.unknownResponses).toBeGreaterThan(0);
  });

  it('fails a whole batch once one message runs out of retries, and keeps working', async () => {
    let dropAll = false;
    const { device } = await setup(
      { faults: { request: ({ index }) => (dropAll && index % 2 === 0 ? 'drop' : 'pass') } },
      { timeoutMs: 30, retryCount: 1 },
    );
    dropAll = true;
    await expect(device.keccak256Batch(randomMessages(50, 10, prng(8)))).rejects.toBeInstanceOf(TimeoutError);
    dropAll = false;
    const m = randomMessages(5, 10, prng(9));
    expectDigests(m, await device.keccak256Batch(m));
  });

  it('rejects pending work with TransportError when the link closes', async () => {
    const { device, model, link } = await setup({}, { timeoutMs: 5000 });
    model.stalled = true;
    const pending = device.keccak256Batch(randomMessages(10, 10, prng(10)));
    await new Promise((r) => setTimeout(r, 10));
    await link.device.close();
    await expect(pending).rejects.toBeInstanceOf(TransportError);
    await expect(device.keccak256(new Uint8Array(1))).rejects.toBeInstanceOf(TransportError);
  });

  it('rejects pending work when the device is closed', async () => {
    const { device, model } = await setup();
    model.stalled = true;
    const pending = device.keccak256(new Uint8Array(1));
    await device.close();
    await expect(pending).rejects.toThrow(/device closed/);
  });
});

describe('handshake', () => {
  /** A responder that answers INFO with `result` (already-encoded payload after the status). */
  function fakeDevice(answer: (cmd: number, id: number) => Uint8Array | null) {
    const link = createMemoryLink();
    const decoder = new FrameDecoder();
    link.device.onData((chunk) =>
      decoder.push(chunk, (cmd, id) => {
        const reply = answer(cmd, id);
        if (reply) link.device.write(reply);
      }),
    );
    return link;
  }
  const info = decodeInfo(encodeInfo(blankInfo({ buildId: 1, clockHz: 1, capabilities: 1, keccakCores: 1, keccakRoundsPerClock: 1, rxRingBytes: 8192, uartDivider: 16 })));
  const infoReply = (id: number, patch: Partial<typeof info>) => {
    const result = encodeInfo({ ...info, ...patch });
    const payload = new Uint8Array(1 + result.length);
    payload.set(result, 1);
    return encodeFrame(CMD.INFO | 0x80, id, payload);
  };

  it('rejects a device with the wrong magic', async () => {
    const link = fakeDevice((_, id) => infoReply(id, { magic: 0x11223344 }));
    await expect(openDevice('sim', { transport: link.host })).rejects.toThrow(ProtocolError);
    await expect(openDevice('sim', { transport: fakeDevice((_, id) => infoReply(id, { magic: 1 })).host })).rejects.toThrow(
      /not an evm-fpga device/,
    );
  });

  it('rejects a device of another protocol version', async () => {
    const link = fakeDevice((_, id) => infoReply(id, { protocolVersion: 2 }));
    await expect(openDevice('sim', { transport: link.host })).rejects.toThrow(/protocol version 2/);
  });

  it('times out on a silent link', async () => {
    const link = fakeDevice(() => null);
    const error = await openDevice('sim', { transport: link.host, timeoutMs: 20, retryCount: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).shortMessage).toMatch(/^no answer from memory/);
  });

  it('validates options', async () => {
    const link = fakeDevice((_, id) => infoReply(id, {}));
    await expect(openDevice('sim', { transport: link.host, retryCount: -1 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(openDevice('bogus', { transport: link.host })).rejects.toThrow(/unknown device kind/);
  });
});
