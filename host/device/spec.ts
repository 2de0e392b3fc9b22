/**
 * Device spec strings: how a person names a device on the command line.
 *
 * | spec | device |
 * | --- | --- |
 * | `sim` | the Verilator simulation, fast byte-stream UART |
 * | `sim:uart` | the simulation with the bit-accurate UART |
 * | `sim?rounds=2`, `sim:uart?rounds=2` | built with 2 Keccak rounds per clock |
 * | `sim?trace=out.fst` | also write a waveform |
 * | `sim?keccak=compact` | built with the compact Keccak core (the iCE40 UP5K's; docs/keccak-compact.md) |
 * | `sim?keccak=lean` | built with the lean round-per-clock Keccak core (no block buffer; docs/keccak-lean.md) |
 * | `sim?evm=0` | built without the EVM opcode unit (EVM answers UNKNOWN_CMD) |
 * | `sim?evm=compact` | the EVM unit with the compact datapath (the Artix-7 35T's; docs/opcode-unit.md) |
 * | `uart:/dev/ttyUSB1?baud=3000000` | a serial port (default 3,000,000 baud) |
 * | `tcp:127.0.0.1:7777` | a TCP link |
 * | `pool:sim,sim` | several devices behind one API (host/device/pool.ts) |
 * | `pcie:/dev/xdma0` | a PCIe card through the XDMA driver's files /dev/xdma0_{h2c_0,c2h_0,user} |
 * | `sim:pcie`, `sim:pcie?rounds=2` | the simulated PCIe top behind XDMA-like files in a temp dir |
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
  /**
   * `'compact'`: built with the compact Keccak core (top KECCAK_CORE=1); `'lean'`: the lean
   * round-per-clock core (KECCAK_CORE=2); absent: the full core.
   */
  keccakCore?: 'compact' | 'lean';
  /** `false`: built without the EVM opcode unit (top EVM_UNIT=0); absent: with it. */
  evmUnit?: false;
  /** `'compact'`: the EVM unit with the compact datapath (top EVM_DATAPATH=1); absent: the fast one. */
  evmDatapath?: 'compact';
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

/** A PCIe card through the XDMA driver's character devices (host/transport/pcie.ts, docs/pcie.md). */
export interface PcieDeviceSpec {
  kind: 'pcie';
  /** Path prefix of the three files: `/dev/xdma0` names /dev/xdma0_h2c_0, /dev/xdma0_c2h_0, /dev/xdma0_user. */
  prefix: string;
}

/** The simulated PCIe top (evm_fpga_pcie_top) behind XDMA-like files, driven by the real PCIe transport. */
export interface SimPcieDeviceSpec {
  kind: 'sim-pcie';
  /** Keccak rounds per clock the design is built with (divides 24). */
  roundsPerClock: number;
}

/**
 * Several devices behind one API (host/device/pool.ts): `pool:SPEC,SPEC,...`. Members are any
 * other spec; pools do not nest.
 */
export interface PoolDeviceSpec {
  kind: 'pool';
  /** The member devices, in the order given. */
  members: PoolMemberSpec[];
}

/** A spec that may be a pool member: any spec but a pool. */
export type PoolMemberSpec = Exclude<DeviceSpec, PoolDeviceSpec>;

/** A parsed device spec. */
export type DeviceSpec = PoolDeviceSpec | SimDeviceSpec | UartDeviceSpec | TcpDeviceSpec | PcieDeviceSpec | SimPcieDeviceSpec;

/** Baud rate when a `uart:` spec names none. */
export const DEFAULT_BAUD_RATE = 3_000_000;

/** The forms {@link parseDeviceSpec} accepts, for error messages and help text. */
export const DEVICE_SPEC_FORMS = 'sim, sim:uart, sim?rounds=N, sim?trace=FILE, sim?keccak=compact|lean, sim?evm=0|compact, uart:PATH[?baud=N], tcp:HOST:PORT, pcie:/dev/xdma0, sim:pcie[?rounds=N], pool:SPEC,SPEC,...';

const integerText = (what: string) =>
  z.string().regex(/^\d+$/, `${what} must be a positive integer`).transform(Number);

const simQuery = z.strictObject({
  rounds: integerText('rounds')
    .refine((n) => n >= 1 && n <= 24 && 24 % n === 0, 'rounds must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24)')
    .optional(),
  trace: z.string().min(1, 'trace needs a file name').optional(),
  keccak: z.enum(['full', 'compact', 'lean'], { error: 'keccak must be "full", "compact" or "lean"' }).optional(),
  evm: z.enum(['0', '1', 'fast', 'compact'], { error: 'evm must be 0 or 1, or fast or compact (the EVM datapath)' }).optional(),
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
      if (variant !== '' && variant !== ':uart' && variant !== ':pcie') {
        fail(text, `unknown simulation variant "${variant.slice(1)}" (only "uart" or "pcie")`);
      }
      const q = check(simQuery, query, text);
      if (q.keccak !== undefined && q.keccak !== 'full' && q.rounds !== undefined && q.rounds !== 1) {
        fail(text, `the ${q.keccak} Keccak core has no rounds option`);
      }
      if (variant === ':pcie') {
        if (q.trace !== undefined) fail(text, 'the simulated PCIe card has no waveform tracing');
        if ((q.keccak !== undefined && q.keccak !== 'full') || q.evm === '0' || q.evm === 'compact') {
          fail(text, 'keccak and evm options apply to the byte-stream simulation only');
        }
        return { kind: 'sim-pcie', roundsPerClock: q.rounds ?? 1 };
      }
      const result: SimDeviceSpec = { kind: 'sim', uart: variant === ':uart' ? 'bit' : 'fast', roundsPerClock: q.rounds ?? 1 };
      if (q.trace !== undefined) result.trace = q.trace;
      if (q.keccak !== undefined && q.keccak !== 'full') result.keccakCore = q.keccak;
      if (q.evm === '0') result.evmUnit = false;
      if (q.evm === 'compact') result.evmDatapath = 'compact';
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
    case 'pcie': {
      if (question >= 0) fail(text, 'a pcie spec takes no options');
      // The prefix of the three XDMA files; a full file name is accepted and trimmed to it.
      const prefix = spec.slice(5).replace(/_(h2c_0|c2h_0|user)$/, '');
      if (colon !== 4 || prefix === '') fail(text, 'a pcie spec needs the XDMA device prefix, e.g. pcie:/dev/xdma0');
      return { kind: 'pcie', prefix };
    }
    case 'pool':
      return parsePool(spec, text);
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
        ...(spec.keccakCore !== undefined ? [`keccak=${spec.keccakCore}`] : []),
        ...(spec.evmUnit === false ? ['evm=0'] : spec.evmDatapath === 'compact' ? ['evm=compact'] : []),
      ];
      return `sim${spec.uart === 'bit' ? ':uart' : ''}${query.length ? `?${query.join('&')}` : ''}`;
    }
    case 'uart':
      return `uart:${spec.path}${spec.baudRate !== DEFAULT_BAUD_RATE ? `?baud=${spec.baudRate}` : ''}`;
    case 'tcp':
      return `tcp:${spec.host.includes(':') ? `[${spec.host}]` : spec.host}:${spec.port}`;
    case 'pool':
      return `pool:${spec.members.map(formatDeviceSpec).join(',')}`;
    case 'pcie':
      return `pcie:${spec.prefix}`;
    case 'sim-pcie':
      return `sim:pcie${spec.roundsPerClock !== 1 ? `?rounds=${spec.roundsPerClock}` : ''}`;
  }
}

/** `pool:SPEC,SPEC,...`: every member parsed on its own; empty members and nested pools rejected. */
function parsePool(spec: string, text: string): PoolDeviceSpec {
  if (!spec.startsWith('pool:')) fail(text, 'a pool spec lists its members after "pool:", e.g. pool:sim,sim');
  const parts = spec.slice(5).split(',');
  if (parts.length === 1 && parts[0]!.trim() === '') fail(text, 'a pool needs at least one member, e.g. pool:sim,sim');
  const members = parts.map((part, i): PoolMemberSpec => {
    const where = `pool member ${i + 1}`;
    if (part.trim() === '') fail(text, `${where} is empty`);
    if (/^\s*pool[:?]/.test(part) || part.trim() === 'pool') fail(text, `${where} is a pool; pools do not nest`);
    try {
      return parseDeviceSpec(part) as PoolMemberSpec;
    } catch (err) {
      if (err instanceof DeviceSpecError && err.details !== undefined) fail(text, `${where} "${part.trim()}": ${err.details}`);
      throw err;
    }
  });
  return { kind: 'pool', members };
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
  throw new DeviceSpecError(`bad device spec "${text}": ${reason}; accepted: ${DEVICE_SPEC_FORMS}`, { details: reason });
}
