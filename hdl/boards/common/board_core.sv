`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * What every board top holds behind its clock generator: board_reset (power-on, clock not
 * locked, the reset button), evm_fpga_top with its UART on the board's USB bridge (the
 * byte-stream port is not used on a board: link_sel is tied to 0), and board_leds (heartbeat,
 * activity, out of reset). The family tops (ice40_board_top, xc7_board_top) only make the clock
 * and pass their parameters through; `evm-fpga build` sets those from the board file.
 */
module board_core #(
  parameter integer CLK_HZ = 48000000,         // design clock
  parameter integer UART_DIV = 16,             // CLK_HZ / baud
  parameter integer LEDS = 8,                  // LEDs on the board
  parameter integer LED_ACTIVE_LOW = 0,        // 1: LEDs light on a low pin
  parameter integer KECCAK_CORE = 0,           // evm_fpga_top: 0 round-per-clock Keccak, 1 compact, 2 lean
  parameter integer KECCAK_ROUNDS_PER_CLK = 1, // evm_fpga_top: rounds per clock of the round-per-clock core
  parameter integer EVM_UNIT = 0,              // evm_fpga_top: 1 includes the EVM opcode unit
  parameter integer EVM_DATAPATH = 0,          // evm_fpga_top: EVM unit datapath, 0 fast, 1 compact
  parameter integer STORAGE_ENTRIES = 0,       // evm_fpga_top: storage-check table entries, 0 = no unit
  parameter [31:0]  BUILD_ID = 32'h0           // evm_fpga_top: reported by INFO
) (
  input  wire            clk,          // design clock
  input  wire            clk_locked,   // the clock generator has locked (1 without one)
  input  wire            button,       // reset button pressed (active high; 0 without one)
  input  wire            uart_rxd,     // from the USB bridge
  output wire            uart_txd,     // to the USB bridge
  output wire [LEDS-1:0] led
);

  wire rst;

  board_reset board_reset_inst (
    .clk(clk),
    .arst(button || !clk_locked),
    .rst(rst)
  );

  wire       idle;
  wire [9:0] stream_unused;   // the byte-stream port's outputs: not used on a board (link_sel = 0)

  evm_fpga_top #(
    .CLK_HZ(CLK_HZ),
    .UART_DIV(UART_DIV),
    .KECCAK_CORE(KECCAK_CORE),
    .KECCAK_ROUNDS_PER_CLK(KECCAK_ROUNDS_PER_CLK),
    .EVM_UNIT(EVM_UNIT),
    .EVM_DATAPATH(EVM_DATAPATH),
    .STORAGE_ENTRIES(STORAGE_ENTRIES),
    .BUILD_ID(BUILD_ID)
  ) evm_fpga_top_inst (
    .clk(clk),
    .rst(rst),
    .link_sel(1'b0),
    .uart_rxd(uart_rxd),
    .uart_txd(uart_txd),
    .s_axis_tdata(8'd0),
    .s_axis_tvalid(1'b0),
    .s_axis_tready(stream_unused[0]),
    .m_axis_tdata(stream_unused[8:1]),
    .m_axis_tvalid(stream_unused[9]),
    .m_axis_tready(1'b0),
    .idle(idle)
  );

  board_leds #(
    .LEDS(LEDS),
    .ACTIVE_LOW(LED_ACTIVE_LOW),
    .HEARTBEAT_LOG2($clog2(CLK_HZ) - 1)
  ) board_leds_inst (
    .clk(clk),
    .rst(rst),
    .idle(idle),
    .led(led)
  );

endmodule

`resetall
