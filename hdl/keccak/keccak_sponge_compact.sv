`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Compact Keccak[r=1088, c=512] sponge for small FPGAs (the iCE40 UP5K): the same ports and
 * protocol as keccak_sponge, but a 64-bit lane-serial datapath with the state in block RAM.
 *
 * Storage (all in ram_sdp, one registered read and one write per clock each):
 *   - state_ram, 64 words: the state A at words 0-24 (lane x+5y at word x+5y) and the
 *     theta-rho-pi result B at words 32-56 (lane x+5y at 32+x+5y).
 *   - parity_ram, 8 words: the column parities C[x] of A at words 0-4, kept up to date as
 *     lanes are written, so theta never needs a separate pass over the state.
 * Two 64-bit registers (r0, r1) serve as theta's D[x] and its C[x-1] latch, as chi's window of
 * two lanes, and as the absorbed lane: every pass uses them differently.
 *
 * Passes, each a run of "items" issued one per clock (address out, stage 0) and completed one
 * clock later (read data back, stage 1), with one idle clock after each pass so the next pass
 * reads what the last one wrote:
 *   - absorb (25 items, + 1): lane i of A ^= s_lane for i < 17 (from the port, one per clock
 *     while s_valid), ^= 0 for i >= 17; the new lanes' column parities go to parity_ram.
 *     The first block after init ignores the old state (it is written, not XOR-ed), which is
 *     how init clears a state that lives in RAM.
 *   - theta-rho-pi (27 items, + 1): column by column, D[x] = C[x-1] ^ rot(C[x+1], 1) is formed
 *     in r0 from two parity_ram reads; each lane of the column is read, XOR-ed with D[x],
 *     rotated by its rho offset (one 64-bit barrel rotator) and written to its pi position in B.
 *   - chi-iota (35 items, + 1): row by row, B[0..4], B[0], B[1] are read (7 reads per row) and
 *     shifted through r0/r1; from the third read on, lane X of the row is
 *     r0 ^ (~r1 & read) = B[X] ^ (~B[X+1] & B[X+2]), iota on lane (0,0), written to A, and
 *     accumulated into the next round's parities (the first row overwrites them).
 * A permutation is 24 rounds of 28 + 36 = 64 clocks: 1,536 clocks (perm_step counts exactly
 * these, so INFO's permutationCycles / permutations = 1,536). Absorbing a block takes 26 clocks
 * when the lanes come one per clock. The port takes no lane while a permutation runs (there is
 * no block buffer: the lanes go straight into the state); after a non-final block the sponge
 * waits in the absorb pass ("parked", not busy) for the next block.
 *
 * The digest (lanes 0-3 of A) is copied into a 256-bit register as chi writes those lanes, so
 * it is held, like keccak_sponge's, until the next init.
 */
module keccak_sponge_compact (
  input  wire         clk,
  input  wire         rst,

  input  wire         init,          // pulse: clear state for a new message (only used while !busy)
  input  wire [63:0]  s_lane,        // next rate lane of the PADDED message (byte 0 in [7:0])
  input  wire         s_valid,
  input  wire         s_last,        // with lane 16 of the final block
  output wire         s_ready,

  output wire [255:0] digest,        // lanes 0-3 of the final state, valid while digest_valid
  output wire         digest_valid,  // set when the final block's permutation is done; cleared by init
  output wire         busy,          // absorbing past the port's lanes or permuting (waiting for lanes is idle)
  output wire         perm_done,     // 1-cycle pulse per completed permutation
  output wire         perm_step      // a permutation clock (24 x 64 per permutation)
);

  localparam integer RATE_LANES = 17;
  localparam [5:0]   B_BASE = 6'd32;   // word of B's lane 0 in state_ram

  // ---------------------------------------------------------------- elaboration-time tables

  // rho offset of lane x+5y (FIPS 202 3.2.2): walk (x,y) -> (y, 2x+3y) from (1,0), offset
  // (t+1)(t+2)/2 mod 64 at step t.
  function [383:0] rho_table(input integer steps);   // steps = 24: every lane but (0,0)
    integer t, x, y, nx;
    begin
      rho_table = 384'd0;
      x = 1;
      y = 0;
      for (t = 0; t < steps; t = t + 1) begin
        rho_table[6*(x+5*y) +: 6] = 6'(((t + 1) * (t + 2) / 2) % 64);
        nx = y;
        y = (2 * x + 3 * y) % 5;
        x = nx;
      end
    end
  endfunction

  // iota round constants from the rc(t) LFSR (FIPS 202 3.2.5): bit 2^j - 1 of RC[i] is
  // rc(j + 7i), j = 0..6. Padded to 32 entries (rounds 24-31 never occur) so that any 5-bit
  // index selects inside the table.
  function [2047:0] iota_table(input integer rounds);   // rounds = 24
    integer i, j;
    reg [7:0] lfsr;
    begin
      iota_table = 2048'd0;
      lfsr = 8'h01;
      for (i = 0; i < rounds; i = i + 1) begin
        for (j = 0; j < 7; j = j + 1) begin
          iota_table[64*i + (1 << j) - 1] = lfsr[0];
          // One step of the LFSR x^8 + x^6 + x^5 + x^4 + 1.
          lfsr = lfsr[7] ? ({lfsr[6:0], 1'b0} ^ 8'h71) : {lfsr[6:0], 1'b0};
        end
      end
    end
  endfunction

  // Theta-rho-pi item k = 0..24 (column x = k/5, row y = k%5): {rotation, B word, A word};
  // padded to 32 entries (zero) like the iota table.
  function [511:0] theta_table(input [383:0] rho);
    integer k, x, y;
    begin
      theta_table = 512'd0;
      for (k = 0; k < 25; k = k + 1) begin
        x = k / 5;
        y = k % 5;
        theta_table[16*k +: 16] = {rho[6*(x+5*y) +: 6], 5'(y + 5 * ((2 * x + 3 * y) % 5)), 5'(x + 5 * y)};
      end
    end
  endfunction

  localparam [383:0]  RHO    = rho_table(24);
  localparam [2047:0] IOTA   = iota_table(24);
  localparam [511:0]  THETA  = theta_table(RHO);

  // ---------------------------------------------------------------- sequencer (stage 0)

  localparam [1:0]
    PASS_IDLE   = 2'd0,   // no message, or the final permutation is done
    PASS_ABSORB = 2'd1,
    PASS_THETA  = 2'd2,
    PASS_CHI    = 2'd3;

  reg [1:0]  pass_reg = PASS_IDLE;
  reg        gap_reg = 1'b0;         // the idle clock after a pass's last item
  reg [4:0]  item_reg = 5'd0;        // item within the pass (absorb: lane; theta: 0..26; chi: 0..6 of a row)
  reg [2:0]  col_reg = 3'd0;         // absorb: item % 5
  reg [2:0]  row_reg = 3'd0;         // chi: row of B
  reg [4:0]  round_reg = 5'd0;
  reg        fresh_reg = 1'b0;       // the first block of a message: overwrite the state
  reg        final_reg = 1'b0;       // the block being absorbed or permuted is the last one
  reg        digest_valid_reg = 1'b0;

  wire absorbing   = pass_reg == PASS_ABSORB && !gap_reg;
  wire port_lane   = absorbing && item_reg < 5'(RATE_LANES);
  wire lane_take   = s_valid && s_ready;
  wire absorb_item = lane_take || (absorbing && !port_lane);
  wire theta_item  = pass_reg == PASS_THETA && !gap_reg;
  wire chi_item    = pass_reg == PASS_CHI && !gap_reg;
  wire last_item   = (absorb_item && item_reg == 5'd24) || (theta_item && item_reg == 5'd26) ||
                     (chi_item && item_reg == 5'd6 && row_reg == 3'd4);

  // Theta items: lanes at item 2..26; C[x-1] latched at 0, 5, .. 20; D[x] formed at 1, 6, .. 21.
  wire [4:0]  theta_k    = item_reg - 5'd2;
  wire        theta_lane = theta_item && item_reg >= 5'd2;
  wire [15:0] theta_row  = THETA[16*theta_k +: 16];
  reg  [2:0]  theta_col;   // item_reg / 5
  reg  [2:0]  theta_pos;   // item_reg % 5
  always @* begin
    theta_col = 3'd0;
    theta_pos = 3'(item_reg);
    if (item_reg >= 5'd25) begin
      theta_col = 3'd5;
      theta_pos = 3'(item_reg - 5'd25);
    end else if (item_reg >= 5'd20) begin
      theta_col = 3'd4;
      theta_pos = 3'(item_reg - 5'd20);
    end else if (item_reg >= 5'd15) begin
      theta_col = 3'd3;
      theta_pos = 3'(item_reg - 5'd15);
    end else if (item_reg >= 5'd10) begin
      theta_col = 3'd2;
      theta_pos = 3'(item_reg - 5'd10);
    end else if (item_reg >= 5'd5) begin
      theta_col = 3'd1;
      theta_pos = 3'(item_reg - 5'd5);
    end
  end
  wire theta_ldc = theta_item && theta_pos == 3'd0 && theta_col <= 3'd4;   // r1 <= C[col-1]
  wire theta_ldd = theta_item && theta_pos == 3'd1 && theta_col <= 3'd4;   // r0 <= r1 ^ rot(C[col+1], 1)
  function [2:0] mod5(input [3:0] v);   // v <= 9
    mod5 = v >= 4'd5 ? 3'(v - 4'd5) : v[2:0];
  endfunction

  // Chi items: read B lane (k % 5, row); lane k-2 of the row is written from k = 2 on.
  wire [2:0] chi_read_x = item_reg >= 5'd5 ? 3'(item_reg - 5'd5) : 3'(item_reg);
  wire [2:0] chi_out_x  = 3'(item_reg - 5'd2);
  wire       chi_out    = chi_item && item_reg >= 5'd2;

  // Memory addresses (stage 0).
  wire [4:0] row5 = {row_reg, 2'b00} + {2'b00, row_reg};   // 5 * row
  reg  [5:0] state_rd_addr;
  reg  [2:0] parity_rd_addr;
  always @* begin
    state_rd_addr  = {1'b0, item_reg};                       // absorb: lane i
    parity_rd_addr = col_reg;                                // absorb: C[i % 5]
    if (pass_reg == PASS_THETA) begin
      state_rd_addr  = {1'b0, theta_row[4:0]};
      parity_rd_addr = mod5({1'b0, theta_col} + (theta_ldc ? 4'd4 : 4'd1));
    end else if (pass_reg == PASS_CHI) begin
      state_rd_addr  = B_BASE + {1'b0, row5 + {2'b00, chi_read_x}};
      parity_rd_addr = chi_out_x;
    end
  end

  // ---------------------------------------------------------------- stage 1 control

  reg        s1_absorb = 1'b0;      // absorb item: A[wr] = r0 ^ old (r0 if fresh), C update
  reg        s1_theta = 1'b0;       // theta lane: B[wr] = rot(A ^ r0)
  reg        s1_ldc = 1'b0;         // r1 <= parity read
  reg        s1_ldd = 1'b0;         // r0 <= r1 ^ rot(parity read, 1)
  reg        s1_chi = 1'b0;         // chi read: shift r0 <= r1 <= read
  reg        s1_chi_out = 1'b0;     // ... and write lane chi_out_x of the row, C update
  reg        s1_clear = 1'b0;       // the C update overwrites instead of accumulating
  reg        s1_iota = 1'b0;        // lane (0,0): XOR the round constant
  reg [3:0]  s1_digest = 4'd0;      // one-hot: copy the written lane into digest lane n
  reg [5:0]  s1_wr_addr = 6'd0;
  reg [2:0]  s1_parity_addr = 3'd0;
  reg [5:0]  s1_rot = 6'd0;
  reg [63:0] s1_rc = 64'd0;

  always @(posedge clk) begin
    s1_absorb  <= absorb_item;
    s1_theta   <= theta_lane;
    s1_ldc     <= theta_ldc;
    s1_ldd     <= theta_ldd;
    s1_chi     <= chi_item;
    s1_chi_out <= chi_out;
    s1_clear   <= absorb_item ? item_reg < 5'd5 : row_reg == 3'd0;
    s1_iota    <= chi_out && row_reg == 3'd0 && chi_out_x == 3'd0;
    s1_digest  <= (chi_out && row_reg == 3'd0 && chi_out_x <= 3'd3) ? 4'(1 << chi_out_x) : 4'd0;
    s1_wr_addr <= absorb_item ? {1'b0, item_reg} :
                  pass_reg == PASS_THETA ? B_BASE + {1'b0, theta_row[9:5]} :
                  {1'b0, row5 + {2'b00, chi_out_x}};
    s1_parity_addr <= parity_rd_addr;
    s1_rot     <= theta_lane ? theta_row[15:10] : 6'd0;
    s1_rc      <= IOTA[64*round_reg +: 64];
    if (rst) begin
      s1_absorb  <= 1'b0;
      s1_theta   <= 1'b0;
      s1_ldc     <= 1'b0;
      s1_ldd     <= 1'b0;
      s1_chi     <= 1'b0;
      s1_chi_out <= 1'b0;
      s1_digest  <= 4'd0;
    end
  end

  // ---------------------------------------------------------------- datapath (stage 1)

  wire [63:0] state_rd;
  wire [63:0] parity_rd;
  reg  [63:0] r0;
  reg  [63:0] r1;
  reg  [255:0] digest_reg;

  // One expression serves all three passes, so the write port needs no data mux:
  //   theta:  r0 ^ read              = A ^ D[x]                 (r1, the C latch, masked off)
  //   chi:    r0 ^ (read & ~r1)      = B[X] ^ (~B[X+1] & B[X+2])
  //   absorb: r0 ^ (read & ~r1)      = lane ^ A, or lane when r1 is all ones (a fresh block)
  // then rho: a rotate left by s1_rot (0 outside theta) in six fixed-distance stages (a generic
  // shift pair would build two barrel shifters), then iota on chi's lane (0,0).
  reg [63:0] lane_out;
  integer    stage;
  always @* begin
    lane_out = r0 ^ (state_rd & (~r1 | {64{s1_theta}}));
    for (stage = 0; stage < 6; stage = stage + 1) begin
      if (s1_rot[stage]) begin
        lane_out = (lane_out << (1 << stage)) | (lane_out >> (64 - (1 << stage)));
      end
    end
    lane_out = lane_out ^ (s1_iota ? s1_rc : 64'd0);
  end
  wire [63:0] parity_wr = (s1_clear ? 64'd0 : parity_rd) ^ lane_out;

  always @(posedge clk) begin
    if (s1_ldc) begin
      r1 <= parity_rd;
    end else if (s1_chi) begin
      r1 <= state_rd;
    end else if (absorb_item) begin
      r1 <= {64{fresh_reg}};   // all ones: the absorbed lane replaces the old one
    end
    if (s1_ldd) begin
      r0 <= r1 ^ {parity_rd[62:0], parity_rd[63]};
    end else if (s1_chi) begin
      r0 <= r1;
    end else if (absorb_item) begin
      r0 <= lane_take ? s_lane : 64'd0;
    end
  end

  genvar d;
  generate
    for (d = 0; d < 4; d = d + 1) begin : g_digest
      always @(posedge clk) begin
        if (s1_digest[d]) begin
          digest_reg[64*d +: 64] <= lane_out;
        end
      end
    end
  endgenerate

  ram_sdp #(
    .WIDTH(64),
    .DEPTH(64)
  ) state_ram (
    .clk(clk),
    .wr_en(s1_absorb || s1_theta || s1_chi_out),
    .wr_addr(s1_wr_addr),
    .wr_data(lane_out),
    .rd_en(1'b1),
    .rd_addr(state_rd_addr),
    .rd_data(state_rd)
  );

  ram_sdp #(
    .WIDTH(64),
    .DEPTH(8)
  ) parity_ram (
    .clk(clk),
    .wr_en(s1_absorb || s1_chi_out),
    .wr_addr(s1_parity_addr),
    .wr_data(parity_wr),
    .rd_en(1'b1),
    .rd_addr(parity_rd_addr),
    .rd_data(parity_rd)
  );

  // ---------------------------------------------------------------- pass control

  always @(posedge clk) begin
    if (gap_reg) begin
      // The idle clock after a pass: move to the next one.
      gap_reg <= 1'b0;
      case (pass_reg)
        PASS_ABSORB: begin
          pass_reg  <= PASS_THETA;
          fresh_reg <= 1'b0;
        end
        PASS_THETA: pass_reg <= PASS_CHI;
        default: begin   // PASS_CHI: a round is done
          if (round_reg == 5'd23) begin
            round_reg <= 5'd0;
            if (final_reg) begin
              pass_reg         <= PASS_IDLE;
              digest_valid_reg <= 1'b1;
            end else begin
              pass_reg <= PASS_ABSORB;   // parked until the next block's lanes come
            end
          end else begin
            round_reg <= round_reg + 5'd1;
            pass_reg  <= PASS_THETA;
          end
        end
      endcase
    end else if (absorb_item || theta_item || chi_item) begin
      item_reg <= item_reg + 5'd1;
      col_reg  <= col_reg == 3'd4 ? 3'd0 : col_reg + 3'd1;
      if (chi_item && item_reg == 5'd6) begin
        item_reg <= 5'd0;
        row_reg  <= row_reg + 3'd1;
      end
      if (lane_take && s_last) begin
        final_reg <= 1'b1;
      end
      if (last_item) begin
        gap_reg  <= 1'b1;
        item_reg <= 5'd0;
        col_reg  <= 3'd0;
        row_reg  <= 3'd0;
      end
    end

    if (init) begin
      pass_reg         <= PASS_ABSORB;
      gap_reg          <= 1'b0;
      item_reg         <= 5'd0;
      col_reg          <= 3'd0;
      row_reg          <= 3'd0;
      round_reg        <= 5'd0;
      fresh_reg        <= 1'b1;
      final_reg        <= 1'b0;
      digest_valid_reg <= 1'b0;
    end

    if (rst) begin
      pass_reg         <= PASS_IDLE;
      gap_reg          <= 1'b0;
      item_reg         <= 5'd0;
      col_reg          <= 3'd0;
      row_reg          <= 3'd0;
      round_reg        <= 5'd0;
      fresh_reg        <= 1'b0;
      final_reg        <= 1'b0;
      digest_valid_reg <= 1'b0;
    end
  end

  wire permuting = pass_reg == PASS_THETA || pass_reg == PASS_CHI;

  assign s_ready      = port_lane && !final_reg;
  assign digest       = digest_reg;
  assign digest_valid = digest_valid_reg;
  // Waiting in the absorb pass for the port's next lane is idle (a parked sponge).
  assign busy         = permuting || (pass_reg == PASS_ABSORB && (gap_reg || !port_lane)) ||
                        s1_absorb || s1_chi;
  assign perm_step    = permuting;
  assign perm_done    = gap_reg && pass_reg == PASS_CHI && round_reg == 5'd23;

endmodule

`resetall
