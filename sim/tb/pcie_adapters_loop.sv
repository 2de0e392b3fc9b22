`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Test-bench top for the PCIe width adapters (sim/tb/pcie_adapters_tb.cpp): axis_h2c_unpack and
 * axis_c2h_pack back to back, wide beats in, bytes in the middle, wide beats out. `mid_stall`
 * pauses the byte stream between them, so the bench can make the quiet gaps that end packets.
 */
module pcie_adapters_loop #(
  parameter integer DATA_WIDTH   = 64,
  parameter integer KEEP_WIDTH   = DATA_WIDTH / 8,
  parameter integer FLUSH_CYCLES = 8
) (
  input  wire                  clk,
  input  wire                  rst,
  input  wire [DATA_WIDTH-1:0] s_axis_tdata,
  input  wire [KEEP_WIDTH-1:0] s_axis_tkeep,
  input  wire                  s_axis_tlast,
  input  wire                  s_axis_tvalid,
  output wire                  s_axis_tready,
  output wire [DATA_WIDTH-1:0] m_axis_tdata,
  output wire [KEEP_WIDTH-1:0] m_axis_tkeep,
  output wire                  m_axis_tlast,
  output wire                  m_axis_tvalid,
  input  wire                  m_axis_tready,
  input  wire                  mid_stall,
  output wire                  in_empty,
  output wire                  out_empty,
  output wire                  in_packet,
  output wire                  out_packet
);

  wire [7:0] mid_data;
  wire       mid_valid;
  wire       mid_ready;

  axis_h2c_unpack #(
    .DATA_WIDTH(DATA_WIDTH)
  ) unpack_inst (
    .clk(clk),
    .rst(rst),
    .s_axis_tdata(s_axis_tdata),
    .s_axis_tkeep(s_axis_tkeep),
    .s_axis_tlast(s_axis_tlast),
    .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tready(s_axis_tready),
    .m_data(mid_data),
    .m_valid(mid_valid),
    .m_ready(mid_ready && !mid_stall),
    .empty(in_empty),
    .packet_done(in_packet)
  );

  axis_c2h_pack #(
    .DATA_WIDTH(DATA_WIDTH),
    .FLUSH_CYCLES(FLUSH_CYCLES)
  ) pack_inst (
    .clk(clk),
    .rst(rst),
    .s_data(mid_data),
    .s_valid(mid_valid && !mid_stall),
    .s_ready(mid_ready),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tkeep(m_axis_tkeep),
    .m_axis_tlast(m_axis_tlast),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready),
    .empty(out_empty),
    .packet_done(out_packet)
  );

endmodule

`resetall
