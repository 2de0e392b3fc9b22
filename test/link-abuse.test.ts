/**
 * Link abuse against the real RTL: garbage, truncated frames, bad CRCs, oversize lengths, unknown
 * commands and malformed Keccak chunks. After each, the device answers the next valid request
 * correctly, answers come in order, and nothing is answered twice. Raw frames go through the
 * simulation transport; the last tests let the driver recover on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CMD,
  STATUS,
  FrameDecoder,
  encodeFrame,
  encodeKeccakChunk,
  openDevice,
  openSimTransport,
  type Transport,
} from '../host/index.ts';
import { buildSim } from '../host/sim/build.ts';
import { TEST_SIM_CONFIGS } from '../host/sim/configs.ts';
import { seededBytes } from '../host/selftest/run.ts';
import { softwareKeccak256, type Keccak256 } from '../host/selftest/software-keccak.ts';

interface Answer {
  cmd: number;
  id: number;
  status: number;
  result: Uint8Array;
}

/** A raw link: write bytes, wait for a number of answer frames. */
class RawLink {
  private readonly decoder = new FrameDecoder();
  private readonly answers: Answer[] = [];
  private waiter?: () => void;
  constructor(readonly transport: Transport) {
    transport.onData((chunk) =>
      this.decoder.push(chunk, (cmd, id, payload) => {
        this.answers.push({ cmd, id, status: payload[0]!, result: Uint8Array.from(payload.subarray(1)) });
        this.waiter?.();
      }),
    );
  }
  send(bytes: Uint8Array) {
    this.transport.write(bytes);
  }
  /** Resolves with exactly `n` answers, or fails after `ms` with what came. */
  async take(n: number, ms = 10_000): Promise<Answer[]> {
    const deadline = Date.now() + ms;
    while (this.answers.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${n} answers, got ${this.answers.length}: ${JSON.stringify(this.answers)}`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, Math.min(left, 50));
      });
    }
    return this.answers.splice(0, n);
  }
  /** Everything received so far. */
  drain(): Answer[] {
    return this.answers.splice(0);
  }
  /** Asserts that nothing more arrives within `ms`. */
  async quiet(ms = 300) {
    await new Promise((r) => setTimeout(r, ms));
    expect(this.answers.splice(0)).toEqual([]);
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const keccakFrame = (id: number, msg: Uint8Array, offset = 0, final = true) => encodeFrame(CMD.KECCAK, id, encodeKeccakChunk(offset, final, msg));
/** A Keccak frame built by hand, bypassing the driver's own checks, to send what it would refuse. */
function rawKeccakFrame(id: number, msg: Uint8Array, offset: number, final: boolean): Uint8Array {
  const payload = new Uint8Array(8 + msg.length);
  new DataView(payload.buffer).setUint32(0, offset, true);
  payload[4] = final ? 1 : 0;
  payload.set(msg, 8);
  return encodeFrame(CMD.KECCAK, id, payload);
}
const rnd = seededBytes(314);

describe.each(['fast', 'bit'] as const)('link abuse on the simulated device (%s UART)', (uart) => {
  let link: RawLink;
  let sw: Keccak256;
  let nextId = 100;

  beforeAll(async () => {
    const { binary } = await buildSim(TEST_SIM_CONFIGS.shortTimeout);
    link = new RawLink(await openSimTransport({ uart, binary }));
    sw = await softwareKeccak256();
  });
  afterAll(() => link?.transport.close());

  /** The next valid request after each abuse: a Keccak whose digest must be right. */
  async function expectHealthy() {
    const msg = rnd(1 + (nextId % 200));
    const id = nextId++;
    link.send(keccakFrame(id, msg));
    const [a] = await link.take(1);
    expect(a).toMatchObject({ cmd: CMD.KECCAK | 0x80, id, status: STATUS.OK });
    expect(hex(a!.result)).toBe(hex(sw(msg)));
  }

  it('answers a plain request', async () => {
    await expectHealthy();
  });

  it('skips garbage between frames without answering it', async () => {
    const garbage = rnd(uart === 'bit' ? 300 : 5000).map((b) => (b === 0xa5 ? 0x5a : b));
    link.send(garbage);
    await link.quiet();
    await expectHealthy();
  });

  it('answers a bad CRC with CRC, then serves the next frame', async () => {
    const f = keccakFrame(7, rnd(40));
    f[f.length - 1]! ^= 0x01;
    link.send(f);
    expect(await link.take(1)).toMatchObject([{ cmd: CMD.KECCAK | 0x80, id: 7, status: STATUS.CRC }]);
    const g = keccakFrame(8, rnd(40));
    g[20]! ^= 0x40; // a flipped payload bit
    link.send(g);
    expect(await link.take(1)).toMatchObject([{ id: 8, status: STATUS.CRC }]);
    await expectHealthy();
  });

  it('answers an oversize LEN at once and resynchronises', async () => {
    link.send(Uint8Array.from([0xa5, 0xff, 0xff, CMD.KECCAK, 9, 0]));
    expect(await link.take(1)).toMatchObject([{ id: 9, status: STATUS.OVERSIZE }]);
    link.send(Uint8Array.from([0xa5, 0x01, 0x10, CMD.INFO, 10, 0])); // 4097 = maxPayload + 1
    expect(await link.take(1)).toMatchObject([{ id: 10, status: STATUS.OVERSIZE }]);
    await expectHealthy();
  });

  it('answers an unknown command with UNKNOWN_CMD', async () => {
    link.send(encodeFrame(0x55, 11, rnd(30)));
    expect(await link.take(1)).toMatchObject([{ cmd: 0x55 | 0x80, id: 11, status: STATUS.UNKNOWN_CMD }]);
    link.send(encodeFrame(0x7f, 12));
    expect(await link.take(1)).toMatchObject([{ id: 12, status: STATUS.UNKNOWN_CMD }]);
    await expectHealthy();
  });

  it('drops a truncated frame after the link goes quiet, answering TRUNCATED', async () => {
    const f = keccakFrame(13, rnd(300));
    link.send(f.subarray(0, 100));
    expect(await link.take(1, 20_000)).toMatchObject([{ id: 13, status: STATUS.TRUNCATED }]);
    await expectHealthy();
  });

  it('survives a frame cut inside its header', async () => {
    link.send(Uint8Array.from([0xa5, 0x10]));
    await new Promise((r) => setTimeout(r, 1000)); // 65,536 cycles of silence: well under a second
    // The fragment is dropped when the link stays quiet: silently or with TRUNCATED (docs/protocol.md).
    const extra = link.drain();
    expect(extra.length).toBeLessThanOrEqual(1);
    for (const a of extra) expect(a.status).toBe(STATUS.TRUNCATED);
    await expectHealthy();
  });

  it('rejects malformed Keccak chunks without poisoning the next message', async () => {
    link.send(encodeFrame(CMD.KECCAK, 14, Uint8Array.from([0, 0, 0]))); // LEN < 8
    link.send(rawKeccakFrame(15, rnd(100), 0, false)); // non-final chunk that is not whole blocks
    link.send(rawKeccakFrame(16, rnd(136), 136, true)); // offset with no message under way
    link.send(keccakFrame(17, rnd(272), 0, false)); // a good start...
    link.send(rawKeccakFrame(18, rnd(10), 100, true)); // ...continued at the wrong offset
    const a = await link.take(5);
    expect(a.map((x) => [x.id, x.status])).toEqual([
      [14, STATUS.BAD_LENGTH],
      [15, STATUS.BAD_LENGTH],
      [16, STATUS.SEQUENCE],
      [17, STATUS.OK],
      [18, STATUS.SEQUENCE],
    ]);
    await expectHealthy();
  });

  it('a chunked message across frames gives the right digest', async () => {
    const msg = rnd(136 * 3 + 50);
    link.send(keccakFrame(19, msg.subarray(0, 272), 0, false));
    link.send(keccakFrame(20, msg.subarray(272), 272, true));
    const a = await link.take(2);
    expect(a.map((x) => [x.id, x.status])).toEqual([
      [19, STATUS.OK],
      [20, STATUS.OK],
    ]);
    expect(a[0]!.result).toHaveLength(0);
    expect(hex(a[1]!.result)).toBe(hex(sw(msg)));
  });

  it('answers a burst of good and bad frames exactly once each, in order', async () => {
    const frames: Uint8Array[] = [];
    const expected: [number, number][] = [];
    for (let i = 0; i < 60; i++) {
      const id = 1000 + i;
      const kind = i % 4;
      if (kind === 1) {
        const f = keccakFrame(id, rnd(i));
        f[f.length - 2]! ^= 0x80;
        frames.push(f);
        expected.push([id, STATUS.CRC]);
      } else if (kind === 2) {
        frames.push(encodeFrame(0x33, id));
        expected.push([id, STATUS.UNKNOWN_CMD]);
      } else {
        frames.push(keccakFrame(id, rnd(i * 3)));
        expected.push([id, STATUS.OK]);
      }
    }
    link.send(Buffer.concat(frames));
    const a = await link.take(60);
    expect(a.map((x) => [x.id, x.status])).toEqual(expected);
    await link.quiet();
  });

  it('counts what happened in INFO', async () => {
    link.send(encodeFrame(CMD.INFO, 21));
    const [a] = await link.take(1);
    expect(a!.status).toBe(STATUS.OK);
    const view = new DataView(a!.result.buffer, a!.result.byteOffset);
    const crcErrors = view.getUint32(60, true);
    const frameErrors = view.getUint32(64, true);
    expect(crcErrors).toBeGreaterThanOrEqual(17);
    expect(frameErrors).toBeGreaterThanOrEqual(20);
  });
});

describe('the driver recovers by itself', () => {
  it('after garbage that contains SOF bytes (swallowed frames are retried)', async () => {
    const transport = await openSimTransport({ binary: (await buildSim(TEST_SIM_CONFIGS.shortTimeout)).binary });
    const device = await openDevice('sim', { transport, timeoutMs: 1500, retryCount: 5 });
    try {
      const sw = await softwareKeccak256();
      transport.write(rnd(3000)); // random bytes, SOF included: may swallow the next request
      const msgs = Array.from({ length: 50 }, (_, i) => rnd(i * 7));
      const got = await device.keccak256Batch(msgs);
      expect(msgs.findIndex((m, i) => hex(got[i]!) !== hex(sw(m)))).toBe(-1);
    } finally {
      await device.close();
    }
  });

  it('with bytes corrupted on the way to the device', async () => {
    const inner = await openSimTransport({ binary: (await buildSim(TEST_SIM_CONFIGS.shortTimeout)).binary });
    let n = 0;
    // Flip one bit in about one write of 25: CRC errors, lost SOFs and bogus lengths all happen.
    const noisy: Transport = Object.create(inner, {
      write: {
        value: (bytes: Uint8Array) => {
          if (++n % 25 === 0 && bytes.length > 0) {
            const copy = Uint8Array.from(bytes);
            copy[(n * 7919) % copy.length]! ^= 1 << (n % 8);
            inner.write(copy);
          } else inner.write(bytes);
        },
      },
    });
    const device = await openDevice('sim', { transport: noisy, timeoutMs: 1500, retryCount: 8 });
    try {
      const sw = await softwareKeccak256();
      for (let round = 0; round < 10; round++) {
        const msgs = Array.from({ length: 40 }, (_, i) => rnd((i * 37 + round) % 700));
        const got = await device.keccak256Batch(msgs);
        expect(got).toHaveLength(msgs.length);
        expect(msgs.findIndex((m, i) => hex(got[i]!) !== hex(sw(m)))).toBe(-1);
      }
      expect(device.stats.retries).toBeGreaterThan(0);
    } finally {
      await device.close();
    }
  });
});
