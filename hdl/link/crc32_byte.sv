`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * CRC-32 (IEEE 802.3, the zlib/Ethernet CRC) advanced by one byte: reflected polynomial
 * 0xEDB88320, bits taken LSB first. Purely combinational. The caller holds the running
 * register, starts it at 0xFFFFFFFF and transmits its complement (final XOR 0xFFFFFFFF)
 * little-endian, which is what Node's zlib.crc32 returns.
 */
module crc32_byte (
  input  wire [31:0] crc_in,   // running CRC register before this byte
  input  wire [7:0]  data,     // the byte
  output wire [31:0] crc_out   // running CRC register after this byte
);

  localparam [31:0] POLY = 32'hEDB88320;  // reflected form of 0x04C11DB7

  reg [31:0] crc;
  integer i;

  // Eight bit-serial LFSR steps; synthesis flattens them into a 32-output XOR network.
  always @* begin
    crc = crc_in ^ {24'd0, data};
    for (i = 0; i < 8; i = i + 1) begin
      crc = crc[0] ? ((crc >> 1) ^ POLY) : (crc >> 1);
    end
  end

  assign crc_out = crc;

endmodule

`resetall
