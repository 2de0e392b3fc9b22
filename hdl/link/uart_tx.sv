`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * UART transmitter, 8N1, LSB first, a fixed divider of DIV clock cycles per bit.
 * Takes one byte from the valid/ready stream whenever the previous stop bit has ended; txd
 * comes straight from a flop so it never glitches.
 */
module uart_tx #(
  parameter integer DIV = 16   // clock cycles per bit, >= 4
) (
  input  wire       clk,
  input  wire       rst,

  input  wire [7:0] s_data,
  input  wire       s_valid,
  output wire       s_ready,

  output wire       txd,       // serial line, idles high

  output wire       busy       // a byte is on the line
);

  generate
    if (DIV < 4) begin : g_check
      $fatal(1, "uart_tx: DIV must be at least 4");
    end
  endgenerate

  localparam integer CW = $clog2(DIV);            // bit-timer width
  localparam [CW-1:0] BIT_LAST = CW'(DIV - 1);    // timer value at the end of a bit

  // Bits after the start bit: {stop, data[7:0]}, shifted out LSB first, refilled with 1s.
  reg [8:0]    frame_reg = 9'h1FF;
  reg [3:0]    bits_left_reg = 4'd0;   // bits still to send, including the current one
  reg [CW-1:0] timer_reg = {CW{1'b0}};
  reg          txd_reg = 1'b1;

  assign s_ready = bits_left_reg == 4'd0;
  assign txd     = txd_reg;
  assign busy    = bits_left_reg != 4'd0;

  always @(posedge clk) begin
    if (bits_left_reg == 4'd0) begin
      txd_reg <= 1'b1;
      if (s_valid) begin
        frame_reg     <= {1'b1, s_data};
        txd_reg       <= 1'b0;   // start bit goes out at once
        bits_left_reg <= 4'd10;
        timer_reg     <= {CW{1'b0}};
      end
    end else if (timer_reg == BIT_LAST) begin
      timer_reg     <= {CW{1'b0}};
      bits_left_reg <= bits_left_reg - 4'd1;
      frame_reg     <= {1'b1, frame_reg[8:1]};
      txd_reg       <= frame_reg[0];   // the next bit; 1 (idle) after the stop bit
    end else begin
      timer_reg <= timer_reg + 1'b1;
    end

    if (rst) begin
      bits_left_reg <= 4'd0;
      txd_reg       <= 1'b1;
    end
  end

endmodule

`resetall
