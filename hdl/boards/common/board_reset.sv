`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Board reset: turns the asynchronous reset sources of a board (a push button, a clock generator
 * that has not locked yet) into the synchronous active-high reset that evm_fpga_top expects.
 *
 * arst is synchronised through two flops (asserted at once, released on a clock edge, so no flop
 * of the design sees a release close to its clock edge), then rst is held for 2**HOLD_LOG2 more
 * cycles so the UART line and the clock have settled. After configuration the counter starts at
 * zero, so the design also gets a power-on reset without any reset source.
 */
module board_reset #(
  parameter integer HOLD_LOG2 = 12   // rst stays high for 2**HOLD_LOG2 cycles after arst falls (1..30)
) (
  input  wire clk,
  input  wire arst,   // asynchronous, active high: button pressed or clock not locked
  output wire rst     // synchronous, active high
);

  generate
    if (HOLD_LOG2 < 1 || HOLD_LOG2 > 30) begin : g_check_hold
      $fatal(1, "board_reset: HOLD_LOG2 must be in 1..30");
    end
  endgenerate

  reg [1:0]         sync_reg = 2'b11;                   // arst, synchronised; high while held
  reg [HOLD_LOG2:0] hold_reg = {(HOLD_LOG2 + 1){1'b0}}; // counts up to 2**HOLD_LOG2 after release

  always @(posedge clk or posedge arst) begin
    if (arst) begin
      sync_reg <= 2'b11;
    end else begin
      sync_reg <= {sync_reg[0], 1'b0};
    end
  end

  always @(posedge clk) begin
    if (sync_reg[1]) begin
      hold_reg <= {(HOLD_LOG2 + 1){1'b0}};
    end else if (!hold_reg[HOLD_LOG2]) begin
      hold_reg <= hold_reg + {{HOLD_LOG2{1'b0}}, 1'b1};
    end
  end

  assign rst = !hold_reg[HOLD_LOG2];

endmodule

`resetall
