`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Block-design wrapper of evm_fpga_pcie_top for the LiteFury build (build.tcl): plain Verilog,
 * because Vivado's block-design module references take a Verilog or VHDL top, and the
 * X_INTERFACE attributes make the three buses appear as AXI4-Stream / AXI4-Lite interfaces on
 * the core clock. Not used by the simulation or the Yosys estimate (they take the SV top).
 */
module litefury_core #(
  parameter integer CORE_HZ = 100000000   // the core clock build.tcl generates
) (
  (* X_INTERFACE_INFO = "xilinx.com:signal:clock:1.0 clk CLK" *)
  (* X_INTERFACE_PARAMETER = "ASSOCIATED_BUSIF S_AXIS_H2C:M_AXIS_C2H:S_AXIL, ASSOCIATED_RESET aresetn" *)
  input  wire         clk,
  (* X_INTERFACE_INFO = "xilinx.com:signal:reset:1.0 aresetn RST" *)
  (* X_INTERFACE_PARAMETER = "POLARITY ACTIVE_LOW" *)
  input  wire         aresetn,

  (* X_INTERFACE_INFO = "xilinx.com:interface:axis:1.0 S_AXIS_H2C TDATA" *)
  input  wire [63:0]  s_axis_h2c_tdata,
  (* X_INTERFACE_INFO = "xilinx.com:interface:axis:1.0 S_AXIS_H2C TKEEP" *)
  input  wire [7:0]   s_axis_h2c_tkeep,
  (* X_INTERFACE_INFO = "xilinx.com:interface:axis:1.0 S_AXIS_H2C TLAST" *)
  input  wire         s_axis_h2c_tlast,
  (* X_INTERFACE_INFO = "xilinx.com:interface:axis:1.0 S_AXIS_H2C TVALID" *)
  input  wire         s_axis_h2c_tvalid,
  (* X_INTERFACE_INFO = "xilinx.com:interface:axis:1.0 S_AXIS_H2C TREADY" *)
  output wire         s_axis_h2c_tready,

  (* X_INTERFACE_INFO = "xilinx.com:interface:axis:1.0 M_AXIS_C2H TDATA" *)
  output wire [63:0]  m_axis_c2h_tdata,
  (* X_INTERFACE_INFO = "xilinx.com:interface:axis:1.0 M_AXIS_C2H TKEEP" *)
  output wire [7:0]   m_axis_c2h_tkeep,
  (* X_INTERFACE_INFO = "xilinx.com:interface:axis:1.0 M_AXIS_C2H TLAST" *)
  output wire         m_axis_c2h_tlast,
  (* X_INTERFACE_INFO = "xilinx.com:interface:axis:1.0 M_AXIS_C2H TVALID" *)
  output wire         m_axis_c2h_tvalid,
  (* X_INTERFACE_INFO = "xilinx.com:interface:axis:1.0 M_AXIS_C2H TREADY" *)
  input  wire         m_axis_c2h_tready,

  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL AWADDR" *)
  (* X_INTERFACE_PARAMETER = "PROTOCOL AXI4LITE, DATA_WIDTH 32, ADDR_WIDTH 32" *)
  input  wire [31:0]  s_axil_awaddr,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL AWVALID" *)
  input  wire         s_axil_awvalid,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL AWREADY" *)
  output wire         s_axil_awready,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL WDATA" *)
  input  wire [31:0]  s_axil_wdata,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL WSTRB" *)
  input  wire [3:0]   s_axil_wstrb,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL WVALID" *)
  input  wire         s_axil_wvalid,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL WREADY" *)
  output wire         s_axil_wready,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL BRESP" *)
  output wire [1:0]   s_axil_bresp,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL BVALID" *)
  output wire         s_axil_bvalid,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL BREADY" *)
  input  wire         s_axil_bready,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL ARADDR" *)
  input  wire [31:0]  s_axil_araddr,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL ARVALID" *)
  input  wire         s_axil_arvalid,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL ARREADY" *)
  output wire         s_axil_arready,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL RDATA" *)
  output wire [31:0]  s_axil_rdata,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL RRESP" *)
  output wire [1:0]   s_axil_rresp,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL RVALID" *)
  output wire         s_axil_rvalid,
  (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 S_AXIL RREADY" *)
  input  wire         s_axil_rready,

  output wire         idle
);

  evm_fpga_pcie_top #(
    .DATA_WIDTH(64),
    .AXIL_ADDR_WIDTH(32),
    .CLK_HZ(CORE_HZ)
  ) top_inst (
    .clk(clk),
    .aresetn(aresetn),
    .s_axis_h2c_tdata(s_axis_h2c_tdata),
    .s_axis_h2c_tkeep(s_axis_h2c_tkeep),
    .s_axis_h2c_tlast(s_axis_h2c_tlast),
    .s_axis_h2c_tvalid(s_axis_h2c_tvalid),
    .s_axis_h2c_tready(s_axis_h2c_tready),
    .m_axis_c2h_tdata(m_axis_c2h_tdata),
    .m_axis_c2h_tkeep(m_axis_c2h_tkeep),
    .m_axis_c2h_tlast(m_axis_c2h_tlast),
    .m_axis_c2h_tvalid(m_axis_c2h_tvalid),
    .m_axis_c2h_tready(m_axis_c2h_tready),
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
    .idle(idle)
  );

endmodule

`resetall
