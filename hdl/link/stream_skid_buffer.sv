`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Two-entry skid buffer for a valid/ready stream (the "skid" register type of Forencich's
 * axis_register). Full throughput, and both s_ready and m_valid/m_data come straight from
 * flip-flops, so it cuts every combinational path between its two sides. The top puts one on
 * each side of the byte link so the design's ports drive only a few flops.
 */
module stream_skid_buffer #(
  parameter integer DATA_WIDTH = 8   // bits per transfer
) (
  input  wire                  clk,
  input  wire                  rst,

  input  wire [DATA_WIDTH-1:0] s_data,
  input  wire                  s_valid,
  output wire                  s_ready,

  output wire [DATA_WIDTH-1:0] m_data,
  output wire                  m_valid,
  input  wire                  m_ready,

  output wire                  empty     // nothing held
);

  generate
    if (DATA_WIDTH < 1) begin : g_check
      $fatal(1, "stream_skid_buffer: DATA_WIDTH must be at least 1");
    end
  endgenerate

  reg [DATA_WIDTH-1:0] out_data_reg = {DATA_WIDTH{1'b0}};
  reg                  out_valid_reg = 1'b0;
  reg [DATA_WIDTH-1:0] skid_data_reg = {DATA_WIDTH{1'b0}};
  reg                  skid_valid_reg = 1'b0;
  // Ready is registered: it only drops after a transfer has landed in the skid register,
  // which is why the second register exists.
  reg                  s_ready_reg = 1'b0;

  assign s_ready = s_ready_reg;
  assign m_data  = out_data_reg;
  assign m_valid = out_valid_reg;
  assign empty   = !out_valid_reg && !skid_valid_reg;

  wire s_take   = s_valid && s_ready_reg;
  wire out_free = !out_valid_reg || m_ready;  // output register may load this cycle

  always @(posedge clk) begin
    if (out_free) begin
      // Output register is free this cycle: refill it, from the skid register first.
      if (skid_valid_reg) begin
        out_data_reg   <= skid_data_reg;
        out_valid_reg  <= 1'b1;
        skid_valid_reg <= 1'b0;
      end else begin
        out_data_reg  <= s_data;
        out_valid_reg <= s_take;
      end
    end else if (s_take) begin
      // Output stalled while a word arrives: park it.
      skid_data_reg  <= s_data;
      skid_valid_reg <= 1'b1;
    end
    // Ready next cycle unless the skid register will be full then.
    s_ready_reg <= out_free || !(skid_valid_reg || s_take);

    if (rst) begin
      out_valid_reg  <= 1'b0;
      skid_valid_reg <= 1'b0;
      s_ready_reg    <= 1'b0;
    end
  end

endmodule

`resetall
