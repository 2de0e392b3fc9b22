`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Host-to-card width adapter: AXI4-Stream beats of DATA_WIDTH bits (the XDMA IP's H2C stream)
 * into the core's byte stream, lowest byte lane first. Lanes whose tkeep bit is 0 are null bytes
 * and are skipped (XDMA clears tkeep only above the last byte of a transfer, but any pattern
 * works). tlast carries no meaning for the protocol, which finds frames by itself; it is counted.
 *
 * One beat is held at a time and shifted out a byte per clock; the next beat is taken in the
 * cycle the last byte leaves, so a continuous stream runs at one byte per clock.
 */
module axis_h2c_unpack #(
  parameter integer DATA_WIDTH = 64,              // AXI4-Stream data width: a multiple of 8, 16-1024
  parameter integer KEEP_WIDTH = DATA_WIDTH / 8   // derived; do not override
) (
  input  wire                  clk,
  input  wire                  rst,              // synchronous, active high

  input  wire [DATA_WIDTH-1:0] s_axis_tdata,
  input  wire [KEEP_WIDTH-1:0] s_axis_tkeep,
  input  wire                  s_axis_tlast,
  input  wire                  s_axis_tvalid,
  output wire                  s_axis_tready,

  output wire [7:0]            m_data,
  output wire                  m_valid,
  input  wire                  m_ready,

  output wire                  empty,            // no byte held
  output wire                  packet_done       // a beat with tlast was taken this cycle
);

  generate
    if (DATA_WIDTH < 16 || DATA_WIDTH > 1024 || DATA_WIDTH % 8 != 0 || KEEP_WIDTH * 8 != DATA_WIDTH) begin : g_check
      $fatal(1, "axis_h2c_unpack: DATA_WIDTH must be a multiple of 8 from 16 to 1024, KEEP_WIDTH = DATA_WIDTH / 8");
    end
  endgenerate

  reg [DATA_WIDTH-1:0] data_reg = {DATA_WIDTH{1'b0}};
  reg [KEEP_WIDTH-1:0] keep_reg = {KEEP_WIDTH{1'b0}};   // bit i: byte i of data_reg is still to go

  wire byte_leaves = keep_reg[0] && m_ready;
  // Take a beat when nothing is held, or when the only byte left leaves now.
  wire load = (keep_reg[KEEP_WIDTH-1:1] == {(KEEP_WIDTH-1){1'b0}}) && (!keep_reg[0] || m_ready);

  always @(posedge clk) begin
    if (rst) begin
      keep_reg <= {KEEP_WIDTH{1'b0}};
    end else if (load) begin
      if (s_axis_tvalid) begin
        data_reg <= s_axis_tdata;
        keep_reg <= s_axis_tkeep;
      end else begin
        keep_reg <= {KEEP_WIDTH{1'b0}};
      end
    end else if (byte_leaves || !keep_reg[0]) begin
      // A byte left, or lane 0 is a null byte: move the next lane down.
      data_reg <= data_reg >> 8;
      keep_reg <= keep_reg >> 1;
    end
  end

  assign s_axis_tready = load && !rst;
  assign m_data        = data_reg[7:0];
  assign m_valid       = keep_reg[0];
  assign empty         = keep_reg == {KEEP_WIDTH{1'b0}};
  assign packet_done   = s_axis_tvalid && s_axis_tready && s_axis_tlast;

endmodule

`resetall
