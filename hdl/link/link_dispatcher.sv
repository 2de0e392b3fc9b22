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
 * registered read keeps one word per clock flowing) and waits for its result; STORAGE does the
 * same with storage_unit, which may answer before taking every word (when its batch stops the
 * rest are discarded with the entry; a build with STORAGE_ENTRIES = 0 has no unit and answers
 * UNKNOWN_CMD); EVM streams them into evm_unit (below; a build with EVM_UNIT = 0 answers it
 * UNKNOWN_CMD the same way); anything else is answered UNKNOWN_CMD. The response is handed over when
 * the transmit framer takes its descriptor; only then is the entry's ring space released (read
 * pointer moved past it), so the space the host counts as occupied until the answer arrives
 * really is occupied.
 *
 * EVM: evm_unit judges LEN in the cycle after cmd_start (STATE_EVM_CHECK). BAD_LENGTH is
 * answered like any error. When OK, the response LEN (1 + 40 x N) is known, so the descriptor is
 * offered at once while the payload words keep streaming into the unit (STATE_EVM): the header
 * goes out first and the result bytes follow as the unit produces them (the transmit framer
 * waits on their valid). Feeding must not wait for the descriptor to be taken, nor the
 * reverse: the unit holds only three records, so a larger batch needs its results flowing to
 * be fed completely. The entry is finished, and its ring space released, when both the
 * descriptor has been taken and every payload word has been taken by the unit; the unit may
 * still be computing and sending the last records, and the next entry is already served. The
 * release therefore still comes before the last byte of the answer leaves, and the words it
 * frees are never read again, so the host's window accounting stays exact.
 *
 * Result emitter: the hand-over selects where the transmit framer's result bytes come from.
 * For INFO, KECCAK and STORAGE it loads the result (INFO_BYTES-byte INFO record, 32-byte digest or
 * STORAGE_RESULT_BYTES-byte check result) into a
 * shift register (result_reg) that the transmit framer drains a byte at a time, so the entry
 * processor is already serving the next entry while this one is sent; for EVM it passes
 * evm_unit's result byte stream through. The next hand-over can only happen once the transmit
 * framer has taken every result byte of this frame, so the selection never changes mid-frame.
 *
 * Counters for INFO: totalCycles, busyCycles (entry processor not idle), keccakCycles
 * (keccak_unit busy), framesOk, crcErrors, frameErrors (every non-OK, non-CRC answer, plus frames
 * the framer dropped without an answer), permutations, hashes, permutationCycles (cycles a
 * Keccak-f step ran: permutationCycles / permutations = 24 / rounds per clock, or 1,536 for the
 * compact core, which INFO reports as 0 rounds per clock). EVM opcodes
 * evaluated are not counted: INFO has no field for them.
 */
module link_dispatcher #(
  parameter integer CLK_HZ = 48000000,             // design clock, reported by INFO
  parameter integer UART_DIV = 16,                 // clock cycles per UART bit, reported by INFO
  parameter integer KECCAK_CORE = 0,               // 0: round-per-clock core, 1: compact core (INFO rounds per clock 0), 2: lean core (1)
  parameter integer KECCAK_ROUNDS_PER_CLK = 1,     // reported by INFO (KECCAK_CORE = 0)
  parameter integer EVM_UNIT = 1,                  // evm_unit present; 0: EVM is UNKNOWN_CMD
  parameter integer RING_WORDS = 1024,             // receive ring depth in 64-bit words; power of two
  parameter [31:0]  BUILD_ID = 32'h0,              // reported by INFO
  parameter integer STORAGE_ENTRIES = 8192,        // storage_unit's table capacity, reported by INFO; 0: no unit
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

  // storage_unit (unused when STORAGE_ENTRIES = 0)
  output wire                  storage_cmd_start,
  output wire [15:0]           storage_cmd_len,
  output wire [63:0]           storage_s_word,
  output wire                  storage_s_valid,
  input  wire                  storage_s_ready,
  input  wire                  storage_res_valid,
  input  wire [7:0]            storage_res_status,
  input  wire                  storage_res_has_result,
  input  wire [127:0]          storage_res_data,
  output wire                  storage_res_ack,

  // evm_unit
  output wire                  evm_cmd_start,
  output wire [15:0]           evm_cmd_len,
  input  wire [7:0]            evm_cmd_status,
  input  wire [15:0]           evm_cmd_result_len,
  output wire [63:0]           evm_s_word,
  output wire                  evm_s_valid,
  input  wire                  evm_s_ready,
  input  wire [7:0]            evm_m_data,        // result bytes, passed through to m_res_*
  input  wire                  evm_m_valid,
  output wire                  evm_m_ready,

  // Response to the transmit framer: a descriptor, then result_len bytes on m_res_*
  output wire                  m_desc_valid,
  input  wire                  m_desc_ready,
  output wire [7:0]            m_desc_cmd,        // request CMD (the framer sets RESPONSE_FLAG)
  output wire [15:0]           m_desc_id,
  output wire [7:0]            m_desc_status,
  output wire [15:0]           m_desc_result_len, // bytes after the status byte: 0, 16 (STORAGE), 32, INFO_BYTES or 40 x N (EVM)
  output wire [7:0]            m_res_data,
  output wire                  m_res_valid,
  input  wire                  m_res_ready,

  output wire                  idle               // ring empty, no entry in service, no result bytes left
);

  localparam integer PW = ADDR_WIDTH + 1;   // pointer width: address plus wrap bit
  localparam integer RESULT_BITS = 8 * evm_fpga_pkg::INFO_BYTES;   // widest result, the INFO record
  localparam [15:0] INFO_LEN   = 16'(evm_fpga_pkg::INFO_BYTES);
  localparam [15:0] DIGEST_LEN = 16'd32;
  localparam [15:0] STORAGE_LEN = 16'(evm_fpga_pkg::STORAGE_RESULT_BYTES);

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
    if (evm_fpga_pkg::STORAGE_RESULT_BYTES > 32) begin : g_check_storage_result
      $fatal(1, "link_dispatcher: the STORAGE result must fit the digest part of the result register");
    end
    if (KECCAK_CORE != 0 && KECCAK_CORE != 1 && KECCAK_CORE != 2) begin : g_check_keccak_core
      $fatal(1, "link_dispatcher: KECCAK_CORE must be 0, 1 or 2");
    end
    if (EVM_UNIT != 0 && EVM_UNIT != 1) begin : g_check_evm_unit
      $fatal(1, "link_dispatcher: EVM_UNIT must be 0 or 1");
    end
    if (STORAGE_ENTRIES < 0) begin : g_check_storage_entries
      $fatal(1, "link_dispatcher: STORAGE_ENTRIES must be >= 0");
    end
    if (KECCAK_ROUNDS_PER_CLK < 1 || KECCAK_ROUNDS_PER_CLK > 255 || UART_DIV < 1 || CLK_HZ < 1) begin : g_check_info_fields
      $fatal(1, "link_dispatcher: KECCAK_ROUNDS_PER_CLK, UART_DIV and CLK_HZ must be positive; rounds <= 255");
    end
  endgenerate

  localparam [2:0]
    STATE_IDLE      = 3'd0,   // waiting for a committed entry; issues the header read
    STATE_HEADER    = 3'd1,   // header word arrives from the ring: decide
    STATE_KECCAK    = 3'd2,   // streaming payload words into keccak_unit, waiting for its result
    STATE_RESPOND   = 3'd3,   // waiting for the transmit framer to take the response
    STATE_EVM_CHECK = 3'd4,   // evm_unit's verdict on LEN arrives (payload fetch already runs)
    STATE_EVM       = 3'd5,   // streaming payload words into evm_unit while offering the descriptor
    STATE_STORAGE   = 3'd6;   // streaming payload words into storage_unit, waiting for its result

  localparam [2:0]
    RESULT_NONE    = 3'd0,   // status byte only
    RESULT_INFO    = 3'd1,
    RESULT_DIGEST  = 3'd2,
    RESULT_EVM     = 3'd3,   // evm_unit's result byte stream
    RESULT_STORAGE = 3'd4;   // storage_unit's check result

  reg [2:0]    state_reg = STATE_IDLE;
  reg [PW-1:0] release_reg = {PW{1'b0}};      // first word of the entry in service
  reg [PW-1:0] entry_words_reg = {PW{1'b0}};   // words of the entry in service: 1 + ceil(len/8)
  reg [7:0]    entry_cmd_reg = 8'd0;
  reg [15:0]   entry_id_reg = 16'd0;
  reg [7:0]    resp_status_reg = 8'd0;
  reg [2:0]    resp_kind_reg = RESULT_NONE;
  reg          keccak_pending_reg = 1'b0;      // the response comes from keccak_unit: acknowledge it
  reg          storage_pending_reg = 1'b0;     // the response comes from storage_unit: acknowledge it
  reg          evm_desc_done_reg = 1'b0;       // STATE_EVM: the descriptor has been taken

  // Payload fetch for KECCAK, STORAGE and EVM
  reg [PW-1:0] fetch_ptr_reg = {PW{1'b0}};
  reg [13:0]   fetch_left_reg = 14'd0;         // payload words not yet read from the ring
  reg          fetch_landing_reg = 1'b0;       // a payload read was issued last cycle
  reg [63:0]   fifo_head_reg = 64'd0;
  reg [63:0]   fifo_next_reg = 64'd0;
  reg [1:0]    fifo_count_reg = 2'd0;

  // Result emitter
  reg [RESULT_BITS-1:0] result_reg = {RESULT_BITS{1'b0}};
  reg [6:0]    result_left_reg = 7'd0;
  reg          result_evm_reg = 1'b0;          // the frame being sent takes its result from evm_unit

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
  wire in_evm      = state_reg == STATE_EVM_CHECK || state_reg == STATE_EVM;
  wire in_storage  = state_reg == STATE_STORAGE;
  wire in_stream   = in_keccak || in_evm || in_storage;   // payload words flow from the ring to a unit
  wire start_keccak = in_header && hdr_status == evm_fpga_pkg::STATUS_OK &&
                      hdr_cmd == evm_fpga_pkg::CMD_KECCAK;
  wire start_evm    = in_header && hdr_status == evm_fpga_pkg::STATUS_OK &&
                      hdr_cmd == evm_fpga_pkg::CMD_EVM && EVM_UNIT != 0;
  wire start_storage = in_header && hdr_status == evm_fpga_pkg::STATUS_OK &&
                       hdr_cmd == evm_fpga_pkg::CMD_STORAGE && STORAGE_ENTRIES != 0;

  wire fifo_pop  = (keccak_s_valid && keccak_s_ready) || (evm_s_valid && evm_s_ready) ||
                   (storage_s_valid && storage_s_ready);
  wire fifo_push = in_stream && fetch_landing_reg;
  // Issue a read only if its word will have a FIFO slot when it lands next cycle: at most one
  // word may remain after this cycle's push and pop.
  wire [2:0] fifo_after = {1'b0, fifo_count_reg} + {2'b0, fifo_push} - {2'b0, fifo_pop};
  wire fetch_issue = ((in_keccak && !keccak_res_valid) || (in_storage && !storage_res_valid) || in_evm) &&
                     fetch_left_reg != 14'd0 &&
                     fifo_after <= 3'd1;
  // Every payload word of the EVM entry has been taken by evm_unit.
  wire evm_words_done = fetch_left_reg == 14'd0 && fifo_count_reg == 2'd0 && !fetch_landing_reg;

  wire desc_take = m_desc_valid && m_desc_ready;
  // The entry in service is finished: release its ring space.
  wire handover  = (state_reg == STATE_RESPOND && desc_take) ||
                   (state_reg == STATE_EVM && (evm_desc_done_reg || desc_take) && evm_words_done);

  assign rd_release_ptr = release_reg;
  assign ring_rd_en     = (state_reg == STATE_IDLE && entry_ready) || fetch_issue;
  assign ring_rd_addr   = in_stream ? fetch_ptr_reg[ADDR_WIDTH-1:0] : release_reg[ADDR_WIDTH-1:0];

  assign keccak_cmd_start = start_keccak;
  assign keccak_cmd_len   = hdr_len;
  assign keccak_s_word    = fifo_head_reg;
  assign keccak_s_valid   = in_keccak && fifo_count_reg != 2'd0;
  assign keccak_res_ack   = desc_take && keccak_pending_reg;

  assign storage_cmd_start = start_storage;
  assign storage_cmd_len   = hdr_len;
  assign storage_s_word    = fifo_head_reg;
  assign storage_s_valid   = in_storage && fifo_count_reg != 2'd0;
  assign storage_res_ack   = desc_take && storage_pending_reg;

  assign evm_cmd_start    = start_evm;
  assign evm_cmd_len      = hdr_len;
  assign evm_s_word       = fifo_head_reg;
  assign evm_s_valid      = in_evm && fifo_count_reg != 2'd0;
  assign evm_m_ready      = result_evm_reg && m_res_ready;

  assign m_desc_valid      = (state_reg == STATE_RESPOND || (state_reg == STATE_EVM && !evm_desc_done_reg)) &&
                             result_left_reg == 7'd0;
  assign m_desc_cmd        = entry_cmd_reg;
  assign m_desc_id         = entry_id_reg;
  assign m_desc_status     = resp_status_reg;
  assign m_desc_result_len = resp_kind_reg == RESULT_INFO   ? INFO_LEN :
                             resp_kind_reg == RESULT_DIGEST ? DIGEST_LEN :
                             resp_kind_reg == RESULT_STORAGE ? STORAGE_LEN :
                             resp_kind_reg == RESULT_EVM    ? evm_cmd_result_len : 16'd0;
  assign m_res_data        = result_evm_reg ? evm_m_data : result_reg[7:0];
  assign m_res_valid       = result_evm_reg ? evm_m_valid : result_left_reg != 7'd0;

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
        end else if (hdr_cmd == evm_fpga_pkg::CMD_STORAGE && STORAGE_ENTRIES != 0) begin
          fetch_ptr_reg       <= release_reg + {{(PW - 1){1'b0}}, 1'b1};
          fetch_left_reg      <= hdr_payload_words;
          fifo_count_reg      <= 2'd0;
          storage_pending_reg <= 1'b1;
          state_reg           <= STATE_STORAGE;
        end else if (hdr_cmd == evm_fpga_pkg::CMD_EVM && EVM_UNIT != 0) begin
          fetch_ptr_reg      <= release_reg + {{(PW - 1){1'b0}}, 1'b1};
          fetch_left_reg     <= hdr_payload_words;
          fifo_count_reg     <= 2'd0;
          state_reg          <= STATE_EVM_CHECK;
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
      STATE_STORAGE: begin
        if (storage_res_valid) begin
          // As for KECCAK: words the unit did not take (its batch stopped) go with the entry.
          resp_status_reg <= storage_res_status;
          resp_kind_reg   <= storage_res_has_result ? RESULT_STORAGE : RESULT_NONE;
          fetch_left_reg  <= 14'd0;
          fifo_count_reg  <= 2'd0;
          state_reg       <= STATE_RESPOND;
        end
      end
      STATE_EVM_CHECK: begin
        resp_status_reg <= evm_cmd_status;
        if (evm_cmd_status != evm_fpga_pkg::STATUS_OK) begin
          // The unit takes no word of a rejected frame: discard them with the entry.
          fetch_left_reg <= 14'd0;
          fifo_count_reg <= 2'd0;
          state_reg      <= STATE_RESPOND;
        end else begin
          resp_kind_reg     <= RESULT_EVM;
          evm_desc_done_reg <= 1'b0;
          state_reg         <= STATE_EVM;
        end
      end
      STATE_EVM: begin
        if (desc_take) begin
          evm_desc_done_reg <= 1'b1;
        end
        if (handover) begin
          release_reg <= release_reg + entry_words_reg;
          state_reg   <= STATE_IDLE;
        end
      end
      default: begin  // STATE_RESPOND
        if (handover) begin
          release_reg         <= release_reg + entry_words_reg;
          keccak_pending_reg  <= 1'b0;
          storage_pending_reg <= 1'b0;
          state_reg           <= STATE_IDLE;
        end
      end
    endcase

    if (rst) begin
      state_reg          <= STATE_IDLE;
      release_reg        <= {PW{1'b0}};
      fetch_left_reg     <= 14'd0;
      fetch_landing_reg  <= 1'b0;
      fifo_count_reg     <= 2'd0;
      keccak_pending_reg  <= 1'b0;
      storage_pending_reg <= 1'b0;
      evm_desc_done_reg   <= 1'b0;
    end
  end

  // Result emitter: loaded when the descriptor is taken, drained a byte at a time by the
  // transmit framer (or, for EVM, bypassed in favour of evm_unit's byte stream).
  always @(posedge clk) begin
    if (desc_take) begin
      result_reg <= {RESULT_BITS{1'b0}};
      if (resp_kind_reg == RESULT_INFO) begin
        // Layout from the package's INFO_* byte offsets (little-endian fields).
        result_reg[8*evm_fpga_pkg::INFO_MAGIC +: 32]                   <= evm_fpga_pkg::PROTOCOL_MAGIC;
        result_reg[8*evm_fpga_pkg::INFO_PROTOCOL_VERSION +: 16]        <= evm_fpga_pkg::PROTOCOL_VERSION;
        result_reg[8*evm_fpga_pkg::INFO_MAX_PAYLOAD +: 16]             <= evm_fpga_pkg::MAX_PAYLOAD;
        result_reg[8*evm_fpga_pkg::INFO_BUILD_ID +: 32]                <= BUILD_ID;
        result_reg[8*evm_fpga_pkg::INFO_CLOCK_HZ +: 32]                <= 32'(CLK_HZ);
        result_reg[8*evm_fpga_pkg::INFO_CAPABILITIES +: 32]            <= (32'd1 << evm_fpga_pkg::CAP_KECCAK) |
                                                                          ({31'd0, EVM_UNIT != 0} << evm_fpga_pkg::CAP_EVM_ALU) |
                                                                          ({31'd0, STORAGE_ENTRIES != 0} << evm_fpga_pkg::CAP_STORAGE_CHECK);
        result_reg[8*evm_fpga_pkg::INFO_KECCAK_CORES +: 8]             <= 8'd1;
        // The compact core runs a round over 64 clocks: reported as 0 (docs/protocol.md).
        result_reg[8*evm_fpga_pkg::INFO_KECCAK_ROUNDS_PER_CLOCK +: 8]  <= KECCAK_CORE == 1 ? 8'd0 : 8'(KECCAK_ROUNDS_PER_CLK);
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
        result_reg[8*evm_fpga_pkg::INFO_STORAGE_ENTRIES +: 32]         <= 32'(STORAGE_ENTRIES);
        result_reg[8*evm_fpga_pkg::INFO_PERMUTATION_CYCLES +: 64]      <= perm_cycles_reg;
      end else if (resp_kind_reg == RESULT_DIGEST) begin
        result_reg[255:0] <= keccak_res_digest;
      end else if (resp_kind_reg == RESULT_STORAGE) begin
        result_reg[127:0] <= storage_res_data;
      end
      // EVM results bypass the shift register; the others fit its 7-bit count (checked above).
      result_left_reg <= resp_kind_reg == RESULT_EVM ? 7'd0 : m_desc_result_len[6:0];
      result_evm_reg  <= resp_kind_reg == RESULT_EVM;
    end else if (result_left_reg != 7'd0 && m_res_ready) begin
      result_reg      <= result_reg >> 8;
      result_left_reg <= result_left_reg - 7'd1;
    end

    if (rst) begin
      result_left_reg <= 7'd0;
      result_evm_reg  <= 1'b0;
    end
  end

  // Counters
  wire answer_is_frame_error = desc_take && resp_status_reg != evm_fpga_pkg::STATUS_OK &&
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
