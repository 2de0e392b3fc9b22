`resetall
`timescale 1ns / 1ps
`default_nettype none

/* Lint-only model of the Xilinx global clock buffer; never synthesised. */
module BUFG (
  input  wire I,
  output wire O
);
  assign O = I;
endmodule

`resetall
