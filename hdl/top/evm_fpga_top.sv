`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Board-independent top of evm-fpga: the link protocol (docs/protocol.md) over either a UART
 * or a byte stream with valid/ready, a receive ring, the dispatcher, the Keccak unit, the EVM
 * opcode unit and the storage-check unit.
 *
 * Unit selection for small devices (docs/keccak-compact.md): KECCAK_CORE = 1 builds the compact
 * Keccak core, KECCAK_CORE = 2 the lean round-per-clock one (no block buffer, docs/keccak-lean.md),
 * EVM_UNIT = 0 and STORAGE_ENTRIES = 0 leave those units out (their commands answer
 * UNKNOWN_CMD and INFO's capability bits omit them), EVM_DATAPATH = 1 builds the EVM unit with
 * the compact datapath (docs/opcode-unit.md).
 *
 *   link in (UART rx | s_axis) -> skid -> rx_framer -> rx_ring -> link_dispatcher -> keccak_unit
 *                                                                                -> evm_unit
 *                                                                                -> storage_unit
 *   link out (UART tx | m_axis) <- skid <- tx_framer <- link_dispatcher (<- evm_unit's result bytes)
 *
 * link_sel is a strap: it is registered and expected not to change while frames are in flight.
 * Both skid buffers keep the ports' combinational fan-out down to a few flops, which matters for
 * Verilator speed as much as for timing.
 */
module evm_fpga_top #(
  parameter integer CLK_HZ = 48000000,              // design clock, reported by INFO
  parameter integer UART_DIV = 16,                  // clock cycles per UART bit (>= 4); 48 MHz / 16 = 3 Mbaud
  parameter integer KECCAK_CORE = 0,                // 0: round-per-clock core (KECCAK_ROUNDS_PER_CLK);
                                                    // 1: compact lane-serial core (block RAM, 1,536 clocks per permutation);
                                                    // 2: lean round-per-clock core (no block buffer; 17 + 24 clocks per block)
  parameter integer KECCAK_ROUNDS_PER_CLK = 1,      // passed to keccak_unit (KECCAK_CORE = 0 only)
  parameter integer EVM_UNIT = 1,                   // 1: include the EVM opcode unit; 0: build without it (EVM is then UNKNOWN_CMD)
  parameter integer EVM_DATAPATH = 0,               // EVM unit datapath: 0 fast (evm_alu); 1 compact (evm_alu_compact: about a
                                                    // quarter of the logic, more cycles per opcode; docs/opcode-unit.md)
  parameter integer RX_RING_WORDS = 1024,           // receive ring, 64-bit words; power of two; >= 1 + MAX_PAYLOAD/8
  parameter integer FRAME_TIMEOUT_CYCLES = 4194304, // mid-frame silence that drops a partial frame; > 20 UART bit times
  parameter [31:0]  BUILD_ID = 32'h0,               // reported by INFO (the sim build passes a source hash)
  parameter integer STORAGE_ENTRIES = 8192,         // storage-check table capacity (power of two >= 2 x STORAGE_WAYS);
                                                    // 0 builds without the unit (STORAGE is then UNKNOWN_CMD)
  parameter integer STORAGE_WAYS = 8                // ways per storage-check table set (power of two, 1..16)
) (
  input  wire       clk,
  input  wire       rst,            // synchronous, active high
  input  wire       link_sel,       // 0: UART pins carry the protocol, 1: the byte-stream port does
  input  wire       uart_rxd,       // idle high
  output wire       uart_txd,
  input  wire [7:0] s_axis_tdata,   // byte stream in (used when link_sel = 1)
  input  wire       s_axis_tvalid,
  output wire       s_axis_tready,
  output wire [7:0] m_axis_tdata,   // byte stream out (used when link_sel = 1; held/ignored otherwise)
  output wire       m_axis_tvalid,
  input  wire       m_axis_tready,
  output wire       idle            // no frame being received, ring empty, dispatcher idle, nothing left to send:
                                    // the harness may stop clocking until the next input byte arrives
);

  localparam integer ADDR_WIDTH = $clog2(RX_RING_WORDS);   // ring address bits

  generate
    if (UART_DIV < 4) begin : g_check_div
      $fatal(1, "evm_fpga_top: UART_DIV must be at least 4");
    end
    if (RX_RING_WORDS < 1 + ({16'd0, evm_fpga_pkg::MAX_PAYLOAD} >> 3) || (RX_RING_WORDS & (RX_RING_WORDS - 1)) != 0) begin : g_check_ring
      $fatal(1, "evm_fpga_top: RX_RING_WORDS must be a power of two >= 1 + MAX_PAYLOAD/8");
    end
    // A UART byte takes 10 bit times; the timeout must not fire between two bytes of a frame.
    if (FRAME_TIMEOUT_CYCLES <= 20 * UART_DIV) begin : g_check_timeout
      $fatal(1, "evm_fpga_top: FRAME_TIMEOUT_CYCLES must exceed 20 * UART_DIV");
    end
    if (STORAGE_ENTRIES < 0) begin : g_check_storage
      $fatal(1, "evm_fpga_top: STORAGE_ENTRIES must be 0 (no unit) or a storage_unit capacity");
    end
    if (KECCAK_CORE != 0 && KECCAK_CORE != 1 && KECCAK_CORE != 2) begin : g_check_keccak_core
      $fatal(1, "evm_fpga_top: KECCAK_CORE must be 0 (round-per-clock core), 1 (compact core) or 2 (lean core)");
    end
    if (EVM_UNIT != 0 && EVM_UNIT != 1) begin : g_check_evm_unit
      $fatal(1, "evm_fpga_top: EVM_UNIT must be 0 (no EVM opcode unit) or 1");
    end
    if (EVM_DATAPATH != 0 && EVM_DATAPATH != 1) begin : g_check_evm_datapath
      $fatal(1, "evm_fpga_top: EVM_DATAPATH must be 0 (fast) or 1 (compact)");
    end
    if (CLK_HZ < 1 || KECCAK_ROUNDS_PER_CLK < 1) begin : g_check_positive
      $fatal(1, "evm_fpga_top: CLK_HZ and KECCAK_ROUNDS_PER_CLK must be positive");
    end
  endgenerate

  // 1: byte-stream port, 0: UART. Registered so internal logic never depends on the pin.
  reg stream_mode_reg = 1'b0;
  always @(posedge clk) begin
    stream_mode_reg <= link_sel;
  end

  // ---------------------------------------------------------------- receive side
  wire [7:0] uart_rx_data;
  wire       uart_rx_valid;
  wire       uart_rx_busy;

  uart_rx #(
    .DIV(UART_DIV)
  ) uart_rx_inst (
    .clk(clk),
    .rst(rst || stream_mode_reg),   // held in reset while the byte stream is selected
    .rxd(uart_rxd),
    .m_data(uart_rx_data),
    .m_valid(uart_rx_valid),
    .busy(uart_rx_busy)
  );

  wire [7:0] rx_byte_data;
  wire       rx_byte_valid;
  wire       rx_byte_ready;
  wire       rx_skid_ready;
  wire       rx_skid_empty;

  // The UART cannot be stalled; the framer never stalls without back-pressure, so the skid
  // buffer always has room for a UART byte.
  stream_skid_buffer #(
    .DATA_WIDTH(8)
  ) rx_skid_inst (
    .clk(clk),
    .rst(rst),
    .s_data(stream_mode_reg ? s_axis_tdata : uart_rx_data),
    .s_valid(stream_mode_reg ? s_axis_tvalid : uart_rx_valid),
    .s_ready(rx_skid_ready),
    .m_data(rx_byte_data),
    .m_valid(rx_byte_valid),
    .m_ready(rx_byte_ready),
    .empty(rx_skid_empty)
  );

  assign s_axis_tready = stream_mode_reg && rx_skid_ready;

  wire                  ring_wr_en;
  wire [ADDR_WIDTH-1:0] ring_wr_addr;
  wire [63:0]           ring_wr_data;
  wire                  ring_rd_en;
  wire [ADDR_WIDTH-1:0] ring_rd_addr;
  wire [63:0]           ring_rd_data;
  wire [ADDR_WIDTH:0]   wr_commit_ptr;
  wire [ADDR_WIDTH:0]   rd_release_ptr;
  wire                  framer_idle;
  wire                  frame_ok;
  wire                  crc_error;
  wire                  frame_dropped;

  rx_framer #(
    .RING_WORDS(RX_RING_WORDS),
    .FRAME_TIMEOUT_CYCLES(FRAME_TIMEOUT_CYCLES)
  ) rx_framer_inst (
    .clk(clk),
    .rst(rst),
    .s_data(rx_byte_data),
    .s_valid(rx_byte_valid),
    .s_ready(rx_byte_ready),
    .backpressure_en(stream_mode_reg),
    .ring_wr_en(ring_wr_en),
    .ring_wr_addr(ring_wr_addr),
    .ring_wr_data(ring_wr_data),
    .wr_commit_ptr(wr_commit_ptr),
    .rd_release_ptr(rd_release_ptr),
    .idle(framer_idle),
    .frame_ok(frame_ok),
    .crc_error(crc_error),
    .frame_dropped(frame_dropped)
  );

  // The receive ring's storage; its pointers live in rx_framer (committed write pointer) and
  // link_dispatcher (release pointer), each with a wrap bit above the address. The framer
  // commits an entry only after its last write, so no read ever hits a word being written.
  ram_sdp #(
    .WIDTH(64),
    .DEPTH(RX_RING_WORDS)
  ) rx_ring_inst (
    .clk(clk),
    .wr_en(ring_wr_en),
    .wr_addr(ring_wr_addr),
    .wr_data(ring_wr_data),
    .rd_en(ring_rd_en),
    .rd_addr(ring_rd_addr),
    .rd_data(ring_rd_data)
  );

  // ---------------------------------------------------------------- dispatcher and units
  wire         keccak_cmd_start;
  wire [15:0]  keccak_cmd_len;
  wire [63:0]  keccak_s_word;
  wire         keccak_s_valid;
  wire         keccak_s_ready;
  wire         keccak_res_valid;
  wire [7:0]   keccak_res_status;
  wire         keccak_res_has_digest;
  wire [255:0] keccak_res_digest;
  wire         keccak_res_ack;
  wire         keccak_busy;
  wire         keccak_perm_done;
  wire         keccak_perm_step;
  wire         keccak_hash_done;

  wire         evm_cmd_start;
  wire [15:0]  evm_cmd_len;
  wire [7:0]   evm_cmd_status;
  wire [15:0]  evm_cmd_result_len;
  wire [63:0]  evm_s_word;
  wire         evm_s_valid;
  wire         evm_s_ready;
  wire [7:0]   evm_m_data;
  wire         evm_m_valid;
  wire         evm_m_ready;
  wire         evm_busy;

  wire         storage_cmd_start;
  wire [15:0]  storage_cmd_len;
  wire [63:0]  storage_s_word;
  wire         storage_s_valid;
  wire         storage_s_ready;
  wire         storage_res_valid;
  wire [7:0]   storage_res_status;
  wire         storage_res_has_result;
  wire [127:0] storage_res_data;
  wire         storage_res_ack;
  wire         storage_busy;

  wire         desc_valid;
  wire         desc_ready;
  wire [7:0]   desc_cmd;
  wire [15:0]  desc_id;
  wire [7:0]   desc_status;
  wire [15:0]  desc_result_len;
  wire [7:0]   result_data;
  wire         result_valid;
  wire         result_ready;
  wire         dispatcher_idle;

  link_dispatcher #(
    .CLK_HZ(CLK_HZ),
    .UART_DIV(UART_DIV),
    .KECCAK_CORE(KECCAK_CORE),
    .KECCAK_ROUNDS_PER_CLK(KECCAK_ROUNDS_PER_CLK),
    .EVM_UNIT(EVM_UNIT),
    .RING_WORDS(RX_RING_WORDS),
    .BUILD_ID(BUILD_ID),
    .STORAGE_ENTRIES(STORAGE_ENTRIES)
  ) link_dispatcher_inst (
    .clk(clk),
    .rst(rst),
    .wr_commit_ptr(wr_commit_ptr),
    .rd_release_ptr(rd_release_ptr),
    .ring_rd_en(ring_rd_en),
    .ring_rd_addr(ring_rd_addr),
    .ring_rd_data(ring_rd_data),
    .frame_ok(frame_ok),
    .crc_error(crc_error),
    .frame_dropped(frame_dropped),
    .keccak_cmd_start(keccak_cmd_start),
    .keccak_cmd_len(keccak_cmd_len),
    .keccak_s_word(keccak_s_word),
    .keccak_s_valid(keccak_s_valid),
    .keccak_s_ready(keccak_s_ready),
    .keccak_res_valid(keccak_res_valid),
    .keccak_res_status(keccak_res_status),
    .keccak_res_has_digest(keccak_res_has_digest),
    .keccak_res_digest(keccak_res_digest),
    .keccak_res_ack(keccak_res_ack),
    .keccak_busy(keccak_busy),
    .keccak_perm_done(keccak_perm_done),
    .keccak_perm_step(keccak_perm_step),
    .keccak_hash_done(keccak_hash_done),
    .storage_cmd_start(storage_cmd_start),
    .storage_cmd_len(storage_cmd_len),
    .storage_s_word(storage_s_word),
    .storage_s_valid(storage_s_valid),
    .storage_s_ready(storage_s_ready),
    .storage_res_valid(storage_res_valid),
    .storage_res_status(storage_res_status),
    .storage_res_has_result(storage_res_has_result),
    .storage_res_data(storage_res_data),
    .storage_res_ack(storage_res_ack),
    .evm_cmd_start(evm_cmd_start),
    .evm_cmd_len(evm_cmd_len),
    .evm_cmd_status(evm_cmd_status),
    .evm_cmd_result_len(evm_cmd_result_len),
    .evm_s_word(evm_s_word),
    .evm_s_valid(evm_s_valid),
    .evm_s_ready(evm_s_ready),
    .evm_m_data(evm_m_data),
    .evm_m_valid(evm_m_valid),
    .evm_m_ready(evm_m_ready),
    .m_desc_valid(desc_valid),
    .m_desc_ready(desc_ready),
    .m_desc_cmd(desc_cmd),
    .m_desc_id(desc_id),
    .m_desc_status(desc_status),
    .m_desc_result_len(desc_result_len),
    .m_res_data(result_data),
    .m_res_valid(result_valid),
    .m_res_ready(result_ready),
    .idle(dispatcher_idle)
  );

  keccak_unit #(
    .KECCAK_CORE(KECCAK_CORE),
    .ROUNDS_PER_CLK(KECCAK_ROUNDS_PER_CLK)
  ) keccak_unit_inst (
    .clk(clk),
    .rst(rst),
    .cmd_start(keccak_cmd_start),
    .cmd_len(keccak_cmd_len),
    .s_word(keccak_s_word),
    .s_valid(keccak_s_valid),
    .s_ready(keccak_s_ready),
    .res_valid(keccak_res_valid),
    .res_status(keccak_res_status),
    .res_has_digest(keccak_res_has_digest),
    .res_digest(keccak_res_digest),
    .res_ack(keccak_res_ack),
    .busy(keccak_busy),
    .perm_done(keccak_perm_done),
    .perm_step(keccak_perm_step),
    .hash_done(keccak_hash_done)
  );

  generate
    if (EVM_UNIT != 0) begin : g_evm
      evm_unit #(
        .EVM_DATAPATH(EVM_DATAPATH)
      ) evm_unit_inst (
        .clk(clk),
        .rst(rst),
        .cmd_start(evm_cmd_start),
        .cmd_len(evm_cmd_len),
        .cmd_status(evm_cmd_status),
        .cmd_result_len(evm_cmd_result_len),
        .s_word(evm_s_word),
        .s_valid(evm_s_valid),
        .s_ready(evm_s_ready),
        .m_data(evm_m_data),
        .m_valid(evm_m_valid),
        .m_ready(evm_m_ready),
        .busy(evm_busy)
      );
    end else begin : g_no_evm
      // The dispatcher never starts the unit (EVM is UNKNOWN_CMD) and ignores these.
      assign evm_cmd_status     = 8'd0;
      assign evm_cmd_result_len = 16'd0;
      assign evm_s_ready        = 1'b0;
      assign evm_m_data         = 8'd0;
      assign evm_m_valid        = 1'b0;
      assign evm_busy           = 1'b0;
      wire unused_evm = &{1'b0, evm_cmd_start, evm_cmd_len, evm_s_word, evm_s_valid, evm_m_ready};
    end

    if (STORAGE_ENTRIES != 0) begin : g_storage
      storage_unit #(
        .ENTRIES(STORAGE_ENTRIES),
        .WAYS(STORAGE_WAYS)
      ) storage_unit_inst (
        .clk(clk),
        .rst(rst),
        .cmd_start(storage_cmd_start),
        .cmd_len(storage_cmd_len),
        .s_word(storage_s_word),
        .s_valid(storage_s_valid),
        .s_ready(storage_s_ready),
        .res_valid(storage_res_valid),
        .res_status(storage_res_status),
        .res_has_result(storage_res_has_result),
        .res_data(storage_res_data),
        .res_ack(storage_res_ack),
        .busy(storage_busy)
      );
    end else begin : g_no_storage
      // The dispatcher never starts the unit (STORAGE is UNKNOWN_CMD) and ignores these.
      assign storage_s_ready        = 1'b0;
      assign storage_res_valid      = 1'b0;
      assign storage_res_status     = 8'd0;
      assign storage_res_has_result = 1'b0;
      assign storage_res_data       = 128'd0;
      assign storage_busy           = 1'b0;
      wire unused_storage = &{1'b0, storage_cmd_start, storage_cmd_len, storage_s_word, storage_s_valid,
                              storage_res_ack};
    end
  endgenerate

  // ---------------------------------------------------------------- transmit side
  wire [7:0] tx_byte_data;
  wire       tx_byte_valid;
  wire       tx_byte_ready;
  wire       tx_framer_idle;

  tx_framer tx_framer_inst (
    .clk(clk),
    .rst(rst),
    .s_desc_valid(desc_valid),
    .s_desc_ready(desc_ready),
    .s_desc_cmd(desc_cmd),
    .s_desc_id(desc_id),
    .s_desc_status(desc_status),
    .s_desc_result_len(desc_result_len),
    .s_res_data(result_data),
    .s_res_valid(result_valid),
    .s_res_ready(result_ready),
    .m_data(tx_byte_data),
    .m_valid(tx_byte_valid),
    .m_ready(tx_byte_ready),
    .idle(tx_framer_idle)
  );

  wire [7:0] tx_out_data;
  wire       tx_out_valid;
  wire       uart_tx_ready;
  wire       uart_tx_busy;
  wire       tx_skid_empty;

  stream_skid_buffer #(
    .DATA_WIDTH(8)
  ) tx_skid_inst (
    .clk(clk),
    .rst(rst),
    .s_data(tx_byte_data),
    .s_valid(tx_byte_valid),
    .s_ready(tx_byte_ready),
    .m_data(tx_out_data),
    .m_valid(tx_out_valid),
    .m_ready(stream_mode_reg ? m_axis_tready : uart_tx_ready),
    .empty(tx_skid_empty)
  );

  assign m_axis_tdata  = tx_out_data;
  assign m_axis_tvalid = stream_mode_reg && tx_out_valid;

  uart_tx #(
    .DIV(UART_DIV)
  ) uart_tx_inst (
    .clk(clk),
    .rst(rst),
    .s_data(tx_out_data),
    .s_valid(!stream_mode_reg && tx_out_valid),
    .s_ready(uart_tx_ready),
    .txd(uart_txd),
    .busy(uart_tx_busy)
  );

  assign idle = rx_skid_empty && framer_idle && dispatcher_idle && !keccak_busy && !evm_busy && !storage_busy &&
                tx_framer_idle && tx_skid_empty && !uart_tx_busy && !uart_rx_busy;

endmodule

`resetall
