/**
 * `openDevice`: the public entry point. Opens the transport a device spec names, performs the
 * INFO handshake (magic number and protocol version must match), takes the flow-control window
 * from the device's `rxRingBytes`, and returns a {@link Device}.
 */
import { InvalidInputError, ProtocolError, TimeoutError, TransportError } from '../errors.ts';
import { checkInfo, decodeInfo, type DeviceInfo } from '../protocol/info.ts';
import { frameCost } from '../protocol/frame.ts';
import { PROTOCOL } from '../protocol/spec.ts';
import type { Transport } from '../transport/transport.ts';
import { createEvmUnit, type EvmUnit } from '../evm/unit.ts';
import { createStorageUnit, type StorageUnit } from '../storage/unit.ts';
import { createRequestEngine, type LinkStats, type RequestEngine } from './client.ts';
import { formatDeviceSpec, parseDeviceSpec, type DeviceSpec, type PoolMemberSpec } from './spec.ts';

/** Options for {@link openDevice}. */
export interface OpenDeviceOptions {
  /** Milliseconds a request may stay unanswered before it is retried (default 2000). */
  timeoutMs?: number;
  /** Retries per request before giving up (default 3, at most 250). */
  retryCount?: number;
  /** Milliseconds to wait before a retry (default 0: retry at once). */
  retryDelayMs?: number;
  /** Receives progress lines (simulation builds, logs). */
  progress?: (line: string) => void;
  /** Flow-control window in bytes (default: the device's `rxRingBytes`). */
  windowBytes?: number;
  /** Use this transport instead of opening the one the spec names (tests, custom links). */
  transport?: Transport;
}

/** An open device. */
export interface Device {
  /** The spec the device was opened with. */
  readonly spec: DeviceSpec;
  /** The link in use. */
  readonly transport: Transport;
  /** The INFO answer of the opening handshake (identity and limits; counters as of then). */
  readonly handshake: DeviceInfo;
  /** Asks the device for its identity and current counters. */
  info(): Promise<DeviceInfo>;
  /** Keccak-256 (Ethereum's, original padding) of `data`: 32 bytes. */
  keccak256(data: Uint8Array): Promise<Uint8Array>;
  /** Keccak-256 of every message, pipelined; the digests come back in the same order. */
  keccak256Batch(messages: readonly Uint8Array[]): Promise<Uint8Array[]>;
  /**
   * The EVM opcode unit (`EVM` command): `await device.evm.exec('SUB', 1n, 3n)`,
   * `await device.evm.execBatch(ops)`. Rejects with a one-line DeviceStatusError when the device
   * lacks it (INFO capability `EVM_ALU`).
   */
  readonly evm: EvmUnit;
  /**
   * The storage-check unit (`STORAGE` command): `await device.storage.reset()`,
   * `await device.storage.check(records)`. Rejects with a one-line DeviceStatusError when the
   * device lacks it (INFO capability `STORAGE_CHECK`). The executor uses it through
   * `createDeviceStorageChecker(device)`.
   */
  readonly storage: StorageUnit;
  /** Link statistics since the device was opened (a snapshot). */
  readonly stats: LinkStats;
  /** Closes the link; pending requests fail with a {@link TransportError}. Idempotent. */
  close(): Promise<void>;
}

/** Defaults of {@link OpenDeviceOptions}. */
export const DEVICE_DEFAULTS = { timeoutMs: 2000, retryCount: 3, retryDelayMs: 0 } as const;

/**
 * Opens the device `spec` names (a spec string such as `sim`, `uart:/dev/ttyUSB1`, or a parsed
 * {@link DeviceSpec}) and performs the INFO handshake.
 * @throws DeviceSpecError for a bad spec, TransportError when the link cannot be opened,
 *   TimeoutError when the device does not answer, ProtocolError when it is not an evm-fpga
 *   device of this protocol version, InvalidInputError for bad options.
 */
export async function openDevice(spec: string | DeviceSpec, options: OpenDeviceOptions = {}): Promise<Device> {
  const parsed = typeof spec === 'string' ? parseDeviceSpec(spec) : spec;
  if (parsed.kind === 'pool') {
    // One Device over several (host/device/pool.ts); loaded on demand like the transports.
    const { openDevicePool } = await import('./pool.ts');
    return openDevicePool(parsed, options);
  }
  const timeoutMs = checkNumber('timeoutMs', options.timeoutMs ?? DEVICE_DEFAULTS.timeoutMs, 1, 2 ** 31 - 1);
  const retryCount = checkNumber('retryCount', options.retryCount ?? DEVICE_DEFAULTS.retryCount, 0, 250);
  const retryDelayMs = checkNumber('retryDelayMs', options.retryDelayMs ?? DEVICE_DEFAULTS.retryDelayMs, 0, 2 ** 31 - 1);
  if (options.windowBytes !== undefined) checkNumber('windowBytes', options.windowBytes, 8, 2 ** 31 - 1);
  const transport = options.transport ?? (await openTransport(parsed, options.progress));
  const engine = createRequestEngine(transport, {
    timeoutMs,
    retryCount,
    retryDelayMs,
    // Until INFO tells the ring size, one maximal frame at a time is always safe.
    windowBytes: frameCost(PROTOCOL.maxPayload),
  });
  let handshake: DeviceInfo;
  try {
    handshake = decodeInfo(await engine.info());
    checkInfo(handshake);
  } catch (err) {
    engine.shutdown();
    await transport.close().catch(() => {});
    if (err instanceof TimeoutError) {
      throw new TimeoutError(`no answer from ${transport.name}: ${err.shortMessage}`, { cause: err });
    }
    if (err instanceof ProtocolError) {
      throw new ProtocolError(`${transport.name}: ${err.shortMessage}`, { cause: err });
    }
    throw err;
  }
  engine.windowBytes = options.windowBytes ?? handshake.rxRingBytes;
  return new OpenDevice(parsed, transport, engine, handshake);
}

class OpenDevice implements Device {
  private closed: Promise<void> | null = null;
  readonly evm: EvmUnit;
  readonly storage: StorageUnit;

  constructor(
    readonly spec: DeviceSpec,
    readonly transport: Transport,
    private readonly engine: RequestEngine,
    readonly handshake: DeviceInfo,
  ) {
    this.evm = createEvmUnit(engine, handshake);
    this.storage = createStorageUnit(engine, handshake);
  }

  get stats(): LinkStats {
    return { ...this.engine.stats };
  }

  async info(): Promise<DeviceInfo> {
    const info = decodeInfo(await this.engine.info());
    checkInfo(info);
    return info;
  }

  keccak256(data: Uint8Array): Promise<Uint8Array> {
    if (!(data instanceof Uint8Array)) return Promise.reject(notBytes(data));
    return this.engine.keccak([data]).then((digests) => digests[0]!);
  }

  keccak256Batch(messages: readonly Uint8Array[]): Promise<Uint8Array[]> {
    if (!Array.isArray(messages)) {
      return Promise.reject(new InvalidInputError(`keccak256Batch expects an array of Uint8Array, got ${describe(messages)}`));
    }
    for (let i = 0; i < messages.length; i++) {
      if (!(messages[i] instanceof Uint8Array)) return Promise.reject(notBytes(messages[i], i));
    }
    return this.engine.keccak(messages);
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      this.engine.shutdown(new TransportError(`${formatDeviceSpec(this.spec)}: device closed`));
      await this.transport.close();
    })();
    return this.closed;
  }
}

/**
 * Opens the transport a spec names. Transports load on demand, so using the simulation never
 * loads serialport's native bindings, and a UART user never loads the Verilator builder.
 */
async function openTransport(spec: PoolMemberSpec, progress?: (line: string) => void): Promise<Transport> {
  switch (spec.kind) {
    case 'sim': {
      const { openSimTransport } = await import('../transport/sim.ts');
      return openSimTransport({
        uart: spec.uart,
        roundsPerClock: spec.roundsPerClock,
        ...(spec.trace !== undefined ? { trace: spec.trace } : {}),
        ...(spec.keccakCore !== undefined ? { keccakCore: spec.keccakCore } : {}),
        ...(spec.evmUnit !== undefined ? { evmUnit: spec.evmUnit } : {}),
        ...(spec.evmDatapath !== undefined ? { evmDatapath: spec.evmDatapath } : {}),
        ...(progress ? { progress } : {}),
      });
    }
    case 'uart': {
      const { openUartTransport } = await import('../transport/uart.ts');
      return openUartTransport({ path: spec.path, baudRate: spec.baudRate });
    }
    case 'tcp': {
      const { openTcpTransport } = await import('../transport/tcp.ts');
      return openTcpTransport({ host: spec.host, port: spec.port });
    }
    case 'pcie': {
      const { openPcieTransport } = await import('../transport/pcie.ts');
      return openPcieTransport({ prefix: spec.prefix });
    }
    case 'sim-pcie': {
      const { openSimPcieTransport } = await import('../transport/sim-pcie.ts');
      return openSimPcieTransport({ roundsPerClock: spec.roundsPerClock, ...(progress ? { progress } : {}) });
    }
  }
}

function checkNumber(name: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`option ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** The error for a Keccak input that is not bytes (shared with the pool). */
export function notBytes(value: unknown, index?: number): InvalidInputError {
  const where = index === undefined ? 'keccak256 expects' : `keccak256Batch: message ${index} must be`;
  return new InvalidInputError(`${where} a Uint8Array, got ${describe(value)}`);
}

/** What a wrong-typed value is, for one-line errors. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
