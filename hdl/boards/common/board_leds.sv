`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Status LEDs of a board, so bring-up can be seen before any byte is exchanged:
 *   led[0]  heartbeat: toggles about every 0.7 s (2**HEARTBEAT_LOG2 cycles); the clock runs
 *   led[1]  activity: lit while the device is busy (not idle), stretched to at least
 *           2**STRETCH_LOG2 cycles so a single frame is visible
 *   led[2]  out of reset (clock locked, reset released)
 *   led[3+] off
 * Only the first LEDS of these exist; ACTIVE_LOW inverts every output for boards that sink
 * their LED current.
 */
module board_leds #(
  parameter integer LEDS = 8,             // LEDs on the board (1..32)
  parameter integer ACTIVE_LOW = 0,       // 1: an LED lights when its pin is low
  parameter integer HEARTBEAT_LOG2 = 25,  // heartbeat half period, log2 cycles (2..31)
  parameter integer STRETCH_LOG2 = 21     // shortest visible activity pulse, log2 cycles (2..31)
) (
  input  wire            clk,
  input  wire            rst,
  input  wire            idle,   // evm_fpga_top's idle
  output wire [LEDS-1:0] led
);

  generate
    if (LEDS < 1 || LEDS > 32) begin : g_check_leds
      $fatal(1, "board_leds: LEDS must be in 1..32");
    end
    if (HEARTBEAT_LOG2 < 2 || HEARTBEAT_LOG2 > 31 || STRETCH_LOG2 < 2 || STRETCH_LOG2 > 31) begin : g_check_log2
      $fatal(1, "board_leds: HEARTBEAT_LOG2 and STRETCH_LOG2 must be in 2..31");
    end
  endgenerate

  reg [HEARTBEAT_LOG2:0] heartbeat_reg = {(HEARTBEAT_LOG2 + 1){1'b0}};
  reg [STRETCH_LOG2:0]   activity_reg = {(STRETCH_LOG2 + 1){1'b0}};   // counts down while lit

  always @(posedge clk) begin
    heartbeat_reg <= heartbeat_reg + {{HEARTBEAT_LOG2{1'b0}}, 1'b1};
    if (!idle) begin
      activity_reg <= {1'b1, {STRETCH_LOG2{1'b0}}};
    end else if (activity_reg != {(STRETCH_LOG2 + 1){1'b0}}) begin
      activity_reg <= activity_reg - {{STRETCH_LOG2{1'b0}}, 1'b1};
    end
    if (rst) begin
      activity_reg <= {(STRETCH_LOG2 + 1){1'b0}};
    end
  end

  wire [2:0] status = {!rst, activity_reg != {(STRETCH_LOG2 + 1){1'b0}}, heartbeat_reg[HEARTBEAT_LOG2]};

  genvar i;
  generate
    for (i = 0; i < LEDS; i = i + 1) begin : g_led
      if (i < 3) begin : g_status
        assign led[i] = status[i] ^ (ACTIVE_LOW != 0);
      end else begin : g_off
        assign led[i] = ACTIVE_LOW != 0;
      end
    end
  endgenerate

  wire unused_status = &{1'b0, status};   // a board with fewer than 3 LEDs does not show them all

endmodule

`resetall
