`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * UART receiver, 8N1, LSB first, a fixed divider of DIV clock cycles per bit.
 * The line passes a two-flop synchroniser; a falling edge starts a byte, the start bit is
 * re-checked at its middle (a shorter glitch is ignored) and every data bit and the stop bit
 * are sampled at their middles. A byte whose stop bit reads 0 (framing error, or a break) is
 * dropped, and the receiver then waits for the line to go high before it looks for the next
 * start bit. There is no back-pressure: m_valid is a one-cycle pulse per byte.
 */
module uart_rx #(
  parameter integer DIV = 16   // clock cycles per bit, >= 4
) (
  input  wire       clk,
  input  wire       rst,

  input  wire       rxd,       // serial line, idle high (asynchronous)

  output wire [7:0] m_data,    // received byte, valid with m_valid
  output wire       m_valid,   // one-cycle pulse per good byte

  output wire       busy       // a byte is in progress (start bit seen, stop bit not yet)
);

  generate
    if (DIV < 4) begin : g_check
      $fatal(1, "uart_rx: DIV must be at least 4");
    end
  endgenerate

  localparam integer CW = $clog2(DIV);                  // bit-timer width
  localparam [CW-1:0] BIT_LAST  = CW'(DIV - 1);         // timer value at the end of a bit
  localparam [CW-1:0] HALF_LAST = CW'(DIV / 2 - 1);     // timer value at the middle of the start bit

  localparam [1:0]
    STATE_IDLE  = 2'd0,   // line high, waiting for a falling edge
    STATE_START = 2'd1,   // inside the start bit, waiting for its middle
    STATE_BITS  = 2'd2,   // data bits and the stop bit
    STATE_BREAK = 2'd3;   // after a framing error: wait for the line to go high

  // The two synchroniser flops; the first may go metastable, only the second is used.
  reg rxd_meta_reg = 1'b1;
  reg rxd_sync_reg = 1'b1;

  reg [1:0]    state_reg = STATE_IDLE;
  reg [CW-1:0] timer_reg = {CW{1'b0}};
  reg [3:0]    bit_reg = 4'd0;         // 0..7 data bits, 8 the stop bit
  reg [7:0]    shift_reg = 8'd0;
  reg [7:0]    data_reg = 8'd0;
  reg          valid_reg = 1'b0;

  assign m_data      = data_reg;
  assign m_valid     = valid_reg;
  assign busy        = state_reg != STATE_IDLE;

  always @(posedge clk) begin
    rxd_meta_reg <= rxd;
    rxd_sync_reg <= rxd_meta_reg;
    valid_reg    <= 1'b0;

    case (state_reg)
      STATE_IDLE: begin
        timer_reg <= {CW{1'b0}};
        bit_reg   <= 4'd0;
        if (!rxd_sync_reg) begin
          state_reg <= STATE_START;
        end
      end
      STATE_START: begin
        if (timer_reg == HALF_LAST) begin
          // Middle of the start bit: from here on count whole bits, landing mid-bit.
          timer_reg <= {CW{1'b0}};
          state_reg <= rxd_sync_reg ? STATE_IDLE : STATE_BITS;
        end else begin
          timer_reg <= timer_reg + 1'b1;
        end
      end
      STATE_BITS: begin
        if (timer_reg == BIT_LAST) begin
          timer_reg <= {CW{1'b0}};
          if (bit_reg == 4'd8) begin
            if (rxd_sync_reg) begin
              data_reg  <= shift_reg;
              valid_reg <= 1'b1;
              state_reg <= STATE_IDLE;
            end else begin
              state_reg <= STATE_BREAK;   // framing error or break: drop the byte
            end
          end else begin
            shift_reg <= {rxd_sync_reg, shift_reg[7:1]};
            bit_reg   <= bit_reg + 4'd1;
          end
        end else begin
          timer_reg <= timer_reg + 1'b1;
        end
      end
      default: begin  // STATE_BREAK
        if (rxd_sync_reg) begin
          state_reg <= STATE_IDLE;
        end
      end
    endcase

    if (rst) begin
      rxd_meta_reg <= 1'b1;
      rxd_sync_reg <= 1'b1;
      state_reg    <= STATE_IDLE;
      valid_reg    <= 1'b0;
      end
  end

endmodule

`resetall
