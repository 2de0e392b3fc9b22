/**
 * `device.evm`: the EVM opcode unit behind the `EVM` command. Ops are validated on the host
 * (unknown opcodes, wrong operand counts and out-of-range words never reach the link), packed 39
 * records to a frame, and the frames pipelined through the request engine like Keccak messages:
 * many in flight, results in the order given.
 */
import { DeviceStatusError, InvalidInputError } from '../errors.ts';
import type { RequestEngine } from '../device/client.ts';
import type { DeviceInfo } from '../protocol/info.ts';
import { CAPABILITY, CMD, EVM, STATUS } from '../protocol/spec.ts';
import { formatCode } from './opcodes.ts';
import { parseEvmOp, WORD_MODULUS, type EvmOp, type EvmRequest, type EvmWordInput } from './operands.ts';
import {
  decodeEvmResults,
  encodeEvmRecords,
  EVM_RECORD_STATUS,
  evmResultLength,
  type EvmRecordInput,
  type EvmResultRecord,
} from './records.ts';

/** One evaluated opcode. */
export interface EvmResult {
  /** The 256-bit result (what the EVM pushes). */
  result: bigint;
  /** Cycles the device's opcode unit took for it (from the result record). */
  cycles: number;
}

/** The EVM opcode unit of an open device (`device.evm`). */
export interface EvmUnit {
  /** Whether the device has the unit (INFO capability bit `EVM_ALU` at the handshake). */
  readonly available: boolean;
  /**
   * Evaluates one opcode: `exec('SUB', 1n, 3n)` is 1 − 3 mod 2^256. Operands in stack order, `a`
   * the top; give exactly as many as the opcode pops.
   * @throws InvalidInputError for an unknown opcode, a wrong operand count or a bad operand;
   *   DeviceStatusError when the device has no EVM unit or rejects the op; TimeoutError,
   *   TransportError, ProtocolError from the link.
   */
  exec(op: EvmOp['op'], a: EvmWordInput, b?: EvmWordInput, c?: EvmWordInput): Promise<bigint>;
  /**
   * Evaluates every op, pipelined (frames of up to 39 records, many in flight); the results come
   * back in the same order. All ops are validated before anything is sent.
   * @throws as {@link EvmUnit.exec}; the InvalidInputError names the op's index.
   */
  execBatch(ops: readonly EvmOp[]): Promise<EvmResult[]>;
  /**
   * Low level: sends records as given (any byte code, no validation beyond range) and returns
   * the raw result records, status included, without turning a record status into an error.
   * For tests of the unit's handling of unknown opcodes and for tools.
   */
  execRecords(records: readonly EvmRecordInput[]): Promise<EvmResultRecord[]>;
}

/** Creates the `evm` facet of a device over its request engine. */
export function createEvmUnit(engine: RequestEngine, handshake: DeviceInfo): EvmUnit {
  return new DeviceEvmUnit(engine, handshake);
}

/**
 * Validation and result handling shared by every `evm` facet (one device, a pool of devices): a
 * subclass only says whether the unit is there and how records travel.
 */
export abstract class EvmFrontEnd implements EvmUnit {
  abstract readonly available: boolean;

  /** Sends records as given and returns the raw result records in the same order. */
  protected abstract sendRecords(records: readonly EvmRecordInput[]): Promise<EvmResultRecord[]>;

  exec(op: EvmOp['op'], a: EvmWordInput, b?: EvmWordInput, c?: EvmWordInput): Promise<bigint> {
    let request: EvmRequest;
    try {
      const given: EvmOp = { op, a };
      if (b !== undefined) given.b = b;
      if (c !== undefined) given.c = c;
      request = parseEvmOp(given, 'evm.exec');
    } catch (err) {
      return Promise.reject(err);
    }
    return this.run([request]).then((r) => r[0]!.result);
  }

  execBatch(ops: readonly EvmOp[]): Promise<EvmResult[]> {
    if (!Array.isArray(ops)) {
      return Promise.reject(new InvalidInputError(`evm.execBatch expects an array of ops, got ${ops === null ? 'null' : typeof ops}`));
    }
    const requests = new Array<EvmRequest>(ops.length);
    try {
      for (let i = 0; i < ops.length; i++) requests[i] = parseEvmOp(ops[i], `evm.execBatch: op ${i}`);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.run(requests);
  }

  async execRecords(records: readonly EvmRecordInput[]): Promise<EvmResultRecord[]> {
    for (let i = 0; i < records.length; i++) {
      const { code, a, b, c } = records[i]!;
      if (!Number.isInteger(code) || code < 0 || code > 0xff) throw new InvalidInputError(`evm.execRecords: record ${i}: opcode ${code} is not a byte`);
      for (const [name, v] of [['a', a], ['b', b], ['c', c]] as const) {
        if (typeof v !== 'bigint' || v < 0n || v >= WORD_MODULUS) throw new InvalidInputError(`evm.execRecords: record ${i}: ${name} is not a bigint 0 ≤ x < 2^256`);
      }
    }
    return this.sendRecords(records);
  }

  private async run(requests: readonly EvmRequest[]): Promise<EvmResult[]> {
    const records = await this.sendRecords(requests.map((r) => ({ code: r.opcode.code, a: r.a, b: r.b, c: r.c })));
    const out = new Array<EvmResult>(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (r.status !== EVM_RECORD_STATUS.OK) throw recordError(requests[i]!, i, r.status, requests.length);
      out[i] = { result: r.result, cycles: r.cycles };
    }
    return out;
  }
}

class DeviceEvmUnit extends EvmFrontEnd {
  readonly available: boolean;

  constructor(
    private readonly engine: RequestEngine,
    private readonly handshake: DeviceInfo,
  ) {
    super();
    this.available = ((handshake.capabilities >>> CAPABILITY.EVM_ALU) & 1) === 1;
  }

  /** Packs records into frames of up to 39, pipelines them, and decodes the answers in order. */
  protected async sendRecords(records: readonly EvmRecordInput[]): Promise<EvmResultRecord[]> {
    if (!this.available) {
      const caps = this.handshake.capabilityNames.length > 0 ? this.handshake.capabilityNames.join(', ') : 'none';
      throw new DeviceStatusError(`this device has no EVM opcode unit (capabilities: ${caps})`, {
        status: 'UNKNOWN_CMD',
        statusCode: STATUS.UNKNOWN_CMD,
        details: 'INFO capability bit EVM_ALU is clear: the build does not implement the EVM command',
      });
    }
    if (records.length === 0) return [];
    const payloads: Uint8Array[] = [];
    for (let start = 0; start < records.length; start += EVM.maxOpsPerFrame) {
      payloads.push(encodeEvmRecords(records, start, Math.min(records.length, start + EVM.maxOpsPerFrame)));
    }
    const answers = await this.engine.request(CMD.EVM, payloads, evmResultLength);
    const out: EvmResultRecord[] = [];
    for (let f = 0; f < answers.length; f++) {
      for (const r of decodeEvmResults(answers[f]!, payloads[f]!.length / EVM.recordBytes)) out.push(r);
    }
    return out;
  }
}

/** The error for a result record whose status is not OK (`index` of `count` ops in the call). */
export function recordError(request: EvmRequest, index: number, status: number, count: number): DeviceStatusError {
  const where = count > 1 ? ` (op ${index})` : '';
  const what =
    status === EVM_RECORD_STATUS.UNKNOWN_OPCODE
      ? `the device's EVM unit does not know opcode ${request.opcode.name} ${formatCode(request.opcode.code)}${where}`
      : `the device's EVM unit answered record status ${status} for ${request.opcode.name}${where}`;
  return new DeviceStatusError(what, {
    status: 'UNKNOWN',
    statusCode: status,
    details: 'a result record status (docs/protocol.md "EVM"): 0 ok, 1 unknown opcode',
  });
}
