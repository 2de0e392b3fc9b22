`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Top of a Xilinx 7-series board (the Arty A7): the board's oscillator through an MMCME2_BASE
 * (multiplier and dividers chosen by the build from the board file) clocks board_core:
 * evm_fpga_top with its UART on the board's USB bridge, the reset (power-on, MMCM not locked, the
 * reset button) and the LEDs.
 *
 * Every parameter is set by `evm-fpga build` (Yosys) or the generated Vivado script from
 * hdl/boards/<board>/board.json; the defaults are the Arty A7's (100 MHz in, 48 MHz out).
 */
module xc7_board_top #(
  parameter integer CLK_HZ = 48000000,         // design clock: the MMCM output
  parameter integer UART_DIV = 16,             // CLK_HZ / baud
  parameter real    CLKIN_PERIOD_NS = 10.0,    // oscillator period
  parameter integer MMCM_DIVCLK = 5,           // input divider: PFD = f_in / MMCM_DIVCLK (10..450 MHz)
  parameter integer MMCM_MULT = 48,            // feedback multiplier: VCO = PFD * MMCM_MULT (600..1200 MHz)
  parameter integer MMCM_DIV = 20,             // output divider: CLK_HZ = VCO / MMCM_DIV
  parameter integer LEDS = 4,                  // LEDs on the board
  parameter integer LED_ACTIVE_LOW = 0,        // 1: LEDs light on a low pin
  parameter integer KECCAK_CORE = 0,           // evm_fpga_top: 0 round-per-clock Keccak, 1 compact, 2 lean
  parameter integer KECCAK_ROUNDS_PER_CLK = 1, // evm_fpga_top: rounds per clock of the round-per-clock core
  parameter integer EVM_UNIT = 1,              // evm_fpga_top: 1 includes the EVM opcode unit
  parameter integer EVM_DATAPATH = 0,          // evm_fpga_top: EVM unit datapath, 0 fast, 1 compact
  parameter integer STORAGE_ENTRIES = 8192,    // evm_fpga_top: storage-check table entries, 0 = no unit
  parameter [31:0]  BUILD_ID = 32'h0           // evm_fpga_top: reported by INFO
) (
  input  wire            clk_in,      // board oscillator
  input  wire            rst_n_in,    // reset button, active low
  input  wire            uart_rxd,    // from the USB bridge
  output wire            uart_txd,    // to the USB bridge
  output wire [LEDS-1:0] led
);

  generate
    if (MMCM_DIVCLK < 1 || MMCM_DIVCLK > 106 || MMCM_MULT < 2 || MMCM_MULT > 64 || MMCM_DIV < 1 || MMCM_DIV > 128) begin : g_check_mmcm
      $fatal(1, "xc7_board_top: MMCM_DIVCLK 1..106, MMCM_MULT 2..64, MMCM_DIV 1..128");
    end
  endgenerate

  wire clk_fb;
  wire clk_fb_buf;
  wire clk_mmcm;
  wire clk;
  wire clk_locked;
  wire [10:0] mmcm_unused;   // MMCM outputs other than CLKOUT0 and CLKFBOUT

  MMCME2_BASE #(
    .CLKIN1_PERIOD(CLKIN_PERIOD_NS),
    .DIVCLK_DIVIDE(MMCM_DIVCLK),
    .CLKFBOUT_MULT_F(MMCM_MULT),
    .CLKOUT0_DIVIDE_F(MMCM_DIV)
  ) mmcm_inst (
    .CLKIN1(clk_in),
    .CLKFBIN(clk_fb_buf),
    .CLKFBOUT(clk_fb),
    .CLKFBOUTB(mmcm_unused[0]),
    .CLKOUT0(clk_mmcm),
    .CLKOUT0B(mmcm_unused[1]),
    .CLKOUT1(mmcm_unused[2]),
    .CLKOUT1B(mmcm_unused[3]),
    .CLKOUT2(mmcm_unused[4]),
    .CLKOUT2B(mmcm_unused[5]),
    .CLKOUT3(mmcm_unused[6]),
    .CLKOUT3B(mmcm_unused[7]),
    .CLKOUT4(mmcm_unused[8]),
    .CLKOUT5(mmcm_unused[9]),
    .CLKOUT6(mmcm_unused[10]),
    .LOCKED(clk_locked),
    .PWRDWN(1'b0),
    .RST(1'b0)
  );

  BUFG fb_bufg_inst (.I(clk_fb), .O(clk_fb_buf));
  BUFG clk_bufg_inst (.I(clk_mmcm), .O(clk));

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
    .button(!rst_n_in),
    .uart_rxd(uart_rxd),
    .uart_txd(uart_txd),
    .led(led)
  );

endmodule

`resetall
