import { describe, expect, it } from 'vitest';
import { DeviceSpecError } from '../../host/errors.ts';
import { formatDeviceSpec, parseDeviceSpec } from '../../host/device/spec.ts';

describe('parseDeviceSpec', () => {
  it.each([
    ['sim', { kind: 'sim', uart: 'fast', roundsPerClock: 1 }],
    ['sim:uart', { kind: 'sim', uart: 'bit', roundsPerClock: 1 }],
    ['sim?rounds=2', { kind: 'sim', uart: 'fast', roundsPerClock: 2 }],
    ['sim:uart?rounds=2', { kind: 'sim', uart: 'bit', roundsPerClock: 2 }],
    ['sim?trace=out.fst', { kind: 'sim', uart: 'fast', roundsPerClock: 1, trace: 'out.fst' }],
    ['sim?rounds=3&trace=a%20b.fst', { kind: 'sim', uart: 'fast', roundsPerClock: 3, trace: 'a b.fst' }],
    ['uart:/dev/ttyUSB1?baud=3000000', { kind: 'uart', path: '/dev/ttyUSB1', baudRate: 3_000_000 }],
    ['uart:/dev/ttyUSB1', { kind: 'uart', path: '/dev/ttyUSB1', baudRate: 3_000_000 }],
    ['uart:/dev/ttyS0?baud=115200', { kind: 'uart', path: '/dev/ttyS0', baudRate: 115200 }],
    ['tcp:127.0.0.1:7777', { kind: 'tcp', host: '127.0.0.1', port: 7777 }],
    ['tcp:localhost:1', { kind: 'tcp', host: 'localhost', port: 1 }],
    ['tcp:[::1]:7777', { kind: 'tcp', host: '::1', port: 7777 }],
  ])('accepts %s', (text, expected) => {
    const spec = parseDeviceSpec(text);
    expect(spec).toEqual(expected);
    expect(parseDeviceSpec(formatDeviceSpec(spec))).toEqual(spec);
  });

  it.each([
    ['', /empty device spec/],
    ['fpga', /unknown device kind "fpga"/],
    ['sim:bit', /unknown simulation variant/],
    ['sim?rounds=5', /rounds must divide 24/],
    ['sim?rounds=0', /rounds must divide 24/],
    ['sim?rounds=two', /rounds must be a positive integer/],
    ['sim?speed=9', /unknown option "speed"/],
    ['sim?rounds=1&rounds=2', /given twice/],
    ['uart', /needs a path/],
    ['uart:', /needs a path/],
    ['uart:/dev/x?baud=fast', /baud must be a positive integer/],
    ['uart:/dev/x?parity=even', /unknown option "parity"/],
    ['tcp:host', /needs host and port/],
    ['tcp:host:0', /port must be 1 to 65535/],
    ['tcp:host:70000', /port must be 1 to 65535/],
    ['tcp:host:x', /port must be a positive integer/],
  ])('rejects %j', (text, message) => {
    let error: unknown;
    try {
      parseDeviceSpec(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DeviceSpecError);
    const e = error as DeviceSpecError;
    expect(e.shortMessage).toMatch(message);
    expect(e.shortMessage).toMatch(/accepted: sim, sim:uart/);
    expect(e.shortMessage).not.toContain('\n');
    expect(e.code).toBe('DEVICE_SPEC');
  });
});
