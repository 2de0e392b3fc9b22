/**
 * Differential test of the simulated EVM unit against @ethereumjs/evm executing each opcode
 * (PUSH32 C, PUSH32 B, PUSH32 A, op, MSTORE, RETURN; host/evm/reference.ts). Operands: the cross
 * product of a core set of edge values, then a seeded mix of edge values, uniform random words,
 * random-length words and small values for every opcode (host/evm/samples.ts).
 *
 * `npm test` runs a few thousand vectors. `EVM_FPGA_LONG=1` adds a long run (default 4,000 per
 * opcode = 100,000 vectors; `EVM_FPGA_LONG_PER_OP` to change) that prints its mismatch count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDevice, type Device } from '../host/index.ts';
import { EVM_OPCODE_LIST, type EvmOpcode } from '../host/evm/opcodes.ts';
import { createEvmReference, type EvmReference } from '../host/evm/reference.ts';
import { operandSource } from '../host/evm/samples.ts';
import { formatWord } from '../host/evm/text.ts';

interface Case {
  opcode: EvmOpcode;
  a: bigint;
  b: bigint;
  c: bigint;
}

const M = 1n << 256n;
/** Values where EVM arithmetic changes behaviour: zero, one, the sign boundary, the word's top. */
const CORE = [0n, 1n, 2n, 31n, 32n, 255n, 256n, (M >> 1n) - 1n, M >> 1n, (M >> 1n) + 1n, M - 2n, M - 1n];
const CORE3 = [0n, 1n, 2n, 32n, (M >> 1n) - 1n, M >> 1n, M - 2n, M - 1n];

function edgeCases(): Case[] {
  const out: Case[] = [];
  for (const opcode of EVM_OPCODE_LIST) {
    if (opcode.inputs === 1) for (const a of CORE) out.push({ opcode, a, b: 0n, c: 0n });
    if (opcode.inputs === 2) for (const a of CORE) for (const b of CORE) out.push({ opcode, a, b, c: 0n });
    if (opcode.inputs === 3) for (const a of CORE3) for (const b of CORE3) for (const c of CORE3) out.push({ opcode, a, b, c });
  }
  return out;
}

function randomCases(perOpcode: number, seed: number): Case[] {
  const src = operandSource(seed);
  const out: Case[] = [];
  for (let i = 0; i < perOpcode; i++) for (const opcode of EVM_OPCODE_LIST) out.push({ opcode, ...src.operands(opcode) });
  // Shuffle, so every frame mixes opcodes (and the unit sees them in no particular order).
  for (let i = out.length - 1; i > 0; i--) {
    const j = src.u32() % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Runs `cases` on the device (pipelined, in chunks) and ethereumjs; returns the mismatches. */
async function compare(device: Device, reference: EvmReference, cases: Case[]): Promise<string[]> {
  const bad: string[] = [];
  const chunk = 20_000;
  for (let start = 0; start < cases.length; start += chunk) {
    const part = cases.slice(start, start + chunk);
    const pending = device.evm.execBatch(
      part.map((k) => ({ op: k.opcode.code, a: k.a, ...(k.opcode.inputs > 1 ? { b: k.b } : {}), ...(k.opcode.inputs > 2 ? { c: k.c } : {}) })),
    );
    const expected: bigint[] = [];
    for (const k of part) expected.push(await reference(k.opcode.code, k.a, k.b, k.c));
    const got = await pending;
    part.forEach((k, i) => {
      if (got[i]!.result !== expected[i]) {
        bad.push(`${k.opcode.name} a=${formatWord(k.a)} b=${formatWord(k.b)} c=${formatWord(k.c)}: device ${formatWord(got[i]!.result)}, ethereumjs ${formatWord(expected[i]!)}`);
      }
    });
  }
  return bad;
}

const LONG = process.env.EVM_FPGA_LONG === '1';
const LONG_PER_OP = Number(process.env.EVM_FPGA_LONG_PER_OP ?? 4000);

describe('EVM unit on the simulated device against @ethereumjs/evm', () => {
  let device: Device;
  let reference: EvmReference;
  beforeAll(async () => {
    device = await openDevice('sim', { timeoutMs: 30_000 });
    reference = await createEvmReference();
  });
  afterAll(() => device?.close());

  it('every opcode on the cross product of edge values', async () => {
    const cases = edgeCases();
    expect(cases.length).toBeGreaterThan(3000);
    const bad = await compare(device, reference, cases);
    expect(bad.slice(0, 10), `${bad.length} of ${cases.length} differ`).toEqual([]);
  });

  it('every opcode on 200 mixed random operand sets each (5,000 vectors)', async () => {
    const cases = randomCases(200, 20240611);
    const bad = await compare(device, reference, cases);
    expect(bad.slice(0, 10), `${bad.length} of ${cases.length} differ`).toEqual([]);
  });

  it.runIf(LONG)(
    `long run: ${LONG_PER_OP} mixed random operand sets per opcode (EVM_FPGA_LONG=1)`,
    async () => {
      const seed = Number(process.env.EVM_FPGA_SEED ?? Date.now() % 2 ** 31);
      const cases = randomCases(LONG_PER_OP, seed);
      const t0 = performance.now();
      const bad = await compare(device, reference, cases);
      const seconds = (performance.now() - t0) / 1000;
      console.log(`long run (seed ${seed}): ${cases.length} vectors, ${bad.length} mismatches, ${seconds.toFixed(1)} s`);
      for (const line of bad.slice(0, 20)) console.log(`  ${line}`);
      expect(bad.length).toBe(0);
    },
    1_800_000,
  );
});
