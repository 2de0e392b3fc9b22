/**
 * The `INFO` result (docs/protocol.md "INFO layout"), decoded with the field table generated from
 * hdl/spec/evm_fpga.json, so a field added there appears here without hand-written offsets.
 */
import { ProtocolError } from '../errors.ts';
import { CAPABILITY, INFO_BYTES, INFO_FIELDS, PROTOCOL } from './spec.ts';

type InfoField = (typeof INFO_FIELDS)[number];
type FieldValue<F extends InfoField> = F['type'] extends 'u64' ? bigint : number;

/** The device's identity, limits and counters; u64 fields are `bigint`, the rest `number`. */
export type DeviceInfo = { [F in InfoField as F['name']]: FieldValue<F> } & {
  /** Names of the capability bits set in `capabilities` (e.g. `['KECCAK']`). */
  capabilityNames: string[];
};

/**
 * Decodes an `INFO` result: the response payload after the status byte (INFO_BYTES = 88 bytes; longer
 * payloads from newer devices are accepted and the extra bytes ignored).
 * @throws ProtocolError when the payload is too short.
 */
export function decodeInfo(result: Uint8Array): DeviceInfo {
  if (result.length < INFO_BYTES) {
    throw new ProtocolError(`INFO result is ${result.length} bytes, expected ${INFO_BYTES}`);
  }
  const view = new DataView(result.buffer, result.byteOffset, result.byteLength);
  const info: Record<string, number | bigint | string[]> = {};
  for (const field of INFO_FIELDS) {
    switch (field.type) {
      case 'u8':
        info[field.name] = view.getUint8(field.offset);
        break;
      case 'u16':
        info[field.name] = view.getUint16(field.offset, true);
        break;
      case 'u32':
        info[field.name] = view.getUint32(field.offset, true);
        break;
      case 'u64':
        info[field.name] = view.getBigUint64(field.offset, true);
        break;
    }
  }
  const capabilities = info.capabilities as number;
  info.capabilityNames = Object.entries(CAPABILITY)
    .filter(([, bit]) => (capabilities >>> bit) & 1)
    .map(([name]) => name);
  return info as DeviceInfo;
}

/**
 * Checks that `info` comes from a device speaking this protocol version.
 * @throws ProtocolError on a wrong magic number or protocol version.
 */
export function checkInfo(info: DeviceInfo): void {
  if (info.magic !== PROTOCOL.magic) {
    throw new ProtocolError(
      `not an evm-fpga device: INFO magic is 0x${info.magic.toString(16).padStart(8, '0')}, expected 0x${PROTOCOL.magic.toString(16)}`,
    );
  }
  if (info.protocolVersion !== PROTOCOL.version) {
    throw new ProtocolError(
      `device speaks protocol version ${info.protocolVersion}, this host speaks ${PROTOCOL.version}`,
    );
  }
}

/**
 * Encodes a `DeviceInfo` as the INFO_BYTES-byte `INFO` result (the inverse of {@link decodeInfo}); used by
 * device models and test responders.
 */
export function encodeInfo(info: InfoRecord): Uint8Array {
  const result = new Uint8Array(INFO_BYTES);
  const view = new DataView(result.buffer);
  for (const field of INFO_FIELDS) {
    const value = info[field.name];
    switch (field.type) {
      case 'u8':
        view.setUint8(field.offset, value as number);
        break;
      case 'u16':
        view.setUint16(field.offset, value as number, true);
        break;
      case 'u32':
        view.setUint32(field.offset, value as number, true);
        break;
      case 'u64':
        view.setBigUint64(field.offset, value as bigint, true);
        break;
    }
  }
  return result;
}

/** An INFO record without the derived `capabilityNames`: what {@link encodeInfo} takes. */
export type InfoRecord = Omit<DeviceInfo, 'capabilityNames'>;

/**
 * An INFO record of this protocol version (magic, version, maxPayload set) with every other field
 * zero, then `fields` on top: the starting point for device models and test responders.
 */
export function blankInfo(fields: Partial<InfoRecord> = {}): InfoRecord {
  const info: Record<string, number | bigint> = {};
  for (const field of INFO_FIELDS) info[field.name] = field.type === 'u64' ? 0n : 0;
  return { ...(info as InfoRecord), magic: PROTOCOL.magic, protocolVersion: PROTOCOL.version, maxPayload: PROTOCOL.maxPayload, ...fields };
}
