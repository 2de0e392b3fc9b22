`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Simple dual-port RAM: DEPTH words of WIDTH bits, one write port and one read port with a
 * registered read (one cycle of latency), written so that synthesis maps it to block RAM: no
 * reset of the array, whole-word writes, read data only from a register. A read of the address
 * written in the same cycle returns the old word (on some block RAMs an undefined one): users
 * never rely on it. Used for the receive ring (64-bit words, top) and the storage-check table
 * (one word per set, storage_unit).
 */
module ram_sdp #(
  parameter integer WIDTH = 64,                  // bits per word
  parameter integer DEPTH = 1024,                // words; a power of two
  parameter integer ADDR_WIDTH = $clog2(DEPTH)   // address bits (derived; leave at default)
) (
  input  wire                  clk,
  input  wire                  wr_en,
  input  wire [ADDR_WIDTH-1:0] wr_addr,
  input  wire [WIDTH-1:0]      wr_data,
  input  wire                  rd_en,
  input  wire [ADDR_WIDTH-1:0] rd_addr,
  output wire [WIDTH-1:0]      rd_data    // mem[rd_addr] one cycle after rd_en; held otherwise
);

  generate
    if (DEPTH < 2 || (DEPTH & (DEPTH - 1)) != 0) begin : g_check_depth
      $fatal(1, "ram_sdp: DEPTH must be a power of two >= 2");
    end
    if (ADDR_WIDTH != $clog2(DEPTH)) begin : g_check_addr
      $fatal(1, "ram_sdp: ADDR_WIDTH must equal $clog2(DEPTH)");
    end
    if (WIDTH < 1) begin : g_check_width
      $fatal(1, "ram_sdp: WIDTH must be positive");
    end
  endgenerate

  // Users never read a word in the cycle it is written (see above), so synthesis need not
  // emulate either collision behaviour: without no_rw_check Yosys adds bypass logic to every
  // iCE40 block RAM (measured: 70 LUT4 + 136 flip-flops per 64-bit memory).
  (* no_rw_check *)
  reg [WIDTH-1:0] mem [0:DEPTH-1];
  reg [WIDTH-1:0] rd_data_reg;

  assign rd_data = rd_data_reg;

  always @(posedge clk) begin
    if (wr_en) begin
      mem[wr_addr] <= wr_data;
    end
  end

  always @(posedge clk) begin
    if (rd_en) begin
      rd_data_reg <= mem[rd_addr];
    end
  end

endmodule

`resetall
