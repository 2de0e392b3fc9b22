`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Leading-zero count of a WIDTH-bit word (WIDTH when the word is zero), combinational.
 *
 * Two small stages instead of one WIDTH-long priority chain or a log2(WIDTH)-stage shifter over
 * the whole word: each 64-bit chunk finds its own leading zeros by a 6-step binary search (a few
 * dozen 2:1 muxes per chunk; one 64-bit operation per step in Verilator, which evaluates this
 * every clock), then the most significant non-zero chunk is picked. WIDTH is a power of two, so
 * that chunk's distance from the top is the bitwise inverse of its index and the count is a
 * plain concatenation.
 */
module evm_lzc #(
  parameter integer WIDTH = 256   // input width in bits: a power of two, 128 to 4096
) (
  input  wire [WIDTH-1:0]              value,
  output wire [$clog2(WIDTH+1)-1:0]    count   // leading zeros, 0..WIDTH
);

  localparam integer CHUNKS = WIDTH / 64;
  localparam integer CHUNK_INDEX_BITS = $clog2(CHUNKS);
  localparam integer COUNT_BITS = $clog2(WIDTH + 1);

  generate
    if (WIDTH < 128 || WIDTH > 4096 || (WIDTH & (WIDTH - 1)) != 0) begin : g_check_width
      $fatal(1, "evm_lzc: WIDTH must be a power of two from 128 to 4096");
    end
  endgenerate

  wire [CHUNKS-1:0]   chunk_nonzero;
  wire [6*CHUNKS-1:0] chunk_zeros;     // leading zeros inside chunk c at [6*c +: 6] (if non-zero)

  genvar c;
  generate
    for (c = 0; c < CHUNKS; c = c + 1) begin : g_chunk
      // Binary search: keep the upper half if it is non-zero, else the lower half.
      wire [63:0] bits = value[64*c +: 64];
      wire        z32 = bits[63:32] == 32'd0;
      wire [31:0] bits32 = z32 ? bits[31:0] : bits[63:32];
      wire        z16 = bits32[31:16] == 16'd0;
      wire [15:0] bits16 = z16 ? bits32[15:0] : bits32[31:16];
      wire        z8 = bits16[15:8] == 8'd0;
      wire [7:0]  bits8 = z8 ? bits16[7:0] : bits16[15:8];
      wire        z4 = bits8[7:4] == 4'd0;
      wire [3:0]  bits4 = z4 ? bits8[3:0] : bits8[7:4];
      wire        z2 = bits4[3:2] == 2'd0;
      wire [1:0]  bits2 = z2 ? bits4[1:0] : bits4[3:2];
      assign chunk_nonzero[c] = |bits2;   // the search ends on the two bits at the leading one
      assign chunk_zeros[6*c +: 6] = {z32, z16, z8, z4, z2, !bits2[1]};
    end
  endgenerate

  reg [CHUNK_INDEX_BITS-1:0] top_chunk;   // index of the most significant non-zero chunk
  integer i;
  always @* begin
    top_chunk = {CHUNK_INDEX_BITS{1'b0}};
    for (i = 0; i < CHUNKS; i = i + 1) begin
      if (chunk_nonzero[i]) begin
        top_chunk = i[CHUNK_INDEX_BITS-1:0];
      end
    end
  end

  wire [5:0] top_zeros = chunk_zeros[6*top_chunk +: 6];

  assign count = (|chunk_nonzero) ? {1'b0, ~top_chunk, top_zeros} : COUNT_BITS'(WIDTH);

endmodule

`resetall
