/**
 * evm-fpga host driver: the public API. Open a device by spec and hash on it:
 *
 * ```ts
 * import { openDevice, bytesToHex } from 'evm-fpga';
 * const device = await openDevice('sim');
 * console.log(bytesToHex(await device.keccak256(new Uint8Array())));
 * await device.close();
 * ```
 */
export {
  EvmFpgaError,
  ProtocolError,
  DeviceStatusError,
  TimeoutError,
  TransportError,
  DeviceSpecError,
  InvalidInputError,
  PoolExhaustedError,
  type EvmFpgaErrorOptions,
} from './errors.ts';

export { openDevice, DEVICE_DEFAULTS, type Device, type OpenDeviceOptions } from './device/device.ts';
export {
  parseDeviceSpec,
  formatDeviceSpec,
  DEFAULT_BAUD_RATE,
  DEVICE_SPEC_FORMS,
  type DeviceSpec,
  type SimDeviceSpec,
  type UartDeviceSpec,
  type TcpDeviceSpec,
  type PcieDeviceSpec,
  type SimPcieDeviceSpec,
  type PoolDeviceSpec,
  type PoolMemberSpec,
} from './device/spec.ts';
export {
  openDevicePool,
  createDevicePool,
  type DevicePool,
  type DevicePoolOptions,
  type PoolDeviceInfo,
  type PoolMemberInfo,
  type PoolMemberState,
  type PoolMemberStatus,
  type PoolStats,
} from './device/pool.ts';
export { createRequestEngine, RequestEngine, type LinkStats, type RequestEngineOptions } from './device/client.ts';
export { createEvmUnit, type EvmUnit, type EvmResult } from './evm/unit.ts';
export { EVM_OPCODE_LIST, lookupOpcode, opcodeByCode, type EvmOpcode } from './evm/opcodes.ts';
export {
  evmOpSchema,
  parseEvmOp,
  requestToOp,
  toWord,
  WORD_MODULUS,
  type EvmOp,
  type EvmRequest,
  type EvmWordInput,
} from './evm/operands.ts';
export {
  encodeEvmRecords,
  decodeEvmRecords,
  encodeEvmResults,
  decodeEvmResults,
  evmResultLength,
  EVM_RECORD_STATUS,
  type EvmRecordInput,
  type EvmResultRecord,
} from './evm/records.ts';
export { formatWord, parseOpLines, parseOpTokens } from './evm/text.ts';
export { serveNullDevice, type NullDeviceOptions } from './device/null-device.ts';

export type { Transport, TransportType, DataListener, CloseListener } from './transport/transport.ts';
export { createMemoryLink, type MemoryLink } from './transport/memory.ts';
export { openSimTransport, spawnSimTransport, type SimTransportOptions, type SimUartMode } from './transport/sim.ts';
export { openUartTransport, type UartTransportOptions } from './transport/uart.ts';
export { openTcpTransport, type TcpTransportOptions } from './transport/tcp.ts';
export {
  openPcieTransport,
  isPcieTransport,
  xdmaPaths,
  type PcieTransport,
  type PcieTransportOptions,
} from './transport/pcie.ts';
export { openSimPcieTransport, type SimPcieTransportOptions } from './transport/sim-pcie.ts';
export { PCIE_REG, PCIE_CONTROL, PCIE_STATUS, REGMAP_VERSION, decodePcieRegisters, type PcieRegisters } from './transport/pcie-regs.ts';

export { crc32 } from './protocol/crc32.ts';
export {
  encodeFrame,
  encodeResponse,
  writeFrame,
  frameCost,
  FRAME_OVERHEAD,
  MAX_FRAME_BYTES,
  type Frame,
} from './protocol/frame.ts';
export { FrameDecoder, type FrameDecoderOptions, type FrameDecoderStats, type FrameListener } from './protocol/decoder.ts';
export {
  encodeKeccakChunk,
  decodeKeccakChunk,
  chunkCount,
  nextChunkLength,
  MAX_FINAL_CHUNK_DATA,
  type KeccakChunk,
} from './protocol/keccak.ts';
export { decodeInfo, encodeInfo, checkInfo, blankInfo, type DeviceInfo, type InfoRecord } from './protocol/info.ts';
export { statusName, describeStatus } from './protocol/status.ts';
export { hexToBytes, bytesToHex } from './protocol/hex.ts';
export {
  PROTOCOL,
  CMD,
  STATUS,
  STATUS_DOC,
  CAPABILITY,
  KECCAK,
  EVM,
  EVM_OPCODES,
  INFO_FIELDS,
  INFO_BYTES,
  type EvmOpcodeName,
  type CommandName,
  type StatusName,
  type InfoFieldName,
} from './protocol/spec.ts';
export * from './executor/index.ts';
export * from './hash/index.ts';
export { createStorageUnit, type StorageUnit, type StorageBatchAnswer } from './storage/unit.ts';
export {
  reduceKeyDigest,
  encodeStorageCheck,
  encodeStorageReset,
  decodeStorageRequest,
  decodeStorageResult,
  encodeStorageResult,
  storagePayloadLength,
  STORAGE_MAX_TX,
  STORAGE_RESULT_FLAGS,
  type StorageRecord,
  type StorageFrameResult,
} from './storage/records.ts';
export { STORAGE } from './protocol/spec.ts';
export {
  createDeviceStorageChecker,
  type DeviceStorageChecker,
  type DeviceStorageCheckerStats,
  type StorageBlockStats,
} from './executor/device-storage-check.ts';
