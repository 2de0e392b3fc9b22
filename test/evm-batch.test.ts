/**
 * The EVM command end to end on the simulated RTL: a batch of mixed opcodes in many frames in
 * flight together (results in order, nothing lost or retried), unknown opcodes answered with
 * record status 1 next to good records, and frame lengths the command refuses (BAD_LENGTH)
 * without disturbing the next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CMD, EVM, FrameDecoder, STATUS, encodeFrame, openDevice, openSimTransport, type Device, type Transport } from '../host/index.ts';
import { EVM_OPCODE_LIST } from '../host/evm/opcodes.ts';
import { decodeEvmResults, encodeEvmRecords } from '../host/evm/records.ts';
import { createEvmReference, type EvmReference } from '../host/evm/reference.ts';
import { operandSource } from '../host/evm/samples.ts';

describe('EVM batches on the simulated device', () => {
  let device: Device;
  let reference: EvmReference;
  beforeAll(async () => {
    device = await openDevice('sim', { timeoutMs: 30_000 });
    reference = await createEvmReference();
  });
  afterAll(() => device?.close());

  it('exec: SUB 1 3 wraps to 2^256 − 2', async () => {
    expect(await device.evm.exec('SUB', 1n, 3n)).toBe((1n << 256n) - 2n);
  });

  it('2,000 mixed opcodes in 52 frames pipelined: results in order, every frame answered once', async () => {
    const src = operandSource(77);
    const ops = Array.from({ length: 2000 }, () => {
      const opcode = EVM_OPCODE_LIST[src.u32() % EVM_OPCODE_LIST.length]!;
      return { opcode, ...src.operands(opcode) };
    });
    const before = await device.info();
    const statsBefore = device.stats;
    const results = await device.evm.execBatch(
      ops.map((o) => ({ op: o.opcode.name, a: o.a, ...(o.opcode.inputs > 1 ? { b: o.b } : {}), ...(o.opcode.inputs > 2 ? { c: o.c } : {}) })),
    );
    const after = await device.info();
    const frames = Math.ceil(2000 / EVM.maxOpsPerFrame);
    expect(frames).toBe(52);
    expect(after.framesOk - before.framesOk).toBe(frames + 1); // + the INFO itself
    expect(device.stats.retries - statsBefore.retries).toBe(0);
    // More than one frame fits the device's receive window, so frames were in flight together.
    expect(device.handshake.rxRingBytes).toBeGreaterThan(2 * 8 * (1 + (EVM.maxOpsPerFrame * EVM.recordBytes) / 8));
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i]!;
      expect(results[i]!.result, `op ${i} ${o.opcode.name}`).toBe(await reference(o.opcode.code, o.a, o.b, o.c));
      expect(results[i]!.cycles, `op ${i} ${o.opcode.name} cycles`).toBeGreaterThan(0);
    }
  });

  it('two batches submitted together both complete, each in its own order', async () => {
    const a = Array.from({ length: 300 }, (_, i) => ({ op: 'ADD', a: BigInt(i), b: 1000n }));
    const b = Array.from({ length: 300 }, (_, i) => ({ op: 'MUL', a: BigInt(i), b: 3n }));
    const [ra, rb] = await Promise.all([device.evm.execBatch(a), device.evm.execBatch(b)]);
    expect(ra.map((r) => r.result)).toEqual(a.map((o) => o.a + 1000n));
    expect(rb.map((r) => r.result)).toEqual(b.map((o) => o.a * 3n));
  });

  it('an unknown opcode gets record status 1 and result 0; its neighbours are evaluated', async () => {
    const records = [
      { code: 0x01, a: 2n, b: 3n, c: 0n },
      { code: 0x0c, a: 2n, b: 3n, c: 0n },
      { code: 0x00, a: 7n, b: 7n, c: 0n },
      { code: 0x1e, a: 1n, b: 1n, c: 0n },
      { code: 0xff, a: 1n, b: 1n, c: 0n },
      { code: 0x03, a: 3n, b: 2n, c: 0n },
    ];
    const out = await device.evm.execRecords(records);
    expect(out.map((r) => [r.result, r.status])).toEqual([
      [5n, 0],
      [0n, 1],
      [0n, 1],
      [0n, 1],
      [0n, 1],
      [1n, 0],
    ]);
  });
});

describe('EVM frame lengths on the raw link', () => {
  let transport: Transport;
  const answers: { cmd: number; id: number; payload: Uint8Array }[] = [];
  beforeAll(async () => {
    transport = await openSimTransport();
    const decoder = new FrameDecoder();
    transport.onData((chunk) => decoder.push(chunk, (cmd, id, payload) => answers.push({ cmd, id, payload: Uint8Array.from(payload) })));
  });
  afterAll(() => transport?.close());

  async function take(n: number) {
    const deadline = Date.now() + 10_000;
    while (answers.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return answers.splice(0, n);
  }

  it('BAD_LENGTH for 0, 103, 105, 207 and 4,096 bytes (not whole records); the next frame is served', async () => {
    const lengths = [0, 103, 105, 2 * EVM.recordBytes - 1, 40 * EVM.recordBytes - 64];
    lengths.forEach((n, i) => transport.write(encodeFrame(CMD.EVM, 10 + i, new Uint8Array(n))));
    const good = encodeEvmRecords(Array.from({ length: 39 }, (_, i) => ({ code: 0x01, a: BigInt(i), b: 1n, c: 0n })));
    transport.write(encodeFrame(CMD.EVM, 99, good));
    const got = await take(lengths.length + 1);
    expect(got.slice(0, lengths.length).map((a) => [a.cmd, a.id, a.payload[0], a.payload.length])).toEqual(
      lengths.map((_, i) => [CMD.EVM | 0x80, 10 + i, STATUS.BAD_LENGTH, 1]),
    );
    const last = got[lengths.length]!;
    expect([last.id, last.payload[0]]).toEqual([99, STATUS.OK]);
    expect(decodeEvmResults(last.payload.subarray(1), 39).map((r) => r.result)).toEqual(Array.from({ length: 39 }, (_, i) => BigInt(i) + 1n));
  });
});
