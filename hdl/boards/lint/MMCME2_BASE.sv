`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Lint-only model of the Xilinx 7-series MMCME2_BASE (the ports xc7_board_top uses, names as in
 * the Xilinx library), so Verilator can check xc7_board_top. It passes the input clock through and
 * reports lock; never synthesised (Yosys and Vivado use their own cell libraries).
 */
module MMCME2_BASE #(
  parameter real    CLKIN1_PERIOD = 10.0,
  parameter integer DIVCLK_DIVIDE = 1,
  parameter real    CLKFBOUT_MULT_F = 5.0,
  parameter real    CLKOUT0_DIVIDE_F = 1.0
) (
  input  wire CLKIN1,
  input  wire CLKFBIN,
  output wire CLKFBOUT,
  output wire CLKFBOUTB,
  output wire CLKOUT0,
  output wire CLKOUT0B,
  output wire CLKOUT1,
  output wire CLKOUT1B,
  output wire CLKOUT2,
  output wire CLKOUT2B,
  output wire CLKOUT3,
  output wire CLKOUT3B,
  output wire CLKOUT4,
  output wire CLKOUT5,
  output wire CLKOUT6,
  output wire LOCKED,
  input  wire PWRDWN,
  input  wire RST
);
  assign CLKFBOUT  = CLKIN1;
  assign CLKFBOUTB = !CLKIN1;
  assign CLKOUT0   = CLKIN1;
  assign CLKOUT0B  = !CLKIN1;
  assign CLKOUT1   = CLKIN1;
  assign CLKOUT1B  = !CLKIN1;
  assign CLKOUT2   = CLKIN1;
  assign CLKOUT2B  = !CLKIN1;
  assign CLKOUT3   = CLKIN1;
  assign CLKOUT3B  = !CLKIN1;
  assign CLKOUT4   = CLKIN1;
  assign CLKOUT5   = CLKIN1;
  assign CLKOUT6   = CLKIN1;
  assign LOCKED    = !RST && !PWRDWN && CLKFBIN == CLKFBIN;
endmodule

`resetall
