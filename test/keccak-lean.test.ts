/**
 * The lean round-per-clock Keccak core (hdl/keccak/keccak_sponge_lean.sv: no block buffer, the
 * rate lanes absorb through a ring) on the simulated RTL without the EVM unit
 * (`sim?keccak=lean&evm=0`, the units an iCE40 HX8K round-per-clock build would hold): the Keccak suite every core runs, INFO's report of the
 * configuration, the core's cycle cost per block, and the spec strings that select it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDevice, type Device } from '../host/index.ts';
import { formatDeviceSpec, parseDeviceSpec } from '../host/device/spec.ts';
import { softwareKeccak256, type Keccak256 } from '../host/selftest/software-keccak.ts';
import { keccakCoreSuite } from './helpers/keccak-suite.ts';

describe('lean Keccak core without the EVM unit (sim?keccak=lean&evm=0)', () => {
  let device: Device;
  let sw: Keccak256;
  beforeAll(async () => {
    device = await openDevice('sim?keccak=lean&evm=0', { timeoutMs: 60_000 });
    sw = await softwareKeccak256();
  });
  afterAll(() => device?.close());

  keccakCoreSuite(() => ({ device, sw }), { roundsPerClock: 1, permutationCycles: 24 });

  it('spends 17 lane clocks + 24 rounds per block: the Keccak unit is busy 41 cycles per one-block hash', async () => {
    const before = await device.info();
    // 100 one-block messages, then 100 two-block ones (64 and 200 bytes).
    await device.keccak256Batch(Array.from({ length: 100 }, () => new Uint8Array(64)));
    const mid = await device.info();
    await device.keccak256Batch(Array.from({ length: 100 }, () => new Uint8Array(200)));
    const after = await device.info();
    expect(Number(mid.keccakCycles - before.keccakCycles)).toBe(100 * 41);
    expect(Number(after.keccakCycles - mid.keccakCycles)).toBe(100 * 2 * 41);
  });
});

describe('device specs selecting the lean core', () => {
  it('parses and formats keccak=lean', () => {
    const spec = parseDeviceSpec('sim?keccak=lean&evm=0');
    expect(spec).toEqual({ kind: 'sim', uart: 'fast', roundsPerClock: 1, keccakCore: 'lean', evmUnit: false });
    expect(formatDeviceSpec(spec)).toBe('sim?keccak=lean&evm=0');
    expect(formatDeviceSpec(parseDeviceSpec('sim:uart?keccak=lean'))).toBe('sim:uart?keccak=lean');
  });

  it('rejects rounds with the lean core, and lean on the PCIe simulation', () => {
    expect(() => parseDeviceSpec('sim?keccak=lean&rounds=2')).toThrow('the lean Keccak core has no rounds option');
    expect(() => parseDeviceSpec('sim:pcie?keccak=lean')).toThrow('byte-stream simulation only');
  });
});
