import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../host/errors.ts';
import { checkInfo, decodeInfo, encodeInfo, type DeviceInfo } from '../../host/protocol/info.ts';
import { INFO_BYTES, PROTOCOL } from '../../host/protocol/spec.ts';

const sample: Omit<DeviceInfo, 'capabilityNames'> = {
  magic: PROTOCOL.magic,
  protocolVersion: PROTOCOL.version,
  maxPayload: 4096,
  buildId: 0xdeadbeef,
  clockHz: 48_000_000,
  capabilities: 1,
  keccakCores: 1,
  keccakRoundsPerClock: 2,
  reserved0: 0,
  rxRingBytes: 8192,
  uartDivider: 16,
  totalCycles: 0x1_0000_0001n,
  busyCycles: 2n ** 63n + 5n,
  keccakCycles: 7n,
  framesOk: 3,
  crcErrors: 1,
  frameErrors: 2,
  permutations: 40,
  hashes: 9,
  storageEntries: 0,
  permutationCycles: 240n,
};

describe('decodeInfo', () => {
  it('decodes the documented layout', () => {
    const bytes = new Uint8Array(INFO_BYTES);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 0x464d5645, true);
    view.setUint16(4, 1, true);
    view.setUint16(6, 4096, true);
    view.setUint32(24, 8192, true);
    view.setBigUint64(32, 123456789012345n, true);
    view.setUint32(72, 77, true);
    bytes[16] = 1;
    bytes[21] = 4;
    const info = decodeInfo(bytes);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('EVMF');
    expect(info.magic).toBe(PROTOCOL.magic);
    expect(info.maxPayload).toBe(4096);
    expect(info.rxRingBytes).toBe(8192);
    expect(info.totalCycles).toBe(123456789012345n);
    expect(info.hashes).toBe(77);
    expect(info.keccakRoundsPerClock).toBe(4);
    expect(info.capabilityNames).toEqual(['KECCAK']);
  });
  it('round-trips through encodeInfo, u64 as bigint', () => {
    const info = decodeInfo(encodeInfo(sample));
    expect(info).toEqual({ ...sample, capabilityNames: ['KECCAK'] });
    expect(() => checkInfo(info)).not.toThrow();
  });
  it('rejects short payloads, wrong magic, wrong version', () => {
    expect(() => decodeInfo(new Uint8Array(75))).toThrow(ProtocolError);
    expect(() => checkInfo(decodeInfo(encodeInfo({ ...sample, magic: 1 })))).toThrow(/not an evm-fpga device/);
    expect(() => checkInfo(decodeInfo(encodeInfo({ ...sample, protocolVersion: 9 })))).toThrow(/protocol version 9/);
  });
  it('decodes from a view at an offset', () => {
    const framed = new Uint8Array(INFO_BYTES + 3);
    framed.set(encodeInfo(sample), 3);
    expect(decodeInfo(framed.subarray(3)).buildId).toBe(0xdeadbeef);
  });
});
