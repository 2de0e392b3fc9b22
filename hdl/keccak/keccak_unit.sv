`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * The KECCAK command (docs/protocol.md): chunked Keccak-256 over the one sponge context.
 *
 * Per frame: cmd_start latches the payload length; payload word 0 is the chunk header (OFFSET
 * u32 in bytes 0-3, FLAGS in byte 4, bit 0 FINAL); words 1.. carry the chunk's message bytes,
 * 8 per word, so message data is lane-aligned and a chunk always starts at lane 0 of a block
 * (every non-final chunk is a whole number of blocks).
 *
 * The header word is judged before any lane reaches the sponge, so a rejected chunk never
 * touches the state:
 *   - LEN < 8 (or above maxPayload): BAD_LENGTH, answered at once (no word is needed).
 *   - not FINAL and the data length is not 136, 272, ... 4080: BAD_LENGTH.
 *   - OFFSET > 0 and no open context or OFFSET != bytes absorbed so far: SEQUENCE.
 * The checks are made in this order, so a chunk wrong in both ways is BAD_LENGTH. Every error
 * discards the context (the next chunk must have OFFSET 0); the sponge itself is left as it is
 * (a running permutation finishes, or parks before its last step), so nothing can wedge: a new
 * message only waits for the sponge to go idle before clearing it.
 *
 * Accepted chunks stream one lane per clock into the sponge whenever it can take one. Keccak
 * padding is applied per lane as lanes pass: bytes past the message are zeroed, 0x01 goes right
 * after the last message byte and 0x80 into byte 7 of lane 16 of the final block (together
 * 0x81); after the last message word the remaining lanes of the block are generated without
 * consuming words (a message that fills its last block gets a whole padding block). A non-final
 * chunk is answered OK once its last lane is in the sponge (its last permutation may still be
 * running); a final chunk is answered OK with the digest when the last permutation is done.
 *
 * The unit takes exactly ceil(LEN/8) words for an accepted chunk and only the header word for a
 * rejected one; res_valid never rises while words are still needed.
 */
module keccak_unit #(
  parameter integer KECCAK_CORE = 0,     // 0: keccak_sponge (ROUNDS_PER_CLK rounds per clock);
                                         // 1: keccak_sponge_compact (lane-serial, 1,536 clocks per permutation);
                                         // 2: keccak_sponge_lean (1 round per clock, no block buffer)
  parameter integer ROUNDS_PER_CLK = 1   // Keccak-f rounds per clock (keccak_sponge); must divide 24
) (
  input  wire         clk,
  input  wire         rst,

  input  wire         cmd_start,       // 1-cycle pulse: a KECCAK frame begins; cmd_len valid with it
  input  wire [15:0]  cmd_len,         // payload length in bytes (chunk header included)
  input  wire [63:0]  s_word,          // payload words in order, word 0 = chunk header
  input  wire         s_valid,
  output wire         s_ready,

  output wire         res_valid,       // held until res_ack
  output wire [7:0]   res_status,      // evm_fpga_pkg::STATUS_OK / STATUS_BAD_LENGTH / STATUS_SEQUENCE
  output wire         res_has_digest,  // OK answer to a FINAL chunk
  output wire [255:0] res_digest,      // byte i = res_digest[8i+7:8i]
  input  wire         res_ack,         // 1-cycle pulse: the dispatcher took the result

  output wire         busy,            // sponge busy (keccakCycles counter)
  output wire         perm_done,       // 1-cycle pulse per permutation (permutations counter)
  output wire         perm_step,       // a permutation step ran this cycle (permutationCycles counter)
  output wire         hash_done        // 1-cycle pulse per digest produced (hashes counter)
);

  localparam integer RATE_BYTES   = evm_fpga_pkg::KECCAK_RATE_BYTES;
  localparam integer HEADER_BYTES = evm_fpga_pkg::KECCAK_CHUNK_HEADER_BYTES;
  localparam integer MAX_BLOCKS   = (32'(evm_fpga_pkg::MAX_PAYLOAD) - HEADER_BYTES) / RATE_BYTES;

  generate
    if (RATE_BYTES != 136 || HEADER_BYTES != 8) begin : g_check_layout
      $fatal(1, "keccak_unit: written for a 136-byte rate (17 lanes) and an 8-byte chunk header");
    end
    if (KECCAK_CORE != 0 && KECCAK_CORE != 1 && KECCAK_CORE != 2) begin : g_check_core
      $fatal(1, "keccak_unit: KECCAK_CORE must be 0 (keccak_sponge), 1 (keccak_sponge_compact) or 2 (keccak_sponge_lean)");
    end
    if (KECCAK_CORE == 2 && ROUNDS_PER_CLK != 1) begin : g_check_lean_rounds
      $fatal(1, "keccak_unit: keccak_sponge_lean runs one round per clock (ROUNDS_PER_CLK = 1)");
    end
    if (32'(evm_fpga_pkg::MAX_PAYLOAD) > 8192 + HEADER_BYTES) begin : g_check_max_payload
      $fatal(1, "keccak_unit: chunk data length must fit the 13-bit byte counter");
    end
  endgenerate

  localparam [2:0]
    STATE_IDLE    = 3'd0,   // waiting for cmd_start
    STATE_HEADER  = 3'd1,   // taking the chunk header word and judging the chunk
    STATE_INIT    = 3'd2,   // new message: waiting for the sponge to go idle, then clearing it
    STATE_DATA    = 3'd3,   // streaming lanes (message words, then padding) into the sponge
    STATE_DIGEST  = 3'd4,   // final chunk: waiting for the last permutation
    STATE_RESPOND = 3'd5;   // res_valid until res_ack

  reg [2:0]   state_reg = STATE_IDLE;
  reg [12:0]  data_len_reg = 13'd0;     // chunk data bytes (LEN - 8), 0..4088
  reg [12:0]  bytes_left_reg = 13'd0;   // chunk data bytes not yet sent to the sponge
  reg [4:0]   lane_reg = 5'd0;          // position of the next lane in its block, 0..16
  reg         final_reg = 1'b0;         // the current chunk has FINAL
  reg         pad_done_reg = 1'b0;      // the 0x01 padding byte has been sent
  reg [31:0]  absorbed_reg = 32'd0;     // message bytes in accepted chunks of the open context
  reg         context_reg = 1'b0;       // a message is open (non-final chunks accepted, no error)
  reg [7:0]   status_reg = 8'd0;
  reg         has_digest_reg = 1'b0;

  // Legal non-final data length: a positive whole number of blocks. Compared against the
  // multiples of 136 (no divider); fed from a register, so it settles once per chunk.
  reg         whole_blocks;
  integer     i;
  always @* begin
    whole_blocks = 1'b0;
    for (i = 1; i <= MAX_BLOCKS; i = i + 1) begin
      if (data_len_reg == 13'(RATE_BYTES * i)) begin
        whole_blocks = 1'b1;
      end
    end
  end

  // Chunk header fields (valid in STATE_HEADER with s_valid).
  wire [31:0] hdr_offset = s_word[31:0];
  wire        hdr_final  = s_word[32];
  wire        new_message = hdr_offset == 32'd0;
  wire        bad_length  = !hdr_final && !whole_blocks;
  wire        bad_offset  = !new_message && (!context_reg || hdr_offset != absorbed_reg);

  // Sponge side.
  wire        sponge_ready;
  wire        sponge_busy;
  wire        sponge_digest_valid;
  wire [255:0] sponge_digest;

  wire        in_data    = state_reg == STATE_DATA;
  wire        word_lane  = bytes_left_reg != 13'd0;         // this lane consumes a message word
  wire        full_lane  = bytes_left_reg[12:3] != 10'd0;   // ... all 8 of its bytes are message
  // The last lane of the message's final block: lane 16 once the 0x01 has been (or is being)
  // placed. A final chunk whose data reaches into lane 16 fully needs one more block.
  wire        last_lane  = final_reg && lane_reg == 5'd16 && (pad_done_reg || !full_lane);

  // Lane to the sponge, byte by byte: a message byte while bytes_left covers it, the 0x01 pad
  // byte right after the last message byte (at most once per message), else zero; plus 0x80 in
  // byte 7 of the final block's lane 16. Bytes of s_word past the message are never used.
  reg [63:0]  lane;
  integer     j;
  always @* begin
    for (j = 0; j < 8; j = j + 1) begin
      if (full_lane || 3'(j) < bytes_left_reg[2:0]) begin
        lane[8*j +: 8] = s_word[8*j +: 8];
      end else if (!pad_done_reg && 3'(j) == bytes_left_reg[2:0]) begin
        lane[8*j +: 8] = 8'h01;
      end else begin
        lane[8*j +: 8] = 8'h00;
      end
    end
    if (last_lane) begin
      lane[63:56] = lane[63:56] | 8'h80;
    end
  end

  wire sponge_valid = in_data && (!word_lane || s_valid);
  wire lane_take    = sponge_valid && sponge_ready;
  wire chunk_accept = state_reg == STATE_HEADER && s_valid && !bad_length && !bad_offset;
  // A new message clears the sponge in its header cycle when the sponge is idle; otherwise
  // STATE_INIT waits for the running permutation (of an abandoned message) to finish.
  wire init         = !sponge_busy && ((chunk_accept && new_message) || state_reg == STATE_INIT);

  assign s_ready        = (state_reg == STATE_HEADER) || (in_data && word_lane && sponge_ready);
  assign res_valid      = state_reg == STATE_RESPOND;
  assign res_status     = status_reg;
  assign res_has_digest = has_digest_reg;
  assign res_digest     = sponge_digest;   // stable until the next message's init
  assign busy           = sponge_busy;
  assign hash_done      = state_reg == STATE_DIGEST && sponge_digest_valid;

  // The sponges have the same ports and protocol; the compact and lean ones take no lane while
  // they permute (s_ready low), which the lane stream below already waits for.
  generate
    if (KECCAK_CORE == 0) begin : g_sponge
      keccak_sponge #(
        .ROUNDS_PER_CLK (ROUNDS_PER_CLK)
      ) u_sponge (
        .clk          (clk),
        .rst          (rst),
        .init         (init),
        .s_lane       (lane),
        .s_valid      (sponge_valid),
        .s_last       (last_lane),
        .s_ready      (sponge_ready),
        .digest       (sponge_digest),
        .digest_valid (sponge_digest_valid),
        .busy         (sponge_busy),
        .perm_done    (perm_done),
        .perm_step    (perm_step)
      );
    end else if (KECCAK_CORE == 2) begin : g_sponge_lean
      keccak_sponge_lean u_sponge (
        .clk          (clk),
        .rst          (rst),
        .init         (init),
        .s_lane       (lane),
        .s_valid      (sponge_valid),
        .s_last       (last_lane),
        .s_ready      (sponge_ready),
        .digest       (sponge_digest),
        .digest_valid (sponge_digest_valid),
        .busy         (sponge_busy),
        .perm_done    (perm_done),
        .perm_step    (perm_step)
      );
    end else begin : g_sponge_compact
      keccak_sponge_compact u_sponge (
        .clk          (clk),
        .rst          (rst),
        .init         (init),
        .s_lane       (lane),
        .s_valid      (sponge_valid),
        .s_last       (last_lane),
        .s_ready      (sponge_ready),
        .digest       (sponge_digest),
        .digest_valid (sponge_digest_valid),
        .busy         (sponge_busy),
        .perm_done    (perm_done),
        .perm_step    (perm_step)
      );
    end
  endgenerate

  always @(posedge clk) begin
    case (state_reg)
      STATE_IDLE: begin
        if (cmd_start) begin
          data_len_reg   <= cmd_len[12:0] - 13'(HEADER_BYTES);
          has_digest_reg <= 1'b0;
          if (cmd_len < 16'(HEADER_BYTES) || cmd_len > evm_fpga_pkg::MAX_PAYLOAD) begin
            status_reg  <= evm_fpga_pkg::STATUS_BAD_LENGTH;
            context_reg <= 1'b0;
            state_reg   <= STATE_RESPOND;
          end else begin
            state_reg <= STATE_HEADER;
          end
        end
      end
      STATE_HEADER: begin
        if (s_valid) begin
          if (bad_length || bad_offset) begin
            status_reg  <= bad_length ? evm_fpga_pkg::STATUS_BAD_LENGTH
                                      : evm_fpga_pkg::STATUS_SEQUENCE;
            context_reg <= 1'b0;
            state_reg   <= STATE_RESPOND;
          end else begin
            status_reg     <= evm_fpga_pkg::STATUS_OK;
            has_digest_reg <= hdr_final;
            final_reg      <= hdr_final;
            bytes_left_reg <= data_len_reg;
            lane_reg       <= 5'd0;
            pad_done_reg   <= 1'b0;
            // Counted when the chunk is accepted: its whole frame is already buffered, so
            // every accepted byte does reach the sponge.
            absorbed_reg   <= (new_message ? 32'd0 : absorbed_reg) + {19'd0, data_len_reg};
            context_reg    <= !hdr_final;
            state_reg      <= new_message && sponge_busy ? STATE_INIT : STATE_DATA;
          end
        end
      end
      STATE_INIT: begin
        if (init) begin
          state_reg <= STATE_DATA;
        end
      end
      STATE_DATA: begin
        if (lane_take) begin
          lane_reg       <= lane_reg == 5'd16 ? 5'd0 : lane_reg + 5'd1;
          bytes_left_reg <= full_lane ? bytes_left_reg - 13'd8 : 13'd0;
          if (!full_lane) begin
            pad_done_reg <= 1'b1;
          end
          if (last_lane) begin
            state_reg <= STATE_DIGEST;
          end else if (!final_reg && bytes_left_reg == 13'd8) begin
            state_reg <= STATE_RESPOND;   // last lane of a non-final chunk
          end
        end
      end
      STATE_DIGEST: begin
        if (sponge_digest_valid) begin
          state_reg <= STATE_RESPOND;
        end
      end
      default: begin  // STATE_RESPOND
        if (res_ack) begin
          state_reg <= STATE_IDLE;
        end
      end
    endcase

    if (rst) begin
      state_reg    <= STATE_IDLE;
      context_reg  <= 1'b0;
      absorbed_reg <= 32'd0;
    end
  end

endmodule

`resetall
