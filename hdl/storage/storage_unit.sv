`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * The STORAGE command (docs/protocol.md): conflict checks for parallel block execution. The unit
 * keeps a table key (31-bit digest) -> last writer tx (16 bits) for one block and checks access
 * records against it in order, one record per clock. The software reference is
 * host/executor/storage-check.ts; on the 31-bit keys the device gets, the answers are the same
 * unless the table overflows (below).
 *
 * Table: ENTRIES entries as SETS = ENTRIES / WAYS sets of WAYS ways, one block-RAM word per set
 * (ram_sdp, one word per set), so one read fetches a whole set and the tags are compared in parallel. A key
 * maps to set index = key[SET_BITS-1:0] ^ key[2*SET_BITS-1:SET_BITS] (the low bits folded with
 * the next ones, so keys that differ only above the index bits still spread) and keeps the
 * TAG_BITS = 31 - SET_BITS bits above the index as its tag; (index, tag) gives back the key, so
 * the table is exact: no two keys share an entry. A set word is
 *   [EPOCH_BITS-1:0]                    epoch: the set is live only if this equals the unit's epoch
 *   [EPOCH_BITS +: CNT_BITS]            ways in use (0..WAYS); ways fill in order, never freed
 *   way w at WAYS_LSB + w * WAY_BITS:   [TAG_BITS-1:0] tag, [TAG_BITS +: 16] tx
 * A write whose key is absent from a full set cannot be placed: OVERFLOW, which holds until
 * RESET. From then on no record is looked at (answers carry 0 records, OVERFLOW, never INVALID):
 * the table lacks a write, so any later verdict could be wrong, and the host redoes the block in
 * software.
 *
 * RESET is O(1): it moves the epoch on, which empties every set at once (sets of older epochs
 * read as empty and are overwritten in full when next written). Epochs run 1 .. 2^EPOCH_BITS - 1;
 * epoch 0 marks a swept set. When the epoch would wrap, and after rst (the block RAM is not
 * reset), the unit sweeps: it writes every set with epoch 0, one set per clock, SETS cycles; so
 * RESET costs 2 cycles, plus SETS cycles once every 2^EPOCH_BITS - 1 RESETs.
 *
 * Pipeline, one record per clock:
 *   accept  a record word is taken; the table read of its set is issued;
 *   lookup  the set word arrives (or is forwarded, below); tags compared, the record's current
 *           entry (found_tx, 0xFFFF if absent) and the set word after a write computed
 *           (function lookup), all registered;
 *   commit  in record order against the batch state: a read whose version differs from
 *           found_tx makes its tx INVALID and stops the batch; a write is written to the table
 *           (or sets OVERFLOW); nothing is done once the batch has stopped or overflowed.
 * Forwarding: the lookup of a record must see the writes of the two records before it, whose
 * table writes land too late for its read (the write of record r is in the RAM after its commit
 * cycle, the read of record r+2 is issued in that same cycle). So the lookup takes the set word
 * from the commit stage (r+1 after r) or from a copy of the word written last cycle (r+2 after
 * r) when the set index matches, newest first, instead of the RAM's. A forwarded word may come
 * from a write that is not committed because the batch stopped at or before it; then the record
 * using it is not committed either, so the speculation is never visible.
 *
 * Per frame: cmd_start latches LEN. LEN < 8 or not a multiple of 8, or more than
 * STORAGE_MAX_RECORDS records: BAD_LENGTH without taking a word. Else word 0 is the header
 * (byte 0 OP, byte 1 FLAGS): RESET with records, or an OP other than CHECK and RESET, is
 * BAD_LENGTH (answered after the header word, nothing changed). CHECK: FIRST clears the stopped
 * state; if the batch is stopped or the table overflowed, or there are no records, the answer
 * comes at once; else the records stream through the pipeline. The answer comes when every record
 * has been committed, or as soon as the batch stops or overflows: the remaining words of the
 * frame are not taken (the dispatcher discards them with the entry), so res_valid may rise while
 * words are still offered.
 *
 * Answer (res_data, STORAGE_RESULT_BYTES = 16 bytes little-endian, byte i = res_data[8i+7:8i]):
 * records of this frame looked at (u16: committed ones plus the one that stopped or overflowed
 * the batch), flags (u8: bit 0 INVALID, bit 1 OVERFLOW, bit 2 STOPPED = the batch had already
 * stopped when this frame came), reserved u8, invalid tx (u16), reserved u16, conflict key (u32),
 * cycles (u32): clock cycles from cmd_start to res_valid. With LEN = 8 + 8 x N fed at a word per
 * clock, an N-record frame takes N + 4 cycles from its first word.
 */
module storage_unit #(
  parameter integer ENTRIES = 8192,    // table capacity in entries; a power of two, >= 2 * WAYS
  parameter integer WAYS = 8,          // ways per set (entries compared in parallel); power of two, 1..16
  parameter integer EPOCH_BITS = 8     // epoch tag per set; RESET sweeps the table every 2^EPOCH_BITS - 1 resets; 2..16
) (
  input  wire          clk,
  input  wire          rst,

  input  wire          cmd_start,      // 1-cycle pulse: a STORAGE frame begins; cmd_len valid with it
  input  wire [15:0]   cmd_len,        // payload length in bytes (header included)
  input  wire [63:0]   s_word,         // payload words in order, word 0 = header
  input  wire          s_valid,
  output wire          s_ready,

  output wire          res_valid,      // held until res_ack
  output wire [7:0]    res_status,     // evm_fpga_pkg::STATUS_OK / STATUS_BAD_LENGTH
  output wire          res_has_result, // OK: the 16 result bytes follow the status
  output wire [127:0]  res_data,       // byte i = res_data[8i+7:8i]
  input  wire          res_ack,        // 1-cycle pulse: the dispatcher took the result

  output wire          busy            // a frame or a sweep is in progress
);

  localparam integer SETS      = ENTRIES / WAYS;
  localparam integer SET_BITS  = $clog2(SETS);
  localparam integer TAG_BITS  = 31 - SET_BITS;
  localparam integer CNT_BITS  = $clog2(WAYS + 1);
  localparam integer WAY_BITS  = TAG_BITS + 16;
  localparam integer WAYS_LSB  = EPOCH_BITS + CNT_BITS;
  localparam integer WORD_BITS = WAYS_LSB + WAYS * WAY_BITS;
  localparam integer LOOKUP_BITS = 1 + 16 + WORD_BITS;   // {can_place, found_tx, new set word}
  localparam integer MAX_RECORDS = evm_fpga_pkg::STORAGE_MAX_RECORDS;
  localparam [CNT_BITS-1:0]   FULL       = CNT_BITS'(WAYS);
  localparam [EPOCH_BITS-1:0] LAST_EPOCH = {EPOCH_BITS{1'b1}};
  localparam [EPOCH_BITS-1:0] EPOCH_ONE  = {{(EPOCH_BITS - 1){1'b0}}, 1'b1};

  generate
    if (WAYS < 1 || WAYS > 16 || (WAYS & (WAYS - 1)) != 0) begin : g_check_ways
      $fatal(1, "storage_unit: WAYS must be a power of two, 1..16");
    end
    if (ENTRIES < 2 * WAYS || (ENTRIES & (ENTRIES - 1)) != 0 || SET_BITS > 15) begin : g_check_entries
      $fatal(1, "storage_unit: ENTRIES must be a power of two >= 2 * WAYS with at most 2^15 sets (the index folds 2 x SET_BITS key bits)");
    end
    if (EPOCH_BITS < 2 || EPOCH_BITS > 16) begin : g_check_epoch
      $fatal(1, "storage_unit: EPOCH_BITS must be 2..16");
    end
    if (evm_fpga_pkg::STORAGE_HEADER_BYTES != 8 || evm_fpga_pkg::STORAGE_RECORD_BYTES != 8 ||
        evm_fpga_pkg::STORAGE_RESULT_BYTES != 16 || MAX_RECORDS > 1023) begin : g_check_layout
      $fatal(1, "storage_unit: written for an 8-byte header, 8-byte records (< 1024 per frame) and a 16-byte answer");
    end
  endgenerate

  // The set word for a record, given the set as last written: its entry for tag (found_tx,
  // 0xFFFF if absent), whether a write can be placed (present, or a free way), and the set word
  // with tag -> tx entered (in the way holding tag, else the first free way; epoch renewed,
  // count incremented when a way is taken). A set of another epoch is empty.
  function [LOOKUP_BITS-1:0] lookup;
    input [WORD_BITS-1:0]  set_word;
    input [EPOCH_BITS-1:0] epoch;
    input [TAG_BITS-1:0]   tag;
    input [15:0]           tx;
    reg   [CNT_BITS-1:0]   cnt;
    reg   [CNT_BITS-1:0]   way;
    reg                    hit;
    reg   [15:0]           found;
    reg   [WORD_BITS-1:0]  word;
    integer w;
    begin
      cnt   = set_word[EPOCH_BITS-1:0] == epoch ? set_word[EPOCH_BITS +: CNT_BITS] : {CNT_BITS{1'b0}};
      hit   = 1'b0;
      found = evm_fpga_pkg::STORAGE_PRE_STATE;
      way   = cnt;
      for (w = 0; w < WAYS; w = w + 1) begin
        if (CNT_BITS'(w) < cnt && set_word[WAYS_LSB + w * WAY_BITS +: TAG_BITS] == tag) begin
          hit   = 1'b1;
          found = set_word[WAYS_LSB + w * WAY_BITS + TAG_BITS +: 16];
          way   = CNT_BITS'(w);
        end
      end
      word = set_word;
      word[EPOCH_BITS-1:0] = epoch;
      word[EPOCH_BITS +: CNT_BITS] = hit ? cnt : cnt + {{(CNT_BITS - 1){1'b0}}, 1'b1};
      for (w = 0; w < WAYS; w = w + 1) begin
        if (CNT_BITS'(w) == way) begin
          word[WAYS_LSB + w * WAY_BITS +: TAG_BITS]       = tag;
          word[WAYS_LSB + w * WAY_BITS + TAG_BITS +: 16]  = tx;
        end
      end
      lookup = {hit || cnt != FULL, found, word};
    end
  endfunction

  localparam [2:0]
    STATE_IDLE    = 3'd0,   // waiting for cmd_start
    STATE_HEADER  = 3'd1,   // taking the header word
    STATE_RUN     = 3'd2,   // records flow through the pipeline
    STATE_SWEEP   = 3'd3,   // writing every set with epoch 0 (after rst, or a RESET at the last epoch)
    STATE_RESPOND = 3'd4;   // res_valid until res_ack

  reg [2:0]   state_reg = STATE_SWEEP;
  reg         cmd_pending_reg = 1'b0;     // cmd_start came during the sweep after rst
  reg [15:0]  cmd_len_reg = 16'd0;
  reg [9:0]   words_left_reg = 10'd0;     // records of the frame not yet accepted
  reg         has_records_reg = 1'b0;     // the frame declares at least one record
  reg [31:0]  cycles_reg = 32'd0;         // cycles since cmd_start
  reg [SET_BITS-1:0] sweep_idx_reg = {SET_BITS{1'b0}};
  reg         sweep_answer_reg = 1'b0;    // the sweep serves a RESET frame: answer when done

  // Block state
  reg [EPOCH_BITS-1:0] epoch_reg = EPOCH_ONE;
  reg         stopped_reg = 1'b0;         // the batch stopped at an invalid read
  reg         overflow_reg = 1'b0;        // a write could not be placed since the last RESET

  // Frame result
  reg [15:0]  looked_reg = 16'd0;
  reg         invalid_reg = 1'b0;
  reg         was_stopped_reg = 1'b0;
  reg [15:0]  invalid_tx_reg = 16'd0;
  reg [30:0]  conflict_key_reg = 31'd0;
  reg [7:0]   res_status_reg = 8'd0;
  reg         res_has_result_reg = 1'b0;
  reg [127:0] res_data_reg = 128'd0;

  // Pipeline: lookup stage (s1) and commit stage (s2)
  reg                 s1_valid_reg = 1'b0;
  reg [63:0]          s1_record_reg = 64'd0;
  reg [SET_BITS-1:0]  s1_idx_reg = {SET_BITS{1'b0}};
  reg                 s2_valid_reg = 1'b0;
  reg [63:0]          s2_record_reg = 64'd0;
  reg [SET_BITS-1:0]  s2_idx_reg = {SET_BITS{1'b0}};
  reg [LOOKUP_BITS-1:0] s2_lookup_reg = {LOOKUP_BITS{1'b0}};
  reg                 sweep_wr_reg = 1'b0;   // s2_idx_reg / the zeroed s2 word are a sweep write
  // Copy of the set word written last cycle (forwarding to the record two behind)
  reg                 fwd_valid_reg = 1'b0;
  reg [SET_BITS-1:0]  fwd_idx_reg = {SET_BITS{1'b0}};
  reg [WORD_BITS-1:0] fwd_word_reg = {WORD_BITS{1'b0}};

  wire halted = stopped_reg || overflow_reg;
  wire in_run = state_reg == STATE_RUN;

  // Accept stage: index of the offered record's set.
  wire [SET_BITS-1:0] in_idx      = s_word[SET_BITS-1:0] ^ s_word[SET_BITS +: SET_BITS];
  wire                want_record = in_run && words_left_reg != 10'd0 && !halted;
  wire                take_record = want_record && s_valid;

  // Commit stage fields
  wire                s2_is_write  = s2_record_reg[31];
  wire [15:0]         s2_tx        = s2_record_reg[47:32];
  wire [15:0]         s2_version   = s2_record_reg[63:48];
  wire                s2_can_place = s2_lookup_reg[LOOKUP_BITS-1];
  wire [15:0]         s2_found     = s2_lookup_reg[WORD_BITS +: 16];
  wire [WORD_BITS-1:0] s2_word     = s2_lookup_reg[WORD_BITS-1:0];
  wire                s2_fwd       = s2_valid_reg && s2_is_write && s2_can_place;   // speculative
  wire                s2_commit    = s2_valid_reg && !halted;
  wire                tbl_wr_en    = sweep_wr_reg || (s2_commit && s2_is_write && s2_can_place);

  wire [WORD_BITS-1:0] tbl_rd_data;

  // One word per set; storage_unit never uses the read data of a same-cycle write collision,
  // it forwards its own pending writes instead.
  ram_sdp #(
    .WIDTH(WORD_BITS),
    .DEPTH(SETS)
  ) storage_table_inst (
    .clk(clk),
    .wr_en(tbl_wr_en),
    .wr_addr(s2_idx_reg),
    .wr_data(s2_word),
    .rd_en(take_record),
    .rd_addr(in_idx),
    .rd_data(tbl_rd_data)
  );

  assign s_ready        = state_reg == STATE_HEADER || want_record;
  assign res_valid      = state_reg == STATE_RESPOND;
  assign res_status     = res_status_reg;
  assign res_has_result = res_has_result_reg;
  assign res_data       = res_data_reg;
  assign busy           = state_reg != STATE_IDLE || cmd_pending_reg;

  // Length of the frame being started (cmd_start, or one that came during the sweep after rst)
  wire [15:0] start_len = cmd_start ? cmd_len : cmd_len_reg;

  // Header word fields (STATE_HEADER)
  wire [7:0] hdr_op    = s_word[7:0];
  wire       hdr_first = (s_word[15:8] & evm_fpga_pkg::STORAGE_FLAG_FIRST) != 8'd0;

  // Pipeline datapath: only clocked while records are in flight.
  always @(posedge clk) begin
    s1_valid_reg <= take_record;
    if (take_record) begin
      s1_record_reg <= s_word;
      s1_idx_reg    <= in_idx;
    end
    if (s1_valid_reg || s2_valid_reg || fwd_valid_reg) begin
      s2_valid_reg <= s1_valid_reg;
      if (s1_valid_reg) begin
        s2_record_reg <= s1_record_reg;
        s2_idx_reg    <= s1_idx_reg;
        s2_lookup_reg <= lookup(s2_fwd && s2_idx_reg == s1_idx_reg ? s2_word :
                                fwd_valid_reg && fwd_idx_reg == s1_idx_reg ? fwd_word_reg : tbl_rd_data,
                                epoch_reg, s1_record_reg[30:SET_BITS], s1_record_reg[47:32]);
      end
      fwd_valid_reg <= s2_fwd;
      if (s2_fwd) begin
        fwd_idx_reg  <= s2_idx_reg;
        fwd_word_reg <= s2_word;
      end
    end
    sweep_wr_reg <= state_reg == STATE_SWEEP;
    if (state_reg == STATE_SWEEP) begin
      s2_idx_reg    <= sweep_idx_reg;
      s2_lookup_reg <= {LOOKUP_BITS{1'b0}};   // epoch 0: empty
    end

    if (rst) begin
      s1_valid_reg  <= 1'b0;
      s2_valid_reg  <= 1'b0;
      fwd_valid_reg <= 1'b0;
      sweep_wr_reg  <= 1'b0;
    end
  end

  // Control, commit stage and frame result.
  always @(posedge clk) begin
    if (take_record) begin
      words_left_reg <= words_left_reg - 10'd1;
    end
    if ((state_reg != STATE_IDLE && state_reg != STATE_RESPOND) || cmd_pending_reg) begin
      cycles_reg <= cycles_reg + 32'd1;
    end

    // Commit, in record order.
    if (s2_commit) begin
      looked_reg <= looked_reg + 16'd1;
      if (!s2_is_write) begin
        if (s2_found != s2_version) begin
          stopped_reg      <= 1'b1;
          invalid_reg      <= 1'b1;
          invalid_tx_reg   <= s2_tx;
          conflict_key_reg <= s2_record_reg[30:0];
        end
      end else if (!s2_can_place) begin
        overflow_reg <= 1'b1;
      end
    end

    case (state_reg)
      STATE_IDLE: begin
        if (cmd_start || cmd_pending_reg) begin
          cmd_pending_reg    <= 1'b0;
          if (cmd_start) begin
            cycles_reg <= 32'd1;
          end
          looked_reg         <= 16'd0;
          invalid_reg        <= 1'b0;
          was_stopped_reg    <= 1'b0;
          invalid_tx_reg     <= 16'd0;
          conflict_key_reg   <= 31'd0;
          res_status_reg     <= evm_fpga_pkg::STATUS_BAD_LENGTH;
          res_has_result_reg <= 1'b0;
          res_data_reg       <= 128'd0;
          words_left_reg     <= 10'(start_len[15:3] - 13'd1);
          has_records_reg    <= start_len[15:3] > 13'd1;
          if (start_len < 16'(evm_fpga_pkg::STORAGE_HEADER_BYTES) || start_len[2:0] != 3'd0 ||
              start_len[15:3] > 13'(MAX_RECORDS + 1)) begin
            state_reg <= STATE_RESPOND;
          end else begin
            state_reg <= STATE_HEADER;
          end
        end
      end
      STATE_HEADER: begin
        if (s_valid) begin
          if (hdr_op == evm_fpga_pkg::STORAGE_OP_RESET && !has_records_reg) begin
            stopped_reg  <= 1'b0;
            overflow_reg <= 1'b0;
            res_status_reg     <= evm_fpga_pkg::STATUS_OK;
            res_has_result_reg <= 1'b1;
            if (epoch_reg == LAST_EPOCH) begin
              epoch_reg        <= EPOCH_ONE;
              sweep_idx_reg    <= {SET_BITS{1'b0}};
              sweep_answer_reg <= 1'b1;
              state_reg        <= STATE_SWEEP;
            end else begin
              epoch_reg <= epoch_reg + EPOCH_ONE;
              state_reg <= STATE_RESPOND;
              res_data_reg[127:96] <= cycles_reg + 32'd1;
            end
          end else if (hdr_op == evm_fpga_pkg::STORAGE_OP_CHECK) begin
            res_status_reg     <= evm_fpga_pkg::STATUS_OK;
            res_has_result_reg <= 1'b1;
            if (hdr_first) begin
              stopped_reg <= 1'b0;
            end
            was_stopped_reg <= stopped_reg && !hdr_first;
            if ((stopped_reg && !hdr_first) || overflow_reg || !has_records_reg) begin
              state_reg    <= STATE_RESPOND;
              res_data_reg <= {cycles_reg + 32'd1, 32'd0, 32'd0,
                               8'd0, 5'd0, stopped_reg && !hdr_first, overflow_reg, 1'b0, 16'd0};
            end else begin
              state_reg <= STATE_RUN;
            end
          end else begin
            state_reg <= STATE_RESPOND;   // BAD_LENGTH: RESET with records, or an unknown OP
          end
        end
      end
      STATE_RUN: begin
        if (halted || (words_left_reg == 10'd0 && !s1_valid_reg && !s2_valid_reg)) begin
          state_reg    <= STATE_RESPOND;
          res_data_reg <= {cycles_reg + 32'd1, 1'b0, conflict_key_reg, 16'd0, invalid_tx_reg,
                           8'd0, 5'd0, was_stopped_reg, overflow_reg, invalid_reg, looked_reg};
        end
      end
      STATE_SWEEP: begin
        sweep_idx_reg <= sweep_idx_reg + {{(SET_BITS - 1){1'b0}}, 1'b1};
        if (cmd_start) begin
          cmd_pending_reg <= 1'b1;
          cmd_len_reg     <= cmd_len;
          cycles_reg      <= 32'd1;
        end
        if (sweep_idx_reg == {SET_BITS{1'b1}}) begin
          if (sweep_answer_reg) begin
            state_reg            <= STATE_RESPOND;
            res_data_reg[127:96] <= cycles_reg + 32'd1;
          end else begin
            state_reg <= STATE_IDLE;
          end
          sweep_answer_reg <= 1'b0;
        end
      end
      default: begin  // STATE_RESPOND
        if (res_ack) begin
          state_reg <= STATE_IDLE;
        end
      end
    endcase

    if (rst) begin
      state_reg        <= STATE_SWEEP;
      sweep_idx_reg    <= {SET_BITS{1'b0}};
      sweep_answer_reg <= 1'b0;
      cmd_pending_reg  <= 1'b0;
      epoch_reg        <= EPOCH_ONE;
      stopped_reg      <= 1'b0;
      overflow_reg     <= 1'b0;
      words_left_reg   <= 10'd0;
    end
  end

endmodule

`resetall
