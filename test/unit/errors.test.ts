import { describe, expect, it } from 'vitest';
import {
  DeviceSpecError,
  DeviceStatusError,
  EvmFpgaError,
  InvalidInputError,
  ProtocolError,
  TimeoutError,
  TransportError,
} from '../../host/errors.ts';
import { bytesToHex, hexToBytes } from '../../host/protocol/hex.ts';

describe('errors', () => {
  it('keep one line in message and walk the cause chain', () => {
    const root = new Error('ENOENT');
    const mid = new TransportError('cannot open /dev/ttyUSB1: No such file or directory\nsecond line', { cause: root, details: 'd' });
    const top = new TimeoutError('no answer', { cause: mid });
    expect(mid.message).toBe('cannot open /dev/ttyUSB1: No such file or directory');
    expect(mid.shortMessage).toBe(mid.message);
    expect(mid.details).toBe('d');
    expect(top.walk()).toBe(root);
    expect(top.walk((e) => e instanceof TransportError)).toBe(mid);
    expect(top.walk((e) => e instanceof DeviceSpecError)).toBeNull();
  });
  it('have names and codes', () => {
    const all = [
      [new ProtocolError('x'), 'ProtocolError', 'PROTOCOL'],
      [new DeviceStatusError('x', { status: 'CRC', statusCode: 1 }), 'DeviceStatusError', 'DEVICE_STATUS'],
      [new TimeoutError('x'), 'TimeoutError', 'TIMEOUT'],
      [new TransportError('x'), 'TransportError', 'TRANSPORT'],
      [new DeviceSpecError('x'), 'DeviceSpecError', 'DEVICE_SPEC'],
      [new InvalidInputError('x'), 'InvalidInputError', 'INVALID_INPUT'],
    ] as const;
    for (const [err, name, code] of all) {
      expect(err).toBeInstanceOf(EvmFpgaError);
      expect(err).toBeInstanceOf(Error);
      expect(err.name).toBe(name);
      expect(err.code).toBe(code);
    }
  });
});

describe('hex', () => {
  it('round-trips', () => {
    expect(hexToBytes('0x')).toEqual(new Uint8Array(0));
    expect(hexToBytes('')).toEqual(new Uint8Array(0));
    expect(hexToBytes('0xDEADbeef')).toEqual(new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
    expect(hexToBytes('0102')).toEqual(new Uint8Array([1, 2]));
    expect(bytesToHex(new Uint8Array([0, 15, 255]))).toBe('0x000fff');
  });
  it('rejects odd length and bad digits with one-line InvalidInputError', () => {
    expect(() => hexToBytes('0x123')).toThrow(InvalidInputError);
    expect(() => hexToBytes('0x123')).toThrow(/odd number of digits/);
    expect(() => hexToBytes('0xzz')).toThrow(/invalid hex digit "z" at position 0/);
    expect(() => hexToBytes('0x0g')).toThrow(/position 1/);
  });
});
