`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Top of an iCE40 board: the board's oscillator, through the PLL (dividers from icepll, chosen by
 * the build from the board file; SB_PLL40_PAD when the oscillator pin is the PLL's dedicated pad,
 * as on the iCEBreaker, else SB_PLL40_CORE) or straight, clocks board_core: evm_fpga_top with its
 * UART on the board's USB bridge, the reset (power-on, PLL not locked, the reset button where the
 * board has one) and the LEDs.
 *
 * Every parameter is set by `evm-fpga build` from hdl/boards/<board>/board.json; the defaults
 * are the iCE40-HX8K breakout's. Define BOARD_HAS_RESET when the board has a reset button
 * (the port rst_n_in exists only then, so a board without one needs no pin for it).
 */
module ice40_board_top #(
  parameter integer CLK_HZ = 48000000,         // design clock: the PLL output (or the oscillator without PLL)
  parameter integer UART_DIV = 16,             // CLK_HZ / baud
  parameter integer USE_PLL = 1,               // 1: clock through the PLL; 0: the oscillator directly
  parameter integer PLL_FROM_PAD = 0,          // 1: the oscillator pin is the PLL's own pad (SB_PLL40_PAD)
  parameter [3:0]   PLL_DIVR = 4'd0,           // icepll's DIVR (reference divider - 1)
  parameter [6:0]   PLL_DIVF = 7'd63,          // icepll's DIVF (feedback divider - 1)
  parameter [2:0]   PLL_DIVQ = 3'd4,           // icepll's DIVQ (output divider, log2)
  parameter [2:0]   PLL_FILTER_RANGE = 3'd1,   // icepll's FILTER_RANGE
  parameter integer LEDS = 8,                  // LEDs on the board
  parameter integer LED_ACTIVE_LOW = 0,        // 1: LEDs light on a low pin
  parameter integer KECCAK_CORE = 0,           // evm_fpga_top: 0 round-per-clock Keccak, 1 compact, 2 lean
  parameter integer KECCAK_ROUNDS_PER_CLK = 1, // evm_fpga_top: rounds per clock of the round-per-clock core
  parameter integer EVM_UNIT = 0,              // evm_fpga_top: 1 includes the EVM opcode unit
  parameter integer EVM_DATAPATH = 0,          // evm_fpga_top: EVM unit datapath, 0 fast, 1 compact
  parameter integer STORAGE_ENTRIES = 0,       // evm_fpga_top: storage-check table entries, 0 = no unit
  parameter [31:0]  BUILD_ID = 32'h0           // evm_fpga_top: reported by INFO
) (
  input  wire            clk_in,      // board oscillator
`ifdef BOARD_HAS_RESET
  input  wire            rst_n_in,    // reset button, active low
`endif
  input  wire            uart_rxd,    // from the USB bridge
  output wire            uart_txd,    // to the USB bridge
  output wire [LEDS-1:0] led
);

  generate
    if ((USE_PLL != 0 && USE_PLL != 1) || (PLL_FROM_PAD != 0 && PLL_FROM_PAD != 1)) begin : g_check_pll
      $fatal(1, "ice40_board_top: USE_PLL and PLL_FROM_PAD must be 0 or 1");
    end
  endgenerate

  wire clk;
  wire clk_locked;

  generate
    if (USE_PLL != 0 && PLL_FROM_PAD != 0) begin : g_pll_pad
      wire pll_core_unused;   // PLLOUTCORE: the design takes the global-buffer output
      wire pll_sdo_unused;    // dynamic configuration interface, not used
      SB_PLL40_PAD #(
        .FEEDBACK_PATH("SIMPLE"),
        .DIVR(PLL_DIVR),
        .DIVF(PLL_DIVF),
        .DIVQ(PLL_DIVQ),
        .FILTER_RANGE(PLL_FILTER_RANGE)
      ) pll_inst (
        .PACKAGEPIN(clk_in),
        .PLLOUTCORE(pll_core_unused),
        .PLLOUTGLOBAL(clk),
        .LOCK(clk_locked),
        .RESETB(1'b1),
        .BYPASS(1'b0),
        .EXTFEEDBACK(1'b0),
        .DYNAMICDELAY(8'd0),
        .LATCHINPUTVALUE(1'b0),
        .SCLK(1'b0),
        .SDI(1'b0),
        .SDO(pll_sdo_unused)
      );
    end else if (USE_PLL != 0) begin : g_pll
      wire pll_core_unused;   // PLLOUTCORE: the design takes the global-buffer output
      wire pll_sdo_unused;    // dynamic configuration interface, not used
      SB_PLL40_CORE #(
        .FEEDBACK_PATH("SIMPLE"),
        .DIVR(PLL_DIVR),
        .DIVF(PLL_DIVF),
        .DIVQ(PLL_DIVQ),
        .FILTER_RANGE(PLL_FILTER_RANGE)
      ) pll_inst (
        .REFERENCECLK(clk_in),
        .PLLOUTCORE(pll_core_unused),
        .PLLOUTGLOBAL(clk),
        .LOCK(clk_locked),
        .RESETB(1'b1),
        .BYPASS(1'b0),
        .EXTFEEDBACK(1'b0),
        .DYNAMICDELAY(8'd0),
        .LATCHINPUTVALUE(1'b0),
        .SCLK(1'b0),
        .SDI(1'b0),
        .SDO(pll_sdo_unused)
      );
    end else begin : g_no_pll
      assign clk        = clk_in;
      assign clk_locked = 1'b1;
    end
  endgenerate

`ifdef BOARD_HAS_RESET
  wire button = !rst_n_in;
`else
  wire button = 1'b0;
`endif

  board_core #(
    .CLK_HZ(CLK_HZ),
    .UART_DIV(UART_DIV),
    .LEDS(LEDS),
    .LED_ACTIVE_LOW(LED_ACTIVE_LOW),
    .KECCAK_CORE(KECCAK_CORE),
    .KECCAK_ROUNDS_PER_CLK(KECCAK_ROUNDS_PER_CLK),
    .EVM_UNIT(EVM_UNIT),
    .EVM_DATAPATH(EVM_DATAPATH),
    .STORAGE_ENTRIES(STORAGE_ENTRIES),
    .BUILD_ID(BUILD_ID)
  ) board_core_inst (
    .clk(clk),
    .clk_locked(clk_locked),
    .button(button),
    .uart_rxd(uart_rxd),
    .uart_txd(uart_txd),
    .led(led)
  );

endmodule

`resetall
