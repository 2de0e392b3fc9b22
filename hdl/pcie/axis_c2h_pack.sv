`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Card-to-host width adapter: the core's byte stream into AXI4-Stream beats of DATA_WIDTH bits
 * (the XDMA IP's C2H stream), first byte in the lowest lane.
 *
 * A streaming C2H read on the host (read(2) on /dev/xdma0_c2h_0) completes when its buffer is
 * full or when a beat with tlast arrives, so the card must end its output with tlast or the
 * host would wait forever. The core does not announce the end of a frame; instead this adapter
 * ends a packet when the byte stream has been quiet for FLUSH_CYCLES clocks: the bytes gathered
 * so far go out as one beat with tlast, tkeep marking the filled lanes (low lanes first, the
 * only form XDMA accepts). A full beat is kept back until either the next byte arrives (it then
 * goes out without tlast) or the quiet time passes (it goes out with tlast), so even an answer
 * that fills its last beat exactly is terminated. Every answer is therefore delivered within
 * FLUSH_CYCLES clocks of its last byte, and back-to-back answers share packets.
 */
module axis_c2h_pack #(
  parameter integer DATA_WIDTH   = 64,              // AXI4-Stream data width: a multiple of 8, 16-1024
  parameter integer KEEP_WIDTH   = DATA_WIDTH / 8,  // derived; do not override
  parameter integer FLUSH_CYCLES = 32               // quiet clocks that end a packet (1-65535)
) (
  input  wire                  clk,
  input  wire                  rst,              // synchronous, active high

  input  wire [7:0]            s_data,
  input  wire                  s_valid,
  output wire                  s_ready,

  output wire [DATA_WIDTH-1:0] m_axis_tdata,
  output wire [KEEP_WIDTH-1:0] m_axis_tkeep,
  output wire                  m_axis_tlast,
  output wire                  m_axis_tvalid,
  input  wire                  m_axis_tready,

  output wire                  empty,            // no byte gathered or waiting
  output wire                  packet_done       // a beat with tlast was delivered this cycle
);

  localparam integer COUNT_WIDTH = $clog2(KEEP_WIDTH + 1);
  localparam integer QUIET_WIDTH = $clog2(FLUSH_CYCLES + 1);
  localparam [COUNT_WIDTH-1:0] FULL = KEEP_WIDTH[COUNT_WIDTH-1:0];
  localparam [QUIET_WIDTH-1:0] QUIET_LIMIT = FLUSH_CYCLES[QUIET_WIDTH-1:0];

  generate
    if (DATA_WIDTH < 16 || DATA_WIDTH > 1024 || DATA_WIDTH % 8 != 0 || KEEP_WIDTH * 8 != DATA_WIDTH) begin : g_check
      $fatal(1, "axis_c2h_pack: DATA_WIDTH must be a multiple of 8 from 16 to 1024, KEEP_WIDTH = DATA_WIDTH / 8");
    end
    if (FLUSH_CYCLES < 1 || FLUSH_CYCLES > 65535) begin : g_check_flush
      $fatal(1, "axis_c2h_pack: FLUSH_CYCLES must be 1-65535");
    end
  endgenerate

  // The beat being gathered.
  reg [DATA_WIDTH-1:0]  acc_data_reg = {DATA_WIDTH{1'b0}};
  reg [COUNT_WIDTH-1:0] acc_count_reg = {COUNT_WIDTH{1'b0}};
  reg [QUIET_WIDTH-1:0] quiet_reg = {QUIET_WIDTH{1'b0}};   // clocks since the last byte
  // The beat on offer.
  reg [DATA_WIDTH-1:0]  out_data_reg = {DATA_WIDTH{1'b0}};
  reg [KEEP_WIDTH-1:0]  out_keep_reg = {KEEP_WIDTH{1'b0}};
  reg                   out_last_reg = 1'b0;
  reg                   out_valid_reg = 1'b0;

  wire out_free = !out_valid_reg || m_axis_tready;
  wire acc_full = acc_count_reg == FULL;
  wire take     = s_valid && s_ready;
  wire flush    = !take && acc_count_reg != {COUNT_WIDTH{1'b0}} && quiet_reg == QUIET_LIMIT && out_free;

  integer i;
  always @(posedge clk) begin
    if (out_valid_reg && m_axis_tready) out_valid_reg <= 1'b0;
    if (take) begin
      quiet_reg <= {QUIET_WIDTH{1'b0}};
      if (acc_full) begin
        // The held full beat continues: send it without tlast and start the next one.
        out_data_reg  <= acc_data_reg;
        out_keep_reg  <= {KEEP_WIDTH{1'b1}};
        out_last_reg  <= 1'b0;
        out_valid_reg <= 1'b1;
        acc_data_reg[7:0] <= s_data;
        acc_count_reg <= {{(COUNT_WIDTH-1){1'b0}}, 1'b1};
      end else begin
        for (i = 0; i < KEEP_WIDTH; i = i + 1) begin
          if (acc_count_reg == i[COUNT_WIDTH-1:0]) acc_data_reg[8*i +: 8] <= s_data;
        end
        acc_count_reg <= acc_count_reg + 1'b1;
      end
    end else if (flush) begin
      out_data_reg  <= acc_data_reg;
      out_keep_reg  <= ~({KEEP_WIDTH{1'b1}} << acc_count_reg);
      out_last_reg  <= 1'b1;
      out_valid_reg <= 1'b1;
      acc_count_reg <= {COUNT_WIDTH{1'b0}};
      quiet_reg     <= {QUIET_WIDTH{1'b0}};
    end else if (acc_count_reg != {COUNT_WIDTH{1'b0}} && quiet_reg != QUIET_LIMIT) begin
      quiet_reg <= quiet_reg + 1'b1;
    end
    if (rst) begin
      acc_count_reg <= {COUNT_WIDTH{1'b0}};
      quiet_reg     <= {QUIET_WIDTH{1'b0}};
      out_valid_reg <= 1'b0;
    end
  end

  assign s_ready       = !rst && (!acc_full || out_free);
  assign m_axis_tdata  = out_data_reg;
  assign m_axis_tkeep  = out_keep_reg;
  assign m_axis_tlast  = out_last_reg;
  assign m_axis_tvalid = out_valid_reg;
  assign empty         = acc_count_reg == {COUNT_WIDTH{1'b0}} && !out_valid_reg;
  assign packet_done   = out_valid_reg && m_axis_tready && out_last_reg;

endmodule

`resetall
