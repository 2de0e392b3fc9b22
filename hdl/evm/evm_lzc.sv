`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Leading-zero count of a WIDTH-bit word (WIDTH when the word is zero), registered: count is the
 * count of the value sampled in the last cycle with enable high, and holds until the next one.
 *
 * Registered, and computed in a function called only under enable, so that Verilator (which
 * re-evaluates every combinational block fed by a register on every clock edge) spends nothing
 * on it in the cycles it is not needed. Two small stages instead of one WIDTH-long priority chain
 * or a log2(WIDTH)-stage shifter over the whole word: the most significant non-zero 64-bit chunk
 * is picked, then its leading zeros are found by a 6-step binary search (a few dozen 2:1 muxes).
 * WIDTH is a power of two, so that chunk's distance from the top is the bitwise inverse of its
 * index and the count is a plain concatenation.
 */
module evm_lzc #(
  parameter integer WIDTH = 256   // input width in bits: a power of two, 128 to 4096
) (
  input  wire                          clk,
  input  wire                          enable,  // sample value in this cycle
  input  wire [WIDTH-1:0]              value,
  output wire [$clog2(WIDTH+1)-1:0]    count    // leading zeros of the last sampled value, 0..WIDTH
);

  localparam integer CHUNKS = WIDTH / 64;
  localparam integer CHUNK_INDEX_BITS = $clog2(CHUNKS);
  localparam integer COUNT_BITS = $clog2(WIDTH + 1);

  generate
    if (WIDTH < 128 || WIDTH > 4096 || (WIDTH & (WIDTH - 1)) != 0) begin : g_check_width
      $fatal(1, "evm_lzc: WIDTH must be a power of two from 128 to 4096");
    end
  endgenerate

  function [COUNT_BITS-1:0] leading_zeros;

    input [WIDTH-1:0] v;
    integer i;
    reg [CHUNK_INDEX_BITS-1:0] top_chunk;   // index of the most significant non-zero chunk
    reg        any;
    reg [63:0] bits;
    reg        z32, z16, z8, z4, z2;
    reg [31:0] bits32;
    reg [15:0] bits16;
    reg [7:0]  bits8;
    reg [3:0]  bits4;
    reg [1:0]  bits2;
    reg        unused_low_bit;   // the search only needs the upper of the last two bits
    begin
      top_chunk = {CHUNK_INDEX_BITS{1'b0}};
      any = 1'b0;
      for (i = 0; i < CHUNKS; i = i + 1) begin
        if (v[64*i +: 64] != 64'd0) begin
          top_chunk = i[CHUNK_INDEX_BITS-1:0];
          any = 1'b1;
        end
      end
      // Binary search: keep the upper half if it is non-zero, else the lower half.
      bits   = v[64*top_chunk +: 64];
      z32    = bits[63:32] == 32'd0;
      bits32 = z32 ? bits[31:0] : bits[63:32];
      z16    = bits32[31:16] == 16'd0;
      bits16 = z16 ? bits32[15:0] : bits32[31:16];
      z8     = bits16[15:8] == 8'd0;
      bits8  = z8 ? bits16[7:0] : bits16[15:8];
      z4     = bits8[7:4] == 4'd0;
      bits4  = z4 ? bits8[3:0] : bits8[7:4];
      z2     = bits4[3:2] == 2'd0;
      bits2  = z2 ? bits4[1:0] : bits4[3:2];   // the two bits at the leading one
      unused_low_bit = bits2[0];
      leading_zeros = any ? {1'b0, ~top_chunk, z32, z16, z8, z4, z2, !bits2[1]}
                          : COUNT_BITS'(WIDTH);
    end
  endfunction

  reg [COUNT_BITS-1:0] count_reg = COUNT_BITS'(WIDTH);

  assign count = count_reg;

  always @(posedge clk) begin
    if (enable) begin
      count_reg <= leading_zeros(value);
    end
  end

endmodule

`resetall
