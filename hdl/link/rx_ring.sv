`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Storage of the receive ring: a simple dual-port RAM of 64-bit words, one write port and one
 * read port with a registered read (one cycle of latency), written so that synthesis maps it to
 * block RAM (no reset of the array, whole-word writes, read data only from a register).
 * The ring's pointers live with their owners: rx_framer holds the committed write pointer,
 * link_dispatcher the release (read) pointer; both carry one wrap bit above the address.
 * A read of the address being written in the same cycle returns the old word; the framer
 * commits an entry only after its last write, so the dispatcher never does that.
 */
module rx_ring #(
  parameter integer DEPTH = 1024,   // words; a power of two
  parameter integer ADDR_WIDTH = $clog2(DEPTH)   // address bits (derived; leave at default)
) (
  input  wire                  clk,

  input  wire                  wr_en,
  input  wire [ADDR_WIDTH-1:0] wr_addr,
  input  wire [63:0]           wr_data,

  input  wire                  rd_en,
  input  wire [ADDR_WIDTH-1:0] rd_addr,
  output wire [63:0]           rd_data    // mem[rd_addr] one cycle after rd_en; held otherwise
);

  generate
    if (DEPTH < 2 || (DEPTH & (DEPTH - 1)) != 0) begin : g_check_depth
      $fatal(1, "rx_ring: DEPTH must be a power of two >= 2");
    end
    if (ADDR_WIDTH != $clog2(DEPTH)) begin : g_check_addr
      $fatal(1, "rx_ring: ADDR_WIDTH must equal $clog2(DEPTH)");
    end
  endgenerate

  reg [63:0] mem [0:DEPTH-1];
  reg [63:0] rd_data_reg;

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
