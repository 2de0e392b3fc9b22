`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * CRC-32 (IEEE 802.3, the zlib/Ethernet CRC) advanced by one byte: reflected polynomial
 * 0xEDB88320, bits taken LSB first. Purely combinational. The caller holds the running
 * register, starts it at 0xFFFFFFFF and transmits its complement (final XOR 0xFFFFFFFF)
 * little-endian, which is what Node's zlib.crc32 returns.
 *
 * Written in the table form crc' = (crc >> 8) ^ T[crc[7:0] ^ data], with T expanded by
 * linearity into the XOR of eight constant columns (T[x] = XOR of T[1 << k] over the set bits k
 * of x). Synthesis gets the same XOR network as eight bit-serial steps; Verilator gets eight
 * independent masked XORs instead of a chain of data-dependent branches, which measured ~20 % of
 * the whole design's simulation time.
 */
module crc32_byte (
  input  wire [31:0] crc_in,   // running CRC register before this byte
  input  wire [7:0]  data,     // the byte
  output wire [31:0] crc_out   // running CRC register after this byte
);

  localparam [31:0] POLY = 32'hEDB88320;  // reflected form of 0x04C11DB7

  // T[1 << k]: the register after eight bit-serial steps starting from 1 << k.
  function [31:0] column(input integer k);
    reg [31:0] c;
    integer i;
    begin
      c = 32'd1 << k;
      for (i = 0; i < 8; i = i + 1) begin
        c = (c >> 1) ^ (POLY & {32{c[0]}});
      end
      column = c;
    end
  endfunction

  localparam [31:0] COL0 = column(0);
  localparam [31:0] COL1 = column(1);
  localparam [31:0] COL2 = column(2);
  localparam [31:0] COL3 = column(3);
  localparam [31:0] COL4 = column(4);
  localparam [31:0] COL5 = column(5);
  localparam [31:0] COL6 = column(6);
  localparam [31:0] COL7 = column(7);

  wire [7:0] index = crc_in[7:0] ^ data;

  assign crc_out = {8'd0, crc_in[31:8]} ^
                   (COL0 & {32{index[0]}}) ^ (COL1 & {32{index[1]}}) ^
                   (COL2 & {32{index[2]}}) ^ (COL3 & {32{index[3]}}) ^
                   (COL4 & {32{index[4]}}) ^ (COL5 & {32{index[5]}}) ^
                   (COL6 & {32{index[6]}}) ^ (COL7 & {32{index[7]}});

endmodule

`resetall
