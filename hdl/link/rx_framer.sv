`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Receive framer: turns the incoming byte stream into receive-ring entries.
 *
 * It hunts for SOF, parses LEN, CMD and ID, packs the payload into 64-bit words (payload byte 0
 * in bits [7:0]) written behind a reserved header word, checks the CRC-32, and then writes the
 * header word and commits the entry (advances the committed write pointer the dispatcher sees).
 * Every frame whose header was parsed becomes exactly one entry, good or an error descriptor
 * (a header word with a non-OK status and LEN 0), so answers keep arrival order:
 *   - CRC mismatch: STATUS_CRC with CMD and ID as received; the payload words are abandoned.
 *   - LEN > MAX_PAYLOAD: STATUS_OVERSIZE as soon as the header is in, then hunt from the next byte.
 *   - FRAME_TIMEOUT_CYCLES without a byte mid-frame: after a complete header STATUS_TRUNCATED;
 *     with the header incomplete (ID not yet in) the frame is dropped silently, since there is
 *     no id worth answering, and counted through frame_dropped.
 *   - Not enough free ring words for 1 + ceil(LEN/8): with backpressure_en (byte-stream port)
 *     the last header byte is not accepted until there are; without (UART, which cannot be
 *     stalled) the frame's remaining LEN + 4 bytes are skipped and STATUS_OVERFLOW is queued if
 *     one word is free, else the frame is dropped silently (frame_dropped).
 *
 * Ring entry header word: [7:0] status, [15:8] cmd, [31:16] id, [47:32] len (0 for error
 * descriptors), [63:48] 0; ceil(len/8) payload words follow.
 * One ring write per cycle at most; the write port is driven combinationally from state and the
 * input byte (which comes from a register, the top's skid buffer).
 */
module rx_framer #(
  parameter integer RING_WORDS = 1024,              // ring depth in 64-bit words; power of two
  parameter integer FRAME_TIMEOUT_CYCLES = 4194304, // mid-frame silence that drops a partial frame, >= 2
  parameter integer ADDR_WIDTH = $clog2(RING_WORDS) // ring address bits (derived; leave at default)
) (
  input  wire                  clk,
  input  wire                  rst,

  input  wire [7:0]            s_data,          // received bytes
  input  wire                  s_valid,
  output wire                  s_ready,

  input  wire                  backpressure_en, // 1: stall for ring space; 0: drop on overflow

  output wire                  ring_wr_en,
  output wire [ADDR_WIDTH-1:0] ring_wr_addr,
  output wire [63:0]           ring_wr_data,
  output wire [ADDR_WIDTH:0]   wr_commit_ptr,   // words [rd_release_ptr, wr_commit_ptr) hold entries
  input  wire [ADDR_WIDTH:0]   rd_release_ptr,  // dispatcher's release pointer

  output wire                  idle,            // hunting for SOF: no frame in progress
  output wire                  frame_ok,        // pulse: a frame passed its CRC and was committed
  output wire                  crc_error,       // pulse: a frame failed its CRC
  output wire                  frame_dropped    // pulse: a frame dropped without any answer
);

  generate
    if (RING_WORDS < 1 + ({16'd0, evm_fpga_pkg::MAX_PAYLOAD} >> 3) || (RING_WORDS & (RING_WORDS - 1)) != 0) begin : g_check_ring
      $fatal(1, "rx_framer: RING_WORDS must be a power of two >= 1 + MAX_PAYLOAD/8");
    end
    if (FRAME_TIMEOUT_CYCLES < 2) begin : g_check_timeout
      $fatal(1, "rx_framer: FRAME_TIMEOUT_CYCLES must be at least 2");
    end
    if (RING_WORDS > 32'h40000000) begin : g_check_ring_max
      $fatal(1, "rx_framer: RING_WORDS must be at most 2**30");
    end
    if (ADDR_WIDTH != $clog2(RING_WORDS)) begin : g_check_addr
      $fatal(1, "rx_framer: ADDR_WIDTH must equal $clog2(RING_WORDS)");
    end
  endgenerate

  localparam integer PW = ADDR_WIDTH + 1;   // pointer width: address plus wrap bit
  localparam [PW-1:0] RING_WORDS_P = PW'(RING_WORDS);
  localparam integer TW = $clog2(FRAME_TIMEOUT_CYCLES);
  localparam [TW-1:0] TIMER_LAST = TW'(FRAME_TIMEOUT_CYCLES - 1);

  localparam [3:0]
    STATE_HUNT    = 4'd0,   // skip bytes until SOF
    STATE_LEN0    = 4'd1,
    STATE_LEN1    = 4'd2,
    STATE_CMD     = 4'd3,
    STATE_ID0     = 4'd4,
    STATE_ID1     = 4'd5,   // last header byte: decides where the frame goes
    STATE_PAYLOAD = 4'd6,
    STATE_CRC0    = 4'd7,
    STATE_CRC1    = 4'd8,
    STATE_CRC2    = 4'd9,
    STATE_CRC3    = 4'd10,
    STATE_SKIP    = 4'd11;  // discarding the rest of a frame that had no ring space

  reg [3:0]    state_reg = STATE_HUNT, state_next;
  reg [15:0]   len_reg = 16'd0, len_next;
  reg [7:0]    cmd_reg = 8'd0, cmd_next;
  reg [15:0]   id_reg = 16'd0, id_next;
  reg [31:0]   crc_reg = 32'hFFFFFFFF, crc_next;
  reg [23:0]   crc_rx_reg = 24'd0, crc_rx_next;   // first three received CRC bytes
  reg [15:0]   pay_cnt_reg = 16'd0, pay_cnt_next; // payload bytes received so far
  reg [63:0]   word_reg = 64'd0, word_next;       // payload word being packed
  reg [PW-1:0] data_ptr_reg = {PW{1'b0}}, data_ptr_next;   // where the next payload word goes
  reg [PW-1:0] commit_reg = {PW{1'b0}}, commit_next;
  reg [16:0]   skip_reg = 17'd0, skip_next;       // bytes left to discard in STATE_SKIP
  reg [TW-1:0] timer_reg = {TW{1'b0}}, timer_next; // cycles since the last byte, mid-frame
  reg          frame_ok_reg = 1'b0, frame_ok_next;
  reg          crc_error_reg = 1'b0, crc_error_next;
  reg          dropped_reg = 1'b0, dropped_next;

  reg                  wr_en;
  reg [ADDR_WIDTH-1:0] wr_addr;
  reg [63:0]           wr_data;

  // Ring occupancy, from registers only. used is in 0..RING_WORDS thanks to the wrap bit.
  wire [PW-1:0] used_words = commit_reg - rd_release_ptr;
  wire [PW-1:0] free_words = RING_WORDS_P - used_words;
  // Words the frame needs: header + ceil(LEN/8). Only meaningful when LEN <= MAX_PAYLOAD.
  wire [13:0]   need_words = {1'b0, len_reg[15:3]} + {13'd0, |len_reg[2:0]} + 14'd1;
  wire          oversize = len_reg > evm_fpga_pkg::MAX_PAYLOAD;
  wire          room_one = free_words != {PW{1'b0}};
  wire [31:0]   need_words32 = {18'd0, need_words};   // both sides widened to 32 bits for the compare
  wire          room_need = {{(32 - PW){1'b0}}, free_words} >= need_words32;
  wire          room_ok = oversize ? room_one : room_need;
  // Byte-stream mode holds the last header byte back until the frame's words are free.
  wire          stalled = state_reg == STATE_ID1 && backpressure_en && !room_ok;

  wire          take = s_valid && !stalled;
  wire [31:0]   crc_updated;

  crc32_byte crc_unit (
    .crc_in(crc_reg),
    .data(s_data),
    .crc_out(crc_updated)
  );

  assign s_ready       = !stalled;
  assign ring_wr_en    = wr_en;
  assign ring_wr_addr  = wr_addr;
  assign ring_wr_data  = wr_data;
  assign wr_commit_ptr = commit_reg;
  assign idle          = state_reg == STATE_HUNT;
  assign frame_ok      = frame_ok_reg;
  assign crc_error     = crc_error_reg;
  assign frame_dropped = dropped_reg;

  // Ring entry header word; error descriptors pass LEN 0 (no payload words follow).
  function [63:0] descriptor(input [7:0] status, input [7:0] cmd, input [15:0] id, input [15:0] len);
    descriptor = {16'd0, len, id, cmd, status};
  endfunction

  integer lane;

  always @* begin
    state_next     = state_reg;
    len_next       = len_reg;
    cmd_next       = cmd_reg;
    id_next        = id_reg;
    crc_next       = crc_reg;
    crc_rx_next    = crc_rx_reg;
    pay_cnt_next   = pay_cnt_reg;
    word_next      = word_reg;
    data_ptr_next  = data_ptr_reg;
    commit_next    = commit_reg;
    skip_next      = skip_reg;
    timer_next     = timer_reg;
    frame_ok_next  = 1'b0;
    crc_error_next = 1'b0;
    dropped_next   = 1'b0;
    wr_en          = 1'b0;
    wr_addr        = commit_reg[ADDR_WIDTH-1:0];   // header word of the frame
    wr_data        = 64'd0;

    if (take) begin
      timer_next = {TW{1'b0}};
      case (state_reg)
        STATE_HUNT: begin
          if (s_data == evm_fpga_pkg::FRAME_SOF) begin
            crc_next   = 32'hFFFFFFFF;
            state_next = STATE_LEN0;
          end
        end
        STATE_LEN0: begin
          len_next[7:0] = s_data;
          crc_next      = crc_updated;
          state_next    = STATE_LEN1;
        end
        STATE_LEN1: begin
          len_next[15:8] = s_data;
          crc_next       = crc_updated;
          state_next     = STATE_CMD;
        end
        STATE_CMD: begin
          cmd_next   = s_data;
          crc_next   = crc_updated;
          state_next = STATE_ID0;
        end
        STATE_ID0: begin
          id_next[7:0] = s_data;
          crc_next     = crc_updated;
          state_next   = STATE_ID1;
        end
        STATE_ID1: begin
          id_next[15:8] = s_data;
          crc_next      = crc_updated;
          pay_cnt_next  = 16'd0;
          data_ptr_next = commit_reg + {{(PW - 1){1'b0}}, 1'b1};
          if (oversize) begin
            if (room_one) begin
              wr_en       = 1'b1;
              wr_data     = descriptor(evm_fpga_pkg::STATUS_OVERSIZE, cmd_reg, {s_data, id_reg[7:0]}, 16'd0);
              commit_next = commit_reg + {{(PW - 1){1'b0}}, 1'b1};
            end else begin
              dropped_next = 1'b1;
            end
            state_next = STATE_HUNT;
          end else if (room_need) begin
            state_next = (len_reg == 16'd0) ? STATE_CRC0 : STATE_PAYLOAD;
          end else begin
            // Only reachable without back-pressure (UART): no room, skip the frame.
            if (room_one) begin
              wr_en       = 1'b1;
              wr_data     = descriptor(evm_fpga_pkg::STATUS_OVERFLOW, cmd_reg, {s_data, id_reg[7:0]}, 16'd0);
              commit_next = commit_reg + {{(PW - 1){1'b0}}, 1'b1};
            end else begin
              dropped_next = 1'b1;
            end
            skip_next  = {1'b0, len_reg} + 17'd4;
            state_next = STATE_SKIP;
          end
        end
        STATE_PAYLOAD: begin
          for (lane = 0; lane < 8; lane = lane + 1) begin
            if (pay_cnt_reg[2:0] == lane[2:0]) begin
              word_next[8*lane +: 8] = s_data;
            end
          end
          crc_next     = crc_updated;
          pay_cnt_next = pay_cnt_reg + 16'd1;
          if (pay_cnt_reg[2:0] == 3'd7 || pay_cnt_next == len_reg) begin
            // Word full, or the last payload byte: store it (lanes past LEN are stale).
            wr_en         = 1'b1;
            wr_addr       = data_ptr_reg[ADDR_WIDTH-1:0];
            wr_data       = word_next;
            data_ptr_next = data_ptr_reg + {{(PW - 1){1'b0}}, 1'b1};
          end
          if (pay_cnt_next == len_reg) begin
            state_next = STATE_CRC0;
          end
        end
        STATE_CRC0: begin
          crc_rx_next[7:0] = s_data;
          state_next       = STATE_CRC1;
        end
        STATE_CRC1: begin
          crc_rx_next[15:8] = s_data;
          state_next        = STATE_CRC2;
        end
        STATE_CRC2: begin
          crc_rx_next[23:16] = s_data;
          state_next         = STATE_CRC3;
        end
        STATE_CRC3: begin
          wr_en = 1'b1;
          if ({s_data, crc_rx_reg} == ~crc_reg) begin
            wr_data       = descriptor(evm_fpga_pkg::STATUS_OK, cmd_reg, id_reg, len_reg);
            commit_next   = commit_reg + PW'(need_words);
            frame_ok_next = 1'b1;
          end else begin
            wr_data        = descriptor(evm_fpga_pkg::STATUS_CRC, cmd_reg, id_reg, 16'd0);
            commit_next    = commit_reg + {{(PW - 1){1'b0}}, 1'b1};
            crc_error_next = 1'b1;
          end
          state_next = STATE_HUNT;
        end
        default: begin  // STATE_SKIP
          skip_next = skip_reg - 17'd1;
          if (skip_reg == 17'd1) begin
            state_next = STATE_HUNT;
          end
        end
      endcase
    end else if (state_reg != STATE_HUNT && !stalled) begin
      // Mid-frame and no byte this cycle: count towards the timeout.
      timer_next = timer_reg + {{(TW - 1){1'b0}}, 1'b1};
      if (timer_reg == TIMER_LAST) begin
        timer_next = {TW{1'b0}};
        state_next = STATE_HUNT;
        if (state_reg == STATE_PAYLOAD || state_reg == STATE_CRC0 || state_reg == STATE_CRC1 ||
            state_reg == STATE_CRC2 || state_reg == STATE_CRC3) begin
          // Header complete and its ring words reserved: answer TRUNCATED.
          wr_en       = 1'b1;
          wr_data     = descriptor(evm_fpga_pkg::STATUS_TRUNCATED, cmd_reg, id_reg, 16'd0);
          commit_next = commit_reg + {{(PW - 1){1'b0}}, 1'b1};
        end else if (state_reg != STATE_SKIP) begin
          // Header incomplete: nothing to answer.
          dropped_next = 1'b1;
        end
      end
    end
  end

  always @(posedge clk) begin
    state_reg     <= state_next;
    len_reg       <= len_next;
    cmd_reg       <= cmd_next;
    id_reg        <= id_next;
    crc_reg       <= crc_next;
    crc_rx_reg    <= crc_rx_next;
    pay_cnt_reg   <= pay_cnt_next;
    word_reg      <= word_next;
    data_ptr_reg  <= data_ptr_next;
    commit_reg    <= commit_next;
    skip_reg      <= skip_next;
    timer_reg     <= timer_next;
    frame_ok_reg  <= frame_ok_next;
    crc_error_reg <= crc_error_next;
    dropped_reg   <= dropped_next;

    if (rst) begin
      state_reg     <= STATE_HUNT;
      commit_reg    <= {PW{1'b0}};
      timer_reg     <= {TW{1'b0}};
      frame_ok_reg  <= 1'b0;
      crc_error_reg <= 1'b0;
      dropped_reg   <= 1'b0;
    end
  end

endmodule

`resetall
