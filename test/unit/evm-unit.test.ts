/**
 * `device.evm` against a small TypeScript model of the EVM command over the memory transport:
 * framing into ≤ 39-record frames, pipelining, results in order, record status 1, the missing
 * capability, BAD_LENGTH, and a lost frame being sent again. The opcode results themselves are
 * checked against @ethereumjs/evm on the simulated RTL (test/evm-*.test.ts), not here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDevice, type Device } from '../../host/device/device.ts';
import { DeviceStatusError, InvalidInputError } from '../../host/errors.ts';
import { decodeEvmRecords, encodeEvmResults, type EvmResultRecord } from '../../host/evm/records.ts';
import { opcodeByCode } from '../../host/evm/opcodes.ts';
import { FrameDecoder } from '../../host/protocol/decoder.ts';
import { encodeResponse } from '../../host/protocol/frame.ts';
import { blankInfo, encodeInfo } from '../../host/protocol/info.ts';
import { CAPABILITY, CMD, EVM, STATUS } from '../../host/protocol/spec.ts';
import { createMemoryLink } from '../../host/transport/memory.ts';

const M = 1n << 256n;

/** The few opcodes the model evaluates (enough to see each result land in its place). */
function evaluate(code: number, a: bigint, b: bigint, c: bigint): bigint {
  switch (code) {
    case 0x01:
      return (a + b) % M;
    case 0x03:
      return (a - b + M) % M;
    case 0x08:
      return c === 0n ? 0n : (a + b) % c;
    case 0x15:
      return a === 0n ? 1n : 0n;
    case 0x19:
      return M - 1n - a;
    default:
      return 0n;
  }
}

interface ModelOptions {
  capabilities?: number;
  rxRingBytes?: number;
  /** Drop the EVM request frame with this index (counted from 0), once. */
  dropEvmFrame?: number;
  /** Answer EVM frames with this status instead of executing them. */
  evmStatus?: number;
}

interface Model {
  evmFrames: number[];
  /** Largest number of EVM frames that arrived in one write. */
  maxFramesPerWrite: number;
}

function serveModel(transport: ReturnType<typeof createMemoryLink>['device'], o: ModelOptions): Model {
  const decoder = new FrameDecoder();
  const model: Model = { evmFrames: [], maxFramesPerWrite: 0 };
  let evmIndex = 0;
  transport.onData((chunk) => {
    const out: Uint8Array[] = [];
    let inThisWrite = 0;
    decoder.push(chunk, (cmd, id, payload) => {
      const answer = (status: number, result?: Uint8Array) => {
        out.push(encodeResponse(cmd, id, status, result));
      };
      if (cmd === CMD.INFO) {
        answer(STATUS.OK, infoResult(o));
        return;
      }
      if (cmd !== CMD.EVM || ((o.capabilities ?? 3) >> CAPABILITY.EVM_ALU) % 2 === 0) return answer(STATUS.UNKNOWN_CMD);
      const index = evmIndex++;
      inThisWrite++;
      if (index === o.dropEvmFrame) return;
      if (o.evmStatus !== undefined) return answer(o.evmStatus);
      const n = payload.length / EVM.recordBytes;
      if (!Number.isInteger(n) || n < 1 || n > EVM.maxOpsPerFrame) return answer(STATUS.BAD_LENGTH);
      model.evmFrames.push(n);
      const results: EvmResultRecord[] = decodeEvmRecords(payload).map((r) =>
        opcodeByCode(r.code)
          ? { result: evaluate(r.code, r.a, r.b, r.c), cycles: r.code, status: 0 }
          : { result: 0n, cycles: 1, status: 1 },
      );
      answer(STATUS.OK, encodeEvmResults(results));
    });
    model.maxFramesPerWrite = Math.max(model.maxFramesPerWrite, inThisWrite);
    setImmediate(() => out.forEach((b) => transport.write(b)));
  });
  return model;
}

function infoResult(o: ModelOptions): Uint8Array {
  return encodeInfo(blankInfo({
    buildId: 1,
    clockHz: 48_000_000,
    capabilities: o.capabilities ?? (1 << CAPABILITY.KECCAK) | (1 << CAPABILITY.EVM_ALU),
    keccakCores: 1,
    keccakRoundsPerClock: 1,
    rxRingBytes: o.rxRingBytes ?? 16384,
    uartDivider: 16,
  }));
}

const opened: Device[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
});

async function setup(o: ModelOptions = {}) {
  const link = createMemoryLink();
  const model = serveModel(link.device, o);
  const device = await openDevice('sim', { transport: link.host, timeoutMs: 200 });
  opened.push(device);
  return { device, model };
}

describe('device.evm on a model of the EVM command', () => {
  it('exec evaluates one op; operands as bigint or 0x-hex', async () => {
    const { device } = await setup();
    expect(device.evm.available).toBe(true);
    expect(await device.evm.exec('SUB', 1n, '0x03')).toBe(M - 2n);
    expect(await device.evm.exec('addmod', 5n, 7n, 4n)).toBe(0n);
    expect(await device.evm.exec(0x19, 0n)).toBe(M - 1n);
  });

  it('splits a batch into frames of at most 39 records, pipelines them, keeps the order', async () => {
    const { device, model } = await setup();
    const ops = Array.from({ length: 1000 }, (_, i) =>
      i % 3 === 0 ? { op: 'ADD', a: BigInt(i), b: 1n } : i % 3 === 1 ? { op: 'SUB', a: 0n, b: BigInt(i) } : { op: 'ISZERO', a: BigInt(i % 2) },
    );
    const results = await device.evm.execBatch(ops);
    expect(model.evmFrames).toEqual([...Array<number>(25).fill(39), 1000 - 25 * 39]);
    expect(model.maxFramesPerWrite).toBeGreaterThan(1);
    results.forEach((r, i) => {
      const want = i % 3 === 0 ? BigInt(i) + 1n : i % 3 === 1 ? (M - BigInt(i)) % M : i % 2 === 0 ? 1n : 0n;
      expect(r.result, `op ${i}`).toBe(want);
      expect(r.cycles).toBe([0x01, 0x03, 0x15][i % 3]);
    });
    expect(await device.evm.execBatch([])).toEqual([]);
  });

  it('sends a lost frame again and still answers in order', async () => {
    const { device } = await setup({ dropEvmFrame: 2 });
    const ops = Array.from({ length: 200 }, (_, i) => ({ op: 'ADD', a: BigInt(i), b: 0n }));
    const results = await device.evm.execBatch(ops);
    expect(results.map((r) => r.result)).toEqual(ops.map((o) => o.a));
    expect(device.stats.retries).toBeGreaterThan(0);
  });

  it('rejects bad ops before sending anything, naming the op', async () => {
    const { device, model } = await setup();
    await expect(device.evm.execBatch([{ op: 'ADD', a: 1n, b: 2n }, { op: 'SUB', a: 1n }])).rejects.toThrow(
      new InvalidInputError('evm.execBatch: op 1: SUB takes 2 operands (a, b), got 1 (a)'),
    );
    await expect(device.evm.exec('FOO', 1n)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(device.evm.exec('ADD', 1n, -2n)).rejects.toThrow(/^evm\.exec: b: -2 is out of range/);
    await expect(device.evm.execBatch('nope' as never)).rejects.toBeInstanceOf(InvalidInputError);
    expect(model.evmFrames).toEqual([]);
  });

  it('a result record with status 1 (unknown opcode) is a DeviceStatusError; execRecords shows it raw', async () => {
    const { device } = await setup();
    const raw = await device.evm.execRecords([
      { code: 0x01, a: 2n, b: 3n, c: 0n },
      { code: 0x0c, a: 2n, b: 3n, c: 0n },
    ]);
    expect(raw.map((r) => [r.result, r.status])).toEqual([
      [5n, 0],
      [0n, 1],
    ]);
    await expect(device.evm.execRecords([{ code: 256, a: 0n, b: 0n, c: 0n }])).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('a device without the EVM unit fails with one clear line', async () => {
    const { device } = await setup({ capabilities: 1 << CAPABILITY.KECCAK });
    expect(device.evm.available).toBe(false);
    const err = await device.evm.exec('ADD', 1n, 2n).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceStatusError);
    expect((err as Error).message).toBe('this device has no EVM opcode unit (capabilities: KECCAK)');
  });

  it('a BAD_LENGTH answer fails the batch with the status named', async () => {
    const { device } = await setup({ evmStatus: STATUS.BAD_LENGTH });
    await expect(device.evm.exec('ADD', 1n, 2n)).rejects.toThrow(/device rejected EVM with status BAD_LENGTH/);
  });
});
