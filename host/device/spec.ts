/**
 * Device spec strings: how a person names a device on the command line.
 *
 * | spec | device |
 * | --- | --- |
 * | `sim` | the Verilator simulation, fast byte-stream UART |
 * | `sim:uart` | the simulation with the bit-accurate UART |
 * | `sim?rounds=2`, `sim:uart?rounds=2` | built with 2 Keccak rounds per clock |
 * | `sim?trace=out.fst` | also write a waveform |
 * | `uart:/dev/ttyUSB1?baud=3000000` | a serial port (default 3,000,000 baud) |
 * | `tcp:127.0.0.1:7777` | a TCP link |
 */
import { z } from 'zod';
import { DeviceSpecError } from '../errors.ts';

/** The simulated device. */
export interface SimDeviceSpec {
  kind: 'sim';
  /** `'fast'` bypasses the UART bit stream; `'bit'` runs the real UART RTL bit by bit. */
  uart: 'fast' | 'bit';
  /** Keccak rounds per clock the design is built with (divides 24). */
  roundsPerClock: number;
  /** FST waveform output file, if requested. */
  trace?: string;
}

/** A device behind a serial port. */
export interface UartDeviceSpec {
  kind: 'uart';
  /** Serial device path. */
  path: string;
  /** Line rate, bit/s. */
  baudRate: number;
}

/** A device behind a TCP connection. */
export interface TcpDeviceSpec {
  kind: 'tcp';
  host: string;
  port: number;
}

/** A parsed device spec. */
export type DeviceSpec = SimDeviceSpec | UartDeviceSpec | TcpDeviceSpec;

/** Baud rate when a `uart:` spec names none. */
export const DEFAULT_BAUD_RATE = 3_000_000;

/** The forms {@link parseDeviceSpec} accepts, for error messages and help text. */
export const DEVICE_SPEC_FORMS = 'sim, sim:uart, sim?rounds=N, sim?trace=FILE, uart:PATH[?baud=N], tcp:HOST:PORT';

const integerText = (what: string) =>
  z.string().regex(/^\d+$/, `${what} must be a positive integer`).transform(Number);

const simQuery = z.strictObject({
  rounds: integerText('rounds')
    .refine((n) => n >= 1 && n <= 24 && 24 % n === 0, 'rounds must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24)')
    .optional(),
  trace: z.string().min(1, 'trace needs a file name').optional(),
});

const uartQuery = z.strictObject({
  baud: integerText('baud').refine((n) => n > 0, 'baud must be positive').optional(),
});

const tcpPort = integerText('port').refine((n) => n >= 1 && n <= 65535, 'port must be 1 to 65535');

/**
 * Parses a device spec string (see the module comment for the accepted forms).
 * @throws DeviceSpecError with a one-line message naming the problem and the accepted forms.
 */
export function parseDeviceSpec(text: string): DeviceSpec {
  if (typeof text !== 'string' || text.trim() === '') fail(String(text), 'empty device spec');
  const spec = text.trim();
  const colon = spec.indexOf(':');
  const question = spec.indexOf('?');
  const kindEnd = [colon, question, spec.length].filter((i) => i >= 0).reduce((a, b) => Math.min(a, b));
  const kind = spec.slice(0, kindEnd);
  switch (kind) {
    case 'sim': {
      const { base, query } = splitQuery(spec, text);
      const variant = base.slice(3);
      if (variant !== '' && variant !== ':uart') fail(text, `unknown simulation variant "${variant.slice(1)}" (only "uart")`);
      const q = check(simQuery, query, text);
      const result: SimDeviceSpec = { kind: 'sim', uart: variant === ':uart' ? 'bit' : 'fast', roundsPerClock: q.rounds ?? 1 };
      if (q.trace !== undefined) result.trace = q.trace;
      return result;
    }
    case 'uart': {
      if (colon !== 4) fail(text, 'a uart spec needs a path, e.g. uart:/dev/ttyUSB1');
      const { base, query } = splitQuery(spec, text);
      const path = base.slice(5);
      if (path === '') fail(text, 'a uart spec needs a path, e.g. uart:/dev/ttyUSB1');
      const q = check(uartQuery, query, text);
      return { kind: 'uart', path, baudRate: q.baud ?? DEFAULT_BAUD_RATE };
    }
    case 'tcp': {
      if (question >= 0) fail(text, 'a tcp spec takes no options');
      const rest = spec.slice(4);
      const portAt = rest.lastIndexOf(':');
      if (colon !== 3 || portAt <= 0) fail(text, 'a tcp spec needs host and port, e.g. tcp:127.0.0.1:7777');
      let host = rest.slice(0, portAt);
      if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
      const port = check(tcpPort, rest.slice(portAt + 1), text);
      return { kind: 'tcp', host, port };
    }
    default:
      return fail(text, kind === '' ? 'missing device kind' : `unknown device kind "${kind}"`);
  }
}

/** Formats a spec back into its canonical string form (`parseDeviceSpec(formatDeviceSpec(s))` equals `s`). */
export function formatDeviceSpec(spec: DeviceSpec): string {
  switch (spec.kind) {
    case 'sim': {
      const query = [
        ...(spec.roundsPerClock !== 1 ? [`rounds=${spec.roundsPerClock}`] : []),
        ...(spec.trace !== undefined ? [`trace=${spec.trace}`] : []),
      ];
      return `sim${spec.uart === 'bit' ? ':uart' : ''}${query.length ? `?${query.join('&')}` : ''}`;
    }
    case 'uart':
      return `uart:${spec.path}${spec.baudRate !== DEFAULT_BAUD_RATE ? `?baud=${spec.baudRate}` : ''}`;
    case 'tcp':
      return `tcp:${spec.host.includes(':') ? `[${spec.host}]` : spec.host}:${spec.port}`;
  }
}

function splitQuery(spec: string, text: string): { base: string; query: Record<string, string> } {
  const question = spec.indexOf('?');
  if (question < 0) return { base: spec, query: {} };
  const query: Record<string, string> = {};
  for (const part of spec.slice(question + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (Object.hasOwn(query, key)) fail(text, `option "${key}" given twice`);
    try {
      query[key] = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      fail(text, `option "${key}" has a malformed %-escape`);
    }
  }
  return { base: spec.slice(0, question), query };
}

function check<T extends z.ZodType>(schema: T, value: unknown, text: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const reason =
    issue.code === 'unrecognized_keys'
      ? `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
      : issue.message;
  return fail(text, reason);
}

function fail(text: string, reason: string): never {
  throw new DeviceSpecError(`bad device spec "${text}": ${reason}; accepted: ${DEVICE_SPEC_FORMS}`);
}
