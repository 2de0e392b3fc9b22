`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Top for PCIe boards: the board-independent core (evm_fpga_top, byte-stream link) behind the
 * streaming and register interfaces of the Xilinx XDMA IP (PG195, AXI4-Stream mode):
 *
 *   XDMA M_AXIS_H2C_0 -> s_axis_h2c -> axis_h2c_unpack -> evm_fpga_top s_axis (bytes)
 *   XDMA S_AXIS_C2H_0 <- m_axis_c2h <- axis_c2h_pack   <- evm_fpga_top m_axis (bytes)
 *   XDMA M_AXI_LITE   -> s_axil     -> pcie_regfile (id, version, capabilities, counters, reset)
 *
 * The host writes request frames to /dev/xdma0_h2c_0, reads answers from /dev/xdma0_c2h_0 and
 * reaches the register file through /dev/xdma0_user (host/transport/pcie.ts). One clock domain:
 * a board that runs the core slower than the XDMA's axi_aclk puts clock converters in front
 * (hdl/boards/litefury/build.tcl does). docs/pcie.md describes the whole path.
 */
module evm_fpga_pcie_top #(
  parameter integer DATA_WIDTH           = 64,         // XDMA AXI4-Stream data width: 64 (Gen2 x4 at 250 MHz), 128, ...
  parameter integer KEEP_WIDTH           = DATA_WIDTH / 8, // derived; do not override
  parameter integer AXIL_ADDR_WIDTH      = 12,         // AXI4-Lite address bits decoded (the map needs 7)
  parameter integer C2H_FLUSH_CYCLES     = 32,         // quiet clocks that end a C2H packet (tlast)
  parameter integer CLK_HZ               = 125000000,  // core clock, reported by INFO and CLOCK_HZ
  parameter integer KECCAK_ROUNDS_PER_CLK = 1,         // passed to evm_fpga_top
  parameter integer RX_RING_WORDS        = 1024,       // passed to evm_fpga_top
  parameter integer FRAME_TIMEOUT_CYCLES = 4194304,    // passed to evm_fpga_top
  parameter [31:0]  BUILD_ID             = 32'h0,      // passed to evm_fpga_top; also in BUILD_ID
  parameter integer STORAGE_ENTRIES      = 8192,       // passed to evm_fpga_top (0: no storage unit)
  parameter integer STORAGE_WAYS         = 8           // passed to evm_fpga_top
) (
  input  wire                       clk,             // XDMA axi_aclk (or the core clock behind converters)
  input  wire                       aresetn,         // XDMA axi_aresetn: active low, synchronous to clk

  input  wire [DATA_WIDTH-1:0]      s_axis_h2c_tdata,
  input  wire [KEEP_WIDTH-1:0]      s_axis_h2c_tkeep,
  input  wire                       s_axis_h2c_tlast,
  input  wire                       s_axis_h2c_tvalid,
  output wire                       s_axis_h2c_tready,

  output wire [DATA_WIDTH-1:0]      m_axis_c2h_tdata,
  output wire [KEEP_WIDTH-1:0]      m_axis_c2h_tkeep,
  output wire                       m_axis_c2h_tlast,
  output wire                       m_axis_c2h_tvalid,
  input  wire                       m_axis_c2h_tready,

  input  wire [AXIL_ADDR_WIDTH-1:0] s_axil_awaddr,
  input  wire                       s_axil_awvalid,
  output wire                       s_axil_awready,
  input  wire [31:0]                s_axil_wdata,
  input  wire [3:0]                 s_axil_wstrb,
  input  wire                       s_axil_wvalid,
  output wire                       s_axil_wready,
  output wire [1:0]                 s_axil_bresp,
  output wire                       s_axil_bvalid,
  input  wire                       s_axil_bready,
  input  wire [AXIL_ADDR_WIDTH-1:0] s_axil_araddr,
  input  wire                       s_axil_arvalid,
  output wire                       s_axil_arready,
  output wire [31:0]                s_axil_rdata,
  output wire [1:0]                 s_axil_rresp,
  output wire                       s_axil_rvalid,
  input  wire                       s_axil_rready,

  output wire                       idle             // nothing in flight (the harness may stop clocking; a board's LED)
);

  localparam [31:0] CAPABILITIES = (32'd1 << evm_fpga_pkg::CAP_KECCAK) |
                                   (32'd1 << evm_fpga_pkg::CAP_EVM_ALU) |
                                   ({31'd0, STORAGE_ENTRIES != 0} << evm_fpga_pkg::CAP_STORAGE_CHECK);

  // Registered reset: the pin drives one flop, the design sees a clean synchronous reset.
  reg rst_reg = 1'b1;
  always @(posedge clk) begin
    rst_reg <= !aresetn;
  end

  wire core_rst_soft;
  wire core_rst = rst_reg || core_rst_soft;

  // ---------------------------------------------------------------- H2C: beats to bytes
  wire [7:0] h2c_data;
  wire       h2c_valid;
  wire       h2c_ready;
  wire       h2c_empty;
  wire       h2c_packet;

  axis_h2c_unpack #(
    .DATA_WIDTH(DATA_WIDTH)
  ) h2c_unpack_inst (
    .clk(clk),
    .rst(core_rst),
    .s_axis_tdata(s_axis_h2c_tdata),
    .s_axis_tkeep(s_axis_h2c_tkeep),
    .s_axis_tlast(s_axis_h2c_tlast),
    .s_axis_tvalid(s_axis_h2c_tvalid),
    .s_axis_tready(s_axis_h2c_tready),
    .m_data(h2c_data),
    .m_valid(h2c_valid),
    .m_ready(h2c_ready),
    .empty(h2c_empty),
    .packet_done(h2c_packet)
  );

  // ---------------------------------------------------------------- the core
  wire [7:0] c2h_data;
  wire       c2h_valid;
  wire       c2h_ready;
  wire       core_idle;
  wire       uart_txd_unused;

  evm_fpga_top #(
    .CLK_HZ(CLK_HZ),
    .KECCAK_ROUNDS_PER_CLK(KECCAK_ROUNDS_PER_CLK),
    .RX_RING_WORDS(RX_RING_WORDS),
    .FRAME_TIMEOUT_CYCLES(FRAME_TIMEOUT_CYCLES),
    .BUILD_ID(BUILD_ID),
    .STORAGE_ENTRIES(STORAGE_ENTRIES),
    .STORAGE_WAYS(STORAGE_WAYS)
  ) core_inst (
    .clk(clk),
    .rst(core_rst),
    .link_sel(1'b1),
    .uart_rxd(1'b1),
    .uart_txd(uart_txd_unused),
    .s_axis_tdata(h2c_data),
    .s_axis_tvalid(h2c_valid),
    .s_axis_tready(h2c_ready),
    .m_axis_tdata(c2h_data),
    .m_axis_tvalid(c2h_valid),
    .m_axis_tready(c2h_ready),
    .idle(core_idle)
  );

  // ---------------------------------------------------------------- C2H: bytes to beats
  wire c2h_empty;
  wire c2h_packet;

  axis_c2h_pack #(
    .DATA_WIDTH(DATA_WIDTH),
    .FLUSH_CYCLES(C2H_FLUSH_CYCLES)
  ) c2h_pack_inst (
    .clk(clk),
    .rst(core_rst),
    .s_data(c2h_data),
    .s_valid(c2h_valid),
    .s_ready(c2h_ready),
    .m_axis_tdata(m_axis_c2h_tdata),
    .m_axis_tkeep(m_axis_c2h_tkeep),
    .m_axis_tlast(m_axis_c2h_tlast),
    .m_axis_tvalid(m_axis_c2h_tvalid),
    .m_axis_tready(m_axis_c2h_tready),
    .empty(c2h_empty),
    .packet_done(c2h_packet)
  );

  // ---------------------------------------------------------------- register file
  wire all_idle = core_idle && h2c_empty && c2h_empty;

  pcie_regfile #(
    .ADDR_WIDTH(AXIL_ADDR_WIDTH),
    .STREAM_BYTES(KEEP_WIDTH),
    .CLK_HZ(CLK_HZ),
    .BUILD_ID(BUILD_ID),
    .CAPABILITIES(CAPABILITIES)
  ) regfile_inst (
    .clk(clk),
    .rst(rst_reg),
    .s_axil_awaddr(s_axil_awaddr),
    .s_axil_awvalid(s_axil_awvalid),
    .s_axil_awready(s_axil_awready),
    .s_axil_wdata(s_axil_wdata),
    .s_axil_wstrb(s_axil_wstrb),
    .s_axil_wvalid(s_axil_wvalid),
    .s_axil_wready(s_axil_wready),
    .s_axil_bresp(s_axil_bresp),
    .s_axil_bvalid(s_axil_bvalid),
    .s_axil_bready(s_axil_bready),
    .s_axil_araddr(s_axil_araddr),
    .s_axil_arvalid(s_axil_arvalid),
    .s_axil_arready(s_axil_arready),
    .s_axil_rdata(s_axil_rdata),
    .s_axil_rresp(s_axil_rresp),
    .s_axil_rvalid(s_axil_rvalid),
    .s_axil_rready(s_axil_rready),
    .core_idle(all_idle),
    .h2c_held(!h2c_empty),
    .c2h_held(!c2h_empty),
    .h2c_byte(h2c_valid && h2c_ready),
    .c2h_byte(c2h_valid && c2h_ready),
    .h2c_packet(h2c_packet),
    .c2h_packet(c2h_packet),
    .core_rst(core_rst_soft)
  );

  assign idle = all_idle && !core_rst;

  wire unused_pcie_top = &{1'b0, uart_txd_unused};

endmodule

`resetall
