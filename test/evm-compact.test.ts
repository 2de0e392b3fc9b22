/**
 * The compact EVM datapath (hdl/evm/evm_alu_compact.sv, top EVM_DATAPATH = 1: the Artix-7 35T's)
 * on the simulated device, `sim?evm=compact`: go-ethereum's tables, the division edge cases by
 * name (with values worked out here, not taken from the device or ethereumjs), @ethereumjs/evm
 * on the cross product of edge values and on seeded random operands, and the cycle counts that
 * show the compact datapath is the one answering (its latency formulas, docs/opcode-unit.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDevice, type Device } from '../host/index.ts';
import { formatDeviceSpec, parseDeviceSpec } from '../host/device/spec.ts';
import { EVM_OPCODE_LIST, lookupOpcode, type EvmOpcode } from '../host/evm/opcodes.ts';
import { createEvmReference, type EvmReference } from '../host/evm/reference.ts';
import { operandSource } from '../host/evm/samples.ts';
import { formatWord } from '../host/evm/text.ts';
import { loadGethInlineTables, loadGethTestcases } from '../host/evm/vectors.ts';

interface Case {
  opcode: EvmOpcode;
  a: bigint;
  b: bigint;
  c: bigint;
}

const M = 1n << 256n;
const MAX = M - 1n;
/** 2^255 - 1, the largest positive signed word. */
const MAX_SIGNED = (1n << 255n) - 1n;
/** Two's complement: the word of a (possibly negative) integer. */
const word = (x: bigint) => ((x % M) + M) % M;
/** base ** exponent mod 2^256, by squaring. */
function powWord(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  for (let b = base % M, e = exponent; e > 0n; e >>= 1n, b = (b * b) % M) if (e & 1n) result = (result * b) % M;
  return result;
}
const op = (name: string, a: bigint, b = 0n, c = 0n): Case => ({ opcode: lookupOpcode(name), a, b, c });

async function run(device: Device, cases: Case[]) {
  return device.evm.execBatch(
    cases.map((k) => ({ op: k.opcode.code, a: k.a, ...(k.opcode.inputs > 1 ? { b: k.b } : {}), ...(k.opcode.inputs > 2 ? { c: k.c } : {}) })),
  );
}

/** Runs `cases` on the device and on ethereumjs; returns the mismatches, one line each. */
async function compare(device: Device, reference: EvmReference, cases: Case[]): Promise<string[]> {
  const pending = run(device, cases);
  const expected: bigint[] = [];
  for (const k of cases) expected.push(await reference(k.opcode.code, k.a, k.b, k.c));
  const got = await pending;
  return cases.flatMap((k, i) =>
    got[i]!.result === expected[i]
      ? []
      : [`${k.opcode.name} a=${formatWord(k.a)} b=${formatWord(k.b)} c=${formatWord(k.c)}: device ${formatWord(got[i]!.result)}, ethereumjs ${formatWord(expected[i]!)}`],
  );
}

describe('the compact EVM datapath on the simulated device (sim?evm=compact)', () => {
  let device: Device;
  let reference: EvmReference;
  beforeAll(async () => {
    device = await openDevice('sim?evm=compact', { timeoutMs: 60_000 });
    reference = await createEvmReference();
  });
  afterAll(() => device?.close());

  it('has the EVM unit, and it is the compact datapath: cycles follow its latency formulas', async () => {
    expect(device.handshake.capabilityNames).toContain('EVM_ALU');
    const cases = [
      op('ADD', 1n, 2n), // 2 (the fast datapath: 1)
      op('AND', MAX, 5n), // 2
      op('MUL', 6n, 7n), // 19 (fast: 6)
      op('SHL', 4n, 1n), // 19
      op('SAR', 4n, MAX), // 20
      op('SHR', 0n, 9n), // 2: a shift by 0 needs no shifting
      op('DIV', 1n << 200n, 3n), // 23 + k, k = 201 - 2 + 1 = 200 quotient bits
      op('DIV', 5n, 0n), // 5: zero divisor
      op('MULMOD', MAX, MAX, 12345n), // 534: the 512-bit product, one bit per cycle
      op('EXP', 3n, MAX), // 5 + 17 x (255 squares + 255 multiplies) = 8,675
      op('EXP', 3n, 1n), // 4
    ];
    const results = await run(device, cases);
    expect(results.map((r) => r.cycles)).toEqual([2, 2, 19, 19, 20, 2, 223, 5, 534, 8675, 4]);
    expect(results.map((r) => r.result)).toEqual([3n, 5n, 42n, 16n, MAX, 9n, (1n << 200n) / 3n, 0n, (MAX * MAX) % 12345n, powWord(3n, MAX), 3n]);
  });

  it("all of go-ethereum's opcode tables (1,747 vectors)", async () => {
    const vectors = [...loadGethTestcases(), ...loadGethInlineTables()];
    expect(vectors).toHaveLength(1747);
    const results = await run(
      device,
      vectors.map((v) => ({ opcode: v.opcode, a: v.a, b: v.b, c: v.c })),
    );
    const bad = vectors.flatMap((v, i) =>
      results[i]!.result === v.expected ? [] : [`${v.name} ${v.opcode.name}: got ${formatWord(results[i]!.result)}, expected ${formatWord(v.expected)}`],
    );
    expect(bad.slice(0, 10), `${bad.length} of ${vectors.length} differ`).toEqual([]);
  });

  it('division edge cases: zero divisors, -2^255 / -1, signs of SDIV and SMOD, ADDMOD and MULMOD modulo 0 and 1 and past 2^256', async () => {
    const min = 1n << 255n; // -2^255
    const named: [Case, bigint][] = [
      [op('DIV', 7n, 0n), 0n],
      [op('SDIV', word(-7n), 0n), 0n],
      [op('MOD', MAX, 0n), 0n],
      [op('SMOD', word(-7n), 0n), 0n],
      [op('SDIV', min, MAX), min], // -2^255 / -1 overflows back to -2^255
      [op('SMOD', min, MAX), 0n],
      [op('SDIV', min, 1n), min],
      [op('SDIV', min, 2n), word(-(1n << 254n))],
      [op('SDIV', word(-7n), 2n), word(-3n)], // truncates toward zero
      [op('SDIV', 7n, word(-2n)), word(-3n)],
      [op('SDIV', word(-7n), word(-2n)), 3n],
      [op('SMOD', word(-7n), 2n), word(-1n)], // the remainder takes the dividend's sign
      [op('SMOD', 7n, word(-2n)), 1n],
      [op('SMOD', word(-7n), word(-2n)), word(-1n)],
      [op('MOD', word(-7n), 2n), 1n], // unsigned: 2^256 - 7 is odd
      [op('DIV', MAX, 1n), MAX], // the longest quotient, 256 bits
      [op('DIV', MAX, MAX), 1n],
      [op('DIV', 1n, MAX), 0n],
      [op('MOD', MAX, 1n << 128n), (1n << 128n) - 1n],
      [op('ADDMOD', 5n, 6n, 0n), 0n],
      [op('ADDMOD', MAX, MAX, 1n), 0n],
      [op('ADDMOD', MAX, MAX, 7n), (2n * MAX) % 7n], // the 257-bit sum, reduced
      [op('ADDMOD', MAX, 1n, 2n), 0n], // 2^256: the carry alone
      [op('ADDMOD', MAX, MAX, MAX), 0n],
      [op('ADDMOD', MAX, 2n, MAX - 1n), 3n],
      [op('MULMOD', 5n, 6n, 0n), 0n],
      [op('MULMOD', MAX, MAX, 1n), 0n],
      [op('MULMOD', MAX, MAX, 12n), (MAX * MAX) % 12n], // the 512-bit product, reduced
      [op('MULMOD', MAX, MAX, MAX), 0n],
      [op('MULMOD', MAX, MAX, MAX - 1n), 1n],
      [op('MULMOD', min, 2n, MAX), 1n], // 2^256 mod (2^256 - 1)
    ];
    const results = await run(
      device,
      named.map(([k]) => k),
    );
    const bad = named.flatMap(([k, expected], i) =>
      results[i]!.result === expected ? [] : [`${k.opcode.name} ${formatWord(k.a)} ${formatWord(k.b)} ${formatWord(k.c)}: got ${formatWord(results[i]!.result)}, expected ${formatWord(expected)}`],
    );
    expect(bad).toEqual([]);
    // The worked-out values are ethereumjs' too.
    expect(await compare(device, reference, named.map(([k]) => k))).toEqual([]);
  });

  it('every opcode against @ethereumjs/evm: the cross product of edge values, then 100 random operand sets each', async () => {
    const core = [0n, 1n, 2n, 31n, 32n, 255n, 256n, MAX_SIGNED, 1n << 255n, (1n << 255n) + 1n, MAX - 1n, MAX];
    const core3 = [0n, 1n, 2n, 32n, MAX_SIGNED, 1n << 255n, MAX - 1n, MAX];
    const cases: Case[] = [];
    for (const opcode of EVM_OPCODE_LIST) {
      if (opcode.inputs === 1) for (const a of core) cases.push({ opcode, a, b: 0n, c: 0n });
      if (opcode.inputs === 2) for (const a of core) for (const b of core) cases.push({ opcode, a, b, c: 0n });
      if (opcode.inputs === 3) for (const a of core3) for (const b of core3) for (const c of core3) cases.push({ opcode, a, b, c });
    }
    const src = operandSource(20250601);
    for (let i = 0; i < 100; i++) for (const opcode of EVM_OPCODE_LIST) cases.push({ opcode, ...src.operands(opcode) });
    expect(cases.length).toBeGreaterThan(6000);
    const bad = await compare(device, reference, cases);
    expect(bad.slice(0, 10), `${bad.length} of ${cases.length} differ`).toEqual([]);
  });
});

describe('device specs selecting the compact EVM datapath', () => {
  it('parses and formats evm=compact; evm=fast and evm=1 are the default', () => {
    const spec = parseDeviceSpec('sim?evm=compact');
    expect(spec).toEqual({ kind: 'sim', uart: 'fast', roundsPerClock: 1, evmDatapath: 'compact' });
    expect(formatDeviceSpec(spec)).toBe('sim?evm=compact');
    expect(formatDeviceSpec(parseDeviceSpec('sim:uart?keccak=compact&evm=compact'))).toBe('sim:uart?keccak=compact&evm=compact');
    expect(parseDeviceSpec('sim?evm=fast')).toEqual({ kind: 'sim', uart: 'fast', roundsPerClock: 1 });
    expect(parseDeviceSpec('sim?evm=1')).toEqual(parseDeviceSpec('sim'));
  });

  it('rejects bad values with a one-line error', () => {
    expect(() => parseDeviceSpec('sim?evm=small')).toThrow('evm must be 0 or 1, or fast or compact (the EVM datapath)');
    expect(() => parseDeviceSpec('sim:pcie?evm=compact')).toThrow('byte-stream simulation only');
  });
});
