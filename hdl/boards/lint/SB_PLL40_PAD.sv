`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Lint-only model of the iCE40 pad-fed PLL primitive (ports and parameters as in Yosys's
 * share/ice40/cells_sim.v), so Verilator can check ice40_board_top. It passes the reference
 * clock through and reports lock; never synthesised (Yosys uses its own cell library).
 */
module SB_PLL40_PAD #(
  parameter FEEDBACK_PATH = "SIMPLE",
  parameter [3:0] DIVR = 4'd0,
  parameter [6:0] DIVF = 7'd0,
  parameter [2:0] DIVQ = 3'd0,
  parameter [2:0] FILTER_RANGE = 3'd0
) (
  input  wire       PACKAGEPIN,
  output wire       PLLOUTCORE,
  output wire       PLLOUTGLOBAL,
  input  wire       EXTFEEDBACK,
  input  wire [7:0] DYNAMICDELAY,
  output wire       LOCK,
  input  wire       BYPASS,
  input  wire       RESETB,
  input  wire       LATCHINPUTVALUE,
  output wire       SDO,
  input  wire       SDI,
  input  wire       SCLK
);
  assign PLLOUTCORE   = PACKAGEPIN;
  assign PLLOUTGLOBAL = PACKAGEPIN;
  assign LOCK         = RESETB;
  assign SDO          = 1'b0;
endmodule

`resetall
