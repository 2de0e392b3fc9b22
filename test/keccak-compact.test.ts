/**
 * The compact Keccak core (hdl/keccak/keccak_sponge_compact.sv, docs/keccak-compact.md) on the
 * simulated RTL: the iCE40 UP5K's units (`sim?keccak=compact&evm=0`: compact core, no EVM unit)
 * through the whole Keccak suite (the 321 KATs, ethereum/tests' zero vectors up to 1,048,575
 * bytes, the self-test, random messages against software Keccak), INFO's report of the
 * configuration, EVM answered UNKNOWN_CMD at the frame level, and `sim?keccak=compact` with the
 * EVM unit kept. Also the spec strings that select these builds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAPABILITY,
  CMD,
  STATUS,
  FrameDecoder,
  encodeFrame,
  openDevice,
  openSimTransport,
  type Device,
  type Transport,
} from '../host/index.ts';
import { formatDeviceSpec, parseDeviceSpec } from '../host/device/spec.ts';
import { softwareKeccak256, type Keccak256 } from '../host/selftest/software-keccak.ts';
import { keccakCoreSuite } from './helpers/keccak-suite.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const has = (caps: number, bit: number) => (caps >>> bit) & 1;
/** Clock cycles of one Keccak-f permutation in the compact core (24 rounds x 64). */
const COMPACT_PERMUTATION_CYCLES = 1536;

describe('compact Keccak core, UP5K units (sim?keccak=compact&evm=0)', () => {
  let device: Device;
  let sw: Keccak256;
  beforeAll(async () => {
    device = await openDevice('sim?keccak=compact&evm=0', { timeoutMs: 60_000 });
    sw = await softwareKeccak256();
  });
  afterAll(() => device?.close());

  // Multi-cycle rounds are reported as 0 rounds per clock (docs/protocol.md).
  keccakCoreSuite(() => ({ device, sw }), { roundsPerClock: 0, permutationCycles: COMPACT_PERMUTATION_CYCLES });
});

describe('EVM frames on a build without the EVM unit', () => {
  let transport: Transport;
  const answers: { cmd: number; id: number; status: number }[] = [];
  const decoder = new FrameDecoder();
  beforeAll(async () => {
    transport = await openSimTransport({ keccakCore: 'compact', evmUnit: false });
    transport.onData((chunk) => decoder.push(chunk, (cmd, id, payload) => answers.push({ cmd, id, status: payload[0]! })));
  });
  afterAll(() => transport?.close());

  const take = async (n: number) => {
    const deadline = Date.now() + 10_000;
    while (answers.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return answers.splice(0, n);
  };

  it('answers EVM with UNKNOWN_CMD, as STORAGE without its unit, and keeps serving', async () => {
    // One well-formed EVM record (ADD 1, 2): 104 bytes.
    const record = new Uint8Array(104);
    record[0] = 0x01;
    record[8] = 1;
    record[40] = 2;
    transport.write(encodeFrame(CMD.EVM, 21, record));
    transport.write(encodeFrame(CMD.EVM, 22));
    transport.write(encodeFrame(CMD.INFO, 23));
    const got = await take(3);
    expect(got.map((a) => [a.cmd, a.id, a.status])).toEqual([
      [CMD.EVM | 0x80, 21, STATUS.UNKNOWN_CMD],
      [CMD.EVM | 0x80, 22, STATUS.UNKNOWN_CMD],
      [CMD.INFO | 0x80, 23, STATUS.OK],
    ]);
  });
});

describe('compact Keccak core with the EVM unit (sim?keccak=compact)', () => {
  let device: Device;
  beforeAll(async () => {
    device = await openDevice('sim?keccak=compact', { timeoutMs: 60_000 });
  });
  afterAll(() => device?.close());

  it('hashes, reports 0 rounds per clock, and still has the EVM unit', async () => {
    expect(device.handshake.keccakRoundsPerClock).toBe(0);
    expect(has(device.handshake.capabilities, CAPABILITY.EVM_ALU)).toBe(1);
    expect(hex(await device.keccak256(new TextEncoder().encode('abc')))).toBe(
      '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
    );
    expect(await device.evm.exec('ADD', 1n, 2n)).toBe(3n);
  });
});

describe('device specs selecting the compact core', () => {
  it('parses and formats keccak=compact and evm=0', () => {
    const spec = parseDeviceSpec('sim?keccak=compact&evm=0');
    expect(spec).toEqual({ kind: 'sim', uart: 'fast', roundsPerClock: 1, keccakCore: 'compact', evmUnit: false });
    expect(formatDeviceSpec(spec)).toBe('sim?keccak=compact&evm=0');
    expect(parseDeviceSpec('sim?keccak=full&evm=1')).toEqual({ kind: 'sim', uart: 'fast', roundsPerClock: 1 });
    expect(formatDeviceSpec(parseDeviceSpec('sim:uart?keccak=compact'))).toBe('sim:uart?keccak=compact');
  });

  it('rejects bad values with a one-line error', () => {
    for (const [text, reason] of [
      ['sim?keccak=tiny', 'keccak must be "full", "compact" or "lean"'],
      ['sim?evm=2', 'evm must be 0 or 1'],
      ['sim?keccak=compact&rounds=2', 'the compact Keccak core has no rounds option'],
      ['sim:pcie?keccak=compact', 'byte-stream simulation only'],
    ] as const) {
      expect(() => parseDeviceSpec(text), text).toThrow(reason);
    }
  });
});
