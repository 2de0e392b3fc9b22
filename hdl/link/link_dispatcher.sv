`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Dispatcher: serves the receive ring's entries in order and hands one response per entry to
 * the transmit framer.
 *
 * Entry processor (state_reg): reads an entry's header word; an error descriptor is answered
 * with its status; OK entries dispatch on CMD: INFO answers identity and a counter snapshot,
 * KECCAK streams the entry's payload words into keccak_unit (a two-word FIFO behind the ring's
 * registered read keeps one word per clock flowing) and waits for its result, anything else is
 * answered UNKNOWN_CMD. The response is handed over when the transmit framer takes its
 * descriptor; only then is the entry's ring space released (read pointer moved past it), so the
 * space the host counts as occupied until the answer arrives really is occupied.
 *
 * Result emitter (result_reg): the hand-over loads the response's result bytes (INFO_BYTES-byte INFO
 * record or 32-byte digest) into a shift register that the transmit framer drains a byte at a
 * time, so the entry processor is already serving the next entry while this one is sent.
 *
 * Counters for INFO: totalCycles, busyCycles (entry processor not idle), keccakCycles
 * (keccak_unit busy), framesOk, crcErrors, frameErrors (every non-OK, non-CRC answer, plus frames
 * the framer dropped without an answer), permutations, hashes, permutationCycles (cycles a
 * Keccak-f step ran: permutationCycles / permutations = 24 / rounds per clock).
 */
module link_dispatcher #(
  parameter integer CLK_HZ = 48000000,             // design clock, reported by INFO
  parameter integer UART_DIV = 16,                 // clock cycles per UART bit, reported by INFO
  parameter integer KECCAK_ROUNDS_PER_CLK = 1,     // reported by INFO
  parameter integer RING_WORDS = 1024,             // receive ring depth in 64-bit words; power of two
  parameter [31:0]  BUILD_ID = 32'h0,              // reported by INFO
  parameter integer ADDR_WIDTH = $clog2(RING_WORDS) // ring address bits (derived; leave at default)
) (
  input  wire                  clk,
  input  wire                  rst,

  // Receive ring
  input  wire [ADDR_WIDTH:0]   wr_commit_ptr,   // framer's committed write pointer
  output wire [ADDR_WIDTH:0]   rd_release_ptr,  // first word still in use
  output wire                  ring_rd_en,
  output wire [ADDR_WIDTH-1:0] ring_rd_addr,
  input  wire [63:0]           ring_rd_data,    // one cycle after ring_rd_en

  // Framer event pulses (for the counters)
  input  wire                  frame_ok,
  input  wire                  crc_error,
  input  wire                  frame_dropped,

  // keccak_unit
  output wire                  keccak_cmd_start,
  output wire [15:0]           keccak_cmd_len,
  output wire [63:0]           keccak_s_word,
  output wire                  keccak_s_valid,
  input  wire                  keccak_s_ready,
  input  wire                  keccak_res_valid,
  input  wire [7:0]            keccak_res_status,
  input  wire                  keccak_res_has_digest,
  input  wire [255:0]          keccak_res_digest,
  output wire                  keccak_res_ack,
  input  wire                  keccak_busy,
  input  wire                  keccak_perm_done,
  input  wire                  keccak_perm_step,
  input  wire                  keccak_hash_done,

  // Response to the transmit framer: a descriptor, then result_len bytes on m_res_*
  output wire                  m_desc_valid,
  input  wire                  m_desc_ready,
  output wire [7:0]            m_desc_cmd,        // request CMD (the framer sets RESPONSE_FLAG)
  output wire [15:0]           m_desc_id,
  output wire [7:0]            m_desc_status,
  output wire [6:0]            m_desc_result_len, // bytes after the status byte: 0, 32 or INFO_BYTES
  output wire [7:0]            m_res_data,
  output wire                  m_res_valid,
  input  wire                  m_res_ready,

  output wire                  idle               // ring empty, no entry in service, no result bytes left
);

  localparam integer PW = ADDR_WIDTH + 1;   // pointer width: address plus wrap bit
  localparam integer RESULT_BITS = 8 * evm_fpga_pkg::INFO_BYTES;   // widest result, the INFO record
  localparam [6:0] INFO_LEN   = 7'(evm_fpga_pkg::INFO_BYTES);
  localparam [6:0] DIGEST_LEN = 7'd32;

  generate
    if (RING_WORDS < 1 + ({16'd0, evm_fpga_pkg::MAX_PAYLOAD} >> 3) || (RING_WORDS & (RING_WORDS - 1)) != 0) begin : g_check_ring
      $fatal(1, "link_dispatcher: RING_WORDS must be a power of two >= 1 + MAX_PAYLOAD/8");
    end
    if (RING_WORDS > 32'h40000000) begin : g_check_ring_max
      $fatal(1, "link_dispatcher: RING_WORDS must be at most 2**30");
    end
    if (ADDR_WIDTH != $clog2(RING_WORDS)) begin : g_check_addr
      $fatal(1, "link_dispatcher: ADDR_WIDTH must equal $clog2(RING_WORDS)");
    end
    if (evm_fpga_pkg::INFO_BYTES > 127 || evm_fpga_pkg::INFO_BYTES < 32) begin : g_check_info
      $fatal(1, "link_dispatcher: the result emitter assumes 32 <= INFO_BYTES <= 127");
    end
    if (KECCAK_ROUNDS_PER_CLK < 1 || KECCAK_ROUNDS_PER_CLK > 255 || UART_DIV < 1 || CLK_HZ < 1) begin : g_check_info_fields
      $fatal(1, "link_dispatcher: KECCAK_ROUNDS_PER_CLK, UART_DIV and CLK_HZ must be positive; rounds <= 255");
    end
  endgenerate

  localparam [1:0]
    STATE_IDLE    = 2'd0,   // waiting for a committed entry; issues the header read
    STATE_HEADER  = 2'd1,   // header word arrives from the ring: decide
    STATE_KECCAK  = 2'd2,   // streaming payload words into keccak_unit, waiting for its result
    STATE_RESPOND = 2'd3;   // waiting for the transmit framer to take the response

  localparam [1:0]
    RESULT_NONE   = 2'd0,   // status byte only
    RESULT_INFO   = 2'd1,
    RESULT_DIGEST = 2'd2;

  reg [1:0]    state_reg = STATE_IDLE;
  reg [PW-1:0] release_reg = {PW{1'b0}};      // first word of the entry in service
  reg [PW-1:0] entry_words_reg = {PW{1'b0}};   // words of the entry in service: 1 + ceil(len/8)
  reg [7:0]    entry_cmd_reg = 8'd0;
  reg [15:0]   entry_id_reg = 16'd0;
  reg [7:0]    resp_status_reg = 8'd0;
  reg [1:0]    resp_kind_reg = RESULT_NONE;
  reg          keccak_pending_reg = 1'b0;      // the response comes from keccak_unit: acknowledge it

  // Payload fetch for KECCAK
  reg [PW-1:0] fetch_ptr_reg = {PW{1'b0}};
  reg [13:0]   fetch_left_reg = 14'd0;         // payload words not yet read from the ring
  reg          fetch_landing_reg = 1'b0;       // a payload read was issued last cycle
  reg [63:0]   fifo_head_reg = 64'd0;
  reg [63:0]   fifo_next_reg = 64'd0;
  reg [1:0]    fifo_count_reg = 2'd0;

  // Result emitter
  reg [RESULT_BITS-1:0] result_reg = {RESULT_BITS{1'b0}};
  reg [6:0]    result_left_reg = 7'd0;

  // Counters
  reg [63:0]   total_cycles_reg = 64'd0;
  reg [63:0]   busy_cycles_reg = 64'd0;
  reg [63:0]   keccak_cycles_reg = 64'd0;
  reg [31:0]   frames_ok_reg = 32'd0;
  reg [31:0]   crc_errors_reg = 32'd0;
  reg [31:0]   frame_errors_reg = 32'd0;
  reg [31:0]   permutations_reg = 32'd0;
  reg [31:0]   hashes_reg = 32'd0;
  reg [63:0]   perm_cycles_reg = 64'd0;

  // Header word fields (valid in STATE_HEADER)
  wire [7:0]   hdr_status = ring_rd_data[7:0];
  wire [7:0]   hdr_cmd    = ring_rd_data[15:8];
  wire [15:0]  hdr_id     = ring_rd_data[31:16];
  wire [15:0]  hdr_len    = ring_rd_data[47:32];
  wire [13:0]  hdr_payload_words = {1'b0, hdr_len[15:3]} + {13'd0, |hdr_len[2:0]};

  wire entry_ready = wr_commit_ptr != release_reg;
  wire in_header   = state_reg == STATE_HEADER;
  wire in_keccak   = state_reg == STATE_KECCAK;
  wire start_keccak = in_header && hdr_status == evm_fpga_pkg::STATUS_OK &&
                      hdr_cmd == evm_fpga_pkg::CMD_KECCAK;

  wire fifo_pop  = keccak_s_valid && keccak_s_ready;
  wire fifo_push = in_keccak && fetch_landing_reg;
  // Issue a read only if its word will have a FIFO slot when it lands next cycle: at most one
  // word may remain after this cycle's push and pop.
  wire [2:0] fifo_after = {1'b0, fifo_count_reg} + {2'b0, fifo_push} - {2'b0, fifo_pop};
  wire fetch_issue = in_keccak && !keccak_res_valid && fetch_left_reg != 14'd0 && fifo_after <= 3'd1;

  wire handover = state_reg == STATE_RESPOND && m_desc_ready && result_left_reg == 7'd0;

  assign rd_release_ptr = release_reg;
  assign ring_rd_en     = (state_reg == STATE_IDLE && entry_ready) || fetch_issue;
  assign ring_rd_addr   = in_keccak ? fetch_ptr_reg[ADDR_WIDTH-1:0] : release_reg[ADDR_WIDTH-1:0];

  assign keccak_cmd_start = start_keccak;
  assign keccak_cmd_len   = hdr_len;
  assign keccak_s_word    = fifo_head_reg;
  assign keccak_s_valid   = in_keccak && fifo_count_reg != 2'd0;
  assign keccak_res_ack   = handover && keccak_pending_reg;

  assign m_desc_valid      = state_reg == STATE_RESPOND && result_left_reg == 7'd0;
  assign m_desc_cmd        = entry_cmd_reg;
  assign m_desc_id         = entry_id_reg;
  assign m_desc_status     = resp_status_reg;
  assign m_desc_result_len = resp_kind_reg == RESULT_INFO   ? INFO_LEN :
                             resp_kind_reg == RESULT_DIGEST ? DIGEST_LEN : 7'd0;
  assign m_res_data        = result_reg[7:0];
  assign m_res_valid       = result_left_reg != 7'd0;

  assign idle = state_reg == STATE_IDLE && !entry_ready && result_left_reg == 7'd0;

  // Entry processor
  always @(posedge clk) begin
    fetch_landing_reg <= fetch_issue;
    if (fetch_issue) begin
      fetch_ptr_reg  <= fetch_ptr_reg + {{(PW - 1){1'b0}}, 1'b1};
      fetch_left_reg <= fetch_left_reg - 14'd1;
    end

    // Two-word FIFO between the ring's registered read and keccak_unit.
    if (fifo_push && fifo_pop) begin
      if (fifo_count_reg == 2'd2) begin
        fifo_head_reg <= fifo_next_reg;
        fifo_next_reg <= ring_rd_data;
      end else begin
        fifo_head_reg <= ring_rd_data;
      end
    end else if (fifo_pop) begin
      fifo_head_reg  <= fifo_next_reg;
      fifo_count_reg <= fifo_count_reg - 2'd1;
    end else if (fifo_push) begin
      if (fifo_count_reg == 2'd0) begin
        fifo_head_reg <= ring_rd_data;
      end else begin
        fifo_next_reg <= ring_rd_data;
      end
      fifo_count_reg <= fifo_count_reg + 2'd1;
    end

    case (state_reg)
      STATE_IDLE: begin
        if (entry_ready) begin
          state_reg <= STATE_HEADER;   // header read issued this cycle
        end
      end
      STATE_HEADER: begin
        entry_cmd_reg   <= hdr_cmd;
        entry_id_reg    <= hdr_id;
        entry_words_reg <= PW'(hdr_payload_words + 14'd1);
        resp_kind_reg   <= RESULT_NONE;
        if (hdr_status != evm_fpga_pkg::STATUS_OK) begin
          resp_status_reg <= hdr_status;
          state_reg       <= STATE_RESPOND;
        end else if (hdr_cmd == evm_fpga_pkg::CMD_INFO) begin
          resp_status_reg <= evm_fpga_pkg::STATUS_OK;
          resp_kind_reg   <= RESULT_INFO;
          state_reg       <= STATE_RESPOND;
        end else if (hdr_cmd == evm_fpga_pkg::CMD_KECCAK) begin
          fetch_ptr_reg      <= release_reg + {{(PW - 1){1'b0}}, 1'b1};
          fetch_left_reg     <= hdr_payload_words;
          fifo_count_reg     <= 2'd0;
          keccak_pending_reg <= 1'b1;
          state_reg          <= STATE_KECCAK;
        end else begin
          resp_status_reg <= evm_fpga_pkg::STATUS_UNKNOWN_CMD;
          state_reg       <= STATE_RESPOND;
        end
      end
      STATE_KECCAK: begin
        if (keccak_res_valid) begin
          // The unit is done with this frame (it may have stopped early on an error):
          // words still in the ring or the FIFO are discarded with the entry.
          resp_status_reg <= keccak_res_status;
          resp_kind_reg   <= keccak_res_has_digest ? RESULT_DIGEST : RESULT_NONE;
          fetch_left_reg  <= 14'd0;
          fifo_count_reg  <= 2'd0;
          state_reg       <= STATE_RESPOND;
        end
      end
      default: begin  // STATE_RESPOND
        if (handover) begin
          release_reg        <= release_reg + entry_words_reg;
          keccak_pending_reg <= 1'b0;
          state_reg          <= STATE_IDLE;
        end
      end
    endcase

    if (rst) begin
      state_reg          <= STATE_IDLE;
      release_reg        <= {PW{1'b0}};
      fetch_left_reg     <= 14'd0;
      fetch_landing_reg  <= 1'b0;
      fifo_count_reg     <= 2'd0;
      keccak_pending_reg <= 1'b0;
    end
  end

  // Result emitter: loaded at hand-over, drained a byte at a time by the transmit framer.
  always @(posedge clk) begin
    if (handover) begin
      result_reg <= {RESULT_BITS{1'b0}};
      if (resp_kind_reg == RESULT_INFO) begin
        // Layout from the package's INFO_* byte offsets (little-endian fields).
        result_reg[8*evm_fpga_pkg::INFO_MAGIC +: 32]                   <= evm_fpga_pkg::PROTOCOL_MAGIC;
        result_reg[8*evm_fpga_pkg::INFO_PROTOCOL_VERSION +: 16]        <= evm_fpga_pkg::PROTOCOL_VERSION;
        result_reg[8*evm_fpga_pkg::INFO_MAX_PAYLOAD +: 16]             <= evm_fpga_pkg::MAX_PAYLOAD;
        result_reg[8*evm_fpga_pkg::INFO_BUILD_ID +: 32]                <= BUILD_ID;
        result_reg[8*evm_fpga_pkg::INFO_CLOCK_HZ +: 32]                <= 32'(CLK_HZ);
        result_reg[8*evm_fpga_pkg::INFO_CAPABILITIES +: 32]            <= 32'd1 << evm_fpga_pkg::CAP_KECCAK;
        result_reg[8*evm_fpga_pkg::INFO_KECCAK_CORES +: 8]             <= 8'd1;
        result_reg[8*evm_fpga_pkg::INFO_KECCAK_ROUNDS_PER_CLOCK +: 8]  <= 8'(KECCAK_ROUNDS_PER_CLK);
        result_reg[8*evm_fpga_pkg::INFO_RESERVED0 +: 16]               <= 16'd0;
        result_reg[8*evm_fpga_pkg::INFO_RX_RING_BYTES +: 32]           <= 32'(8 * RING_WORDS);
        result_reg[8*evm_fpga_pkg::INFO_UART_DIVIDER +: 32]            <= 32'(UART_DIV);
        result_reg[8*evm_fpga_pkg::INFO_TOTAL_CYCLES +: 64]            <= total_cycles_reg;
        result_reg[8*evm_fpga_pkg::INFO_BUSY_CYCLES +: 64]             <= busy_cycles_reg;
        result_reg[8*evm_fpga_pkg::INFO_KECCAK_CYCLES +: 64]           <= keccak_cycles_reg;
        result_reg[8*evm_fpga_pkg::INFO_FRAMES_OK +: 32]               <= frames_ok_reg;
        result_reg[8*evm_fpga_pkg::INFO_CRC_ERRORS +: 32]              <= crc_errors_reg;
        result_reg[8*evm_fpga_pkg::INFO_FRAME_ERRORS +: 32]            <= frame_errors_reg;
        result_reg[8*evm_fpga_pkg::INFO_PERMUTATIONS +: 32]            <= permutations_reg;
        result_reg[8*evm_fpga_pkg::INFO_HASHES +: 32]                  <= hashes_reg;
        result_reg[8*evm_fpga_pkg::INFO_RESERVED1 +: 32]               <= 32'd0;
        result_reg[8*evm_fpga_pkg::INFO_PERMUTATION_CYCLES +: 64]      <= perm_cycles_reg;
      end else if (resp_kind_reg == RESULT_DIGEST) begin
        result_reg[255:0] <= keccak_res_digest;
      end
      result_left_reg <= m_desc_result_len;
    end else if (m_res_valid && m_res_ready) begin
      result_reg      <= result_reg >> 8;
      result_left_reg <= result_left_reg - 7'd1;
    end

    if (rst) begin
      result_left_reg <= 7'd0;
    end
  end

  // Counters
  wire answer_is_frame_error = handover && resp_status_reg != evm_fpga_pkg::STATUS_OK &&
                               resp_status_reg != evm_fpga_pkg::STATUS_CRC;

  always @(posedge clk) begin
    total_cycles_reg  <= total_cycles_reg + 64'd1;
    busy_cycles_reg   <= busy_cycles_reg + {63'd0, state_reg != STATE_IDLE};
    keccak_cycles_reg <= keccak_cycles_reg + {63'd0, keccak_busy};
    frames_ok_reg     <= frames_ok_reg + {31'd0, frame_ok};
    crc_errors_reg    <= crc_errors_reg + {31'd0, crc_error};
    frame_errors_reg  <= frame_errors_reg + {31'd0, answer_is_frame_error} + {31'd0, frame_dropped};
    permutations_reg  <= permutations_reg + {31'd0, keccak_perm_done};
    hashes_reg        <= hashes_reg + {31'd0, keccak_hash_done};
    perm_cycles_reg   <= perm_cycles_reg + {63'd0, keccak_perm_step};

    if (rst) begin
      total_cycles_reg  <= 64'd0;
      busy_cycles_reg   <= 64'd0;
      keccak_cycles_reg <= 64'd0;
      frames_ok_reg     <= 32'd0;
      crc_errors_reg    <= 32'd0;
      frame_errors_reg  <= 32'd0;
      permutations_reg  <= 32'd0;
      hashes_reg        <= 32'd0;
      perm_cycles_reg   <= 64'd0;
    end
  end

endmodule

`resetall
