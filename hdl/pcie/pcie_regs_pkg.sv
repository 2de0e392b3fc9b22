`resetall
`timescale 1ns / 1ps
`default_nettype none

// The register file of the PCIe top (evm_fpga_pcie_top, docs/pcie.md "Register file"): byte
// offsets in the AXI4-Lite window the XDMA IP maps to /dev/xdma0_user, and the bit fields.
// The host's copy is host/transport/pcie-regs.ts; test/pcie-regs.test.ts parses this file and
// fails when the two differ.
package pcie_regs_pkg;

  localparam [15:0] REGMAP_VERSION       = 16'h1;     // VERSION[31:16]; bumped when the map changes
  localparam integer REG_ID              = 'h00;      // RO  PROTOCOL_MAGIC, the bytes "EVMF"
  localparam integer REG_VERSION         = 'h04;      // RO  {REGMAP_VERSION, PROTOCOL_VERSION}
  localparam integer REG_CAPABILITIES    = 'h08;      // RO  capability bits, as INFO reports them
  localparam integer REG_STREAM_BYTES    = 'h0c;      // RO  bytes per AXI4-Stream beat (DATA_WIDTH / 8)
  localparam integer REG_CLOCK_HZ        = 'h10;      // RO  design clock, Hz
  localparam integer REG_BUILD_ID        = 'h14;      // RO  BUILD_ID, as INFO reports it
  localparam integer REG_CONTROL         = 'h18;      // RW  see CONTROL_*; reads SOFT_RESET while one runs
  localparam integer REG_STATUS          = 'h1c;      // RO  see STATUS_*
  localparam integer REG_SCRATCH         = 'h20;      // RW  free for the host (bus checks)
  localparam integer REG_CYCLES_LO       = 'h28;      // RO  clock cycles since reset; reading LO latches HI
  localparam integer REG_CYCLES_HI       = 'h2c;      // RO
  localparam integer REG_H2C_BYTES_LO    = 'h30;      // RO  protocol bytes taken from the H2C stream; LO latches HI
  localparam integer REG_H2C_BYTES_HI    = 'h34;      // RO
  localparam integer REG_C2H_BYTES_LO    = 'h38;      // RO  protocol bytes given to the C2H stream; LO latches HI
  localparam integer REG_C2H_BYTES_HI    = 'h3c;      // RO
  localparam integer REG_H2C_PACKETS     = 'h40;      // RO  H2C beats with tlast (one per host write)
  localparam integer REG_C2H_PACKETS     = 'h44;      // RO  C2H beats with tlast (one per idle gap)
  localparam integer REG_SOFT_RESETS     = 'h48;      // RO  soft resets since power-on (not cleared by them)
  localparam integer REG_WINDOW_BYTES    = 'h50;      // size of the decoded window; reads above it return 0

  localparam integer CONTROL_SOFT_RESET     = 0;      // write 1: reset the core, adapters and counters
  localparam integer CONTROL_CLEAR_COUNTERS = 1;      // write 1: zero the cycle, byte and packet counters
  localparam integer STATUS_CORE_IDLE       = 0;      // nothing in flight in the core or the adapters
  localparam integer STATUS_IN_RESET        = 1;      // a soft reset is running
  localparam integer STATUS_H2C_HELD        = 2;      // the H2C adapter holds bytes of a beat
  localparam integer STATUS_C2H_HELD        = 3;      // the C2H adapter holds bytes not yet sent

endpackage

`resetall
