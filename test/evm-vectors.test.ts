/**
 * go-ethereum's known answers for the EVM opcodes on the simulated RTL: all 21
 * `testcases_<op>.json` tables (1,701 operand pairs) and the BYTE/SHL/SHR/SAR/ADDMOD tables from
 * instructions_test.go, sent as one pipelined batch. Geth's Y is the top of the stack (A).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDevice, type Device } from '../host/index.ts';
import { formatWord } from '../host/evm/text.ts';
import { loadGethInlineTables, loadGethTestcases, type EvmVector } from '../host/evm/vectors.ts';

async function mismatches(device: Device, vectors: EvmVector[]): Promise<string[]> {
  const results = await device.evm.execBatch(
    vectors.map((v) => ({ op: v.opcode.code, a: v.a, ...(v.opcode.inputs > 1 ? { b: v.b } : {}), ...(v.opcode.inputs > 2 ? { c: v.c } : {}) })),
  );
  expect(results).toHaveLength(vectors.length);
  return vectors.flatMap((v, i) =>
    results[i]!.result === v.expected ? [] : [`${v.name} ${v.opcode.name}: got ${formatWord(results[i]!.result)}, expected ${formatWord(v.expected)}`],
  );
}

describe('geth opcode tables on the simulated device', () => {
  let device: Device;
  beforeAll(async () => {
    device = await openDevice('sim', { timeoutMs: 30_000 });
  });
  afterAll(() => device?.close());

  it('the device has the EVM opcode unit', () => {
    expect(device.handshake.capabilityNames).toContain('EVM_ALU');
  });

  it('all 21 testcases_<op>.json tables (1,701 vectors)', async () => {
    const vectors = loadGethTestcases();
    expect(vectors).toHaveLength(1701);
    expect(new Set(vectors.map((v) => v.opcode.name)).size).toBe(21);
    expect(await mismatches(device, vectors)).toEqual([]);
  });

  it("instructions_test.go's BYTE, SHL, SHR, SAR and ADDMOD tables", async () => {
    const vectors = loadGethInlineTables();
    expect(vectors).toHaveLength(46);
    expect(await mismatches(device, vectors)).toEqual([]);
  });
});
