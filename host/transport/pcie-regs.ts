/**
 * The PCIe top's register file as the host sees it through `/dev/xdma0_user`: byte offsets and
 * bits. The RTL's copy is hdl/pcie/pcie_regs_pkg.sv; test/pcie-regs.test.ts parses that file and
 * fails when the two differ. docs/pcie.md "Register file" describes each register.
 */

/** Register map version this host understands (VERSION[31:16]). */
export const REGMAP_VERSION = 1;

/** Byte offsets of the 32-bit registers. */
export const PCIE_REG = {
  ID: 0x00,
  VERSION: 0x04,
  CAPABILITIES: 0x08,
  STREAM_BYTES: 0x0c,
  CLOCK_HZ: 0x10,
  BUILD_ID: 0x14,
  CONTROL: 0x18,
  STATUS: 0x1c,
  SCRATCH: 0x20,
  CYCLES_LO: 0x28,
  CYCLES_HI: 0x2c,
  H2C_BYTES_LO: 0x30,
  H2C_BYTES_HI: 0x34,
  C2H_BYTES_LO: 0x38,
  C2H_BYTES_HI: 0x3c,
  H2C_PACKETS: 0x40,
  C2H_PACKETS: 0x44,
  SOFT_RESETS: 0x48,
  WINDOW_BYTES: 0x50,
} as const;

/** CONTROL bits (write 1 to act). */
export const PCIE_CONTROL = {
  /** Reset the core, the stream adapters and the counters; reads 1 until the reset is over. */
  SOFT_RESET: 1 << 0,
  /** Zero the cycle, byte and packet counters. */
  CLEAR_COUNTERS: 1 << 1,
} as const;

/** STATUS bits. */
export const PCIE_STATUS = {
  CORE_IDLE: 1 << 0,
  IN_RESET: 1 << 1,
  H2C_HELD: 1 << 2,
  C2H_HELD: 1 << 3,
} as const;

/** A decoded snapshot of the register file. */
export interface PcieRegisters {
  /** ID: the protocol magic, 0x464d5645 ("EVMF"). */
  id: number;
  /** VERSION[31:16]. */
  regmapVersion: number;
  /** VERSION[15:0]: the link protocol version. */
  protocolVersion: number;
  /** Capability bits, as INFO reports them. */
  capabilities: number;
  /** Bytes per AXI4-Stream beat (XDMA data width / 8). */
  streamBytes: number;
  /** Design clock, Hz. */
  clockHz: number;
  buildId: number;
  control: number;
  status: number;
  scratch: number;
  /** Clock cycles since reset (or since the counters were cleared). */
  cycles: bigint;
  /** Protocol bytes the card took from H2C / gave to C2H. */
  h2cBytes: bigint;
  c2hBytes: bigint;
  /** H2C beats with tlast (one per host write) and C2H beats with tlast (one per idle gap). */
  h2cPackets: number;
  c2hPackets: number;
  /** Soft resets since power-on. */
  softResets: number;
}

/** Decodes a snapshot of the window (at least {@link PCIE_REG.WINDOW_BYTES} bytes, little-endian). */
export function decodePcieRegisters(window: Uint8Array): PcieRegisters {
  if (window.length < PCIE_REG.WINDOW_BYTES) throw new RangeError(`register window needs ${PCIE_REG.WINDOW_BYTES} bytes, got ${window.length}`);
  const v = new DataView(window.buffer, window.byteOffset, window.byteLength);
  const u32 = (o: number) => v.getUint32(o, true);
  const u64 = (lo: number) => BigInt(u32(lo)) | (BigInt(u32(lo + 4)) << 32n);
  return {
    id: u32(PCIE_REG.ID),
    regmapVersion: u32(PCIE_REG.VERSION) >>> 16,
    protocolVersion: u32(PCIE_REG.VERSION) & 0xffff,
    capabilities: u32(PCIE_REG.CAPABILITIES),
    streamBytes: u32(PCIE_REG.STREAM_BYTES),
    clockHz: u32(PCIE_REG.CLOCK_HZ),
    buildId: u32(PCIE_REG.BUILD_ID),
    control: u32(PCIE_REG.CONTROL),
    status: u32(PCIE_REG.STATUS),
    scratch: u32(PCIE_REG.SCRATCH),
    cycles: u64(PCIE_REG.CYCLES_LO),
    h2cBytes: u64(PCIE_REG.H2C_BYTES_LO),
    c2hBytes: u64(PCIE_REG.C2H_BYTES_LO),
    h2cPackets: u32(PCIE_REG.H2C_PACKETS),
    c2hPackets: u32(PCIE_REG.C2H_PACKETS),
    softResets: u32(PCIE_REG.SOFT_RESETS),
  };
}
