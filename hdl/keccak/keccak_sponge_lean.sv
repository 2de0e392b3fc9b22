`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Lean Keccak[r=1088, c=512] sponge: one Keccak-f round per clock like keccak_sponge, but with no
 * block buffer. It has the same ports and protocol as keccak_sponge and keccak_sponge_compact.
 *
 * The 17 rate lanes of the state form a ring. Absorbing a lane shifts the ring by one lane
 * towards lane 0 and puts (lane 0 ^ s_lane) into lane 16:
 *
 *   lane k <= lane k+1 (k = 0..15),   lane 16 <= lane 0 ^ s_lane
 *
 * After the 17 lanes of a block, every rate lane is back in its place with its block lane XOR-ed
 * in (old lane j leaves lane 0 on the (j+1)-th shift together with block lane j and then shifts
 * 16 - j more times). So each rate bit's next value is a 2-way choice, round output or its ring
 * neighbour, one LUT4 on iCE40, and the capacity bits take the round output only. keccak_sponge
 * spends a 1,088-bit buffer plus an XOR per rate bit instead, so that a block can be collected
 * while the previous permutation runs; here lanes wait while the state permutes:
 *
 *   a block costs 17 lane clocks + 24 round clocks = 41 clocks (keccak_sponge: 24 per block in a
 *   stream, 17 + 1 + 24 for a one-block message). On a byte-wide link a block takes 136 clocks
 *   to arrive, so a stream of blocks is link-bound with either core.
 *
 * The round logic is fed only from state_reg (no mux in front of it), as in keccak_sponge.
 *
 * Protocol: pulse init (only while !busy) before a message; offer its padded lanes in order,
 * s_last with lane 16 of the final block (a message always ends on a whole block). s_ready is low
 * while a permutation runs and after the final lane until the next init; digest_valid rises when
 * the final block's permutation is done and holds until init. Between blocks (no lane of the next
 * block taken yet, no permutation running) the sponge is idle, so a message may be abandoned at
 * any block boundary.
 */
module keccak_sponge_lean (
  input  wire         clk,
  input  wire         rst,

  input  wire         init,          // pulse: clear state for a new message (only used while !busy)
  input  wire [63:0]  s_lane,        // next rate lane of the PADDED message (byte 0 in [7:0])
  input  wire         s_valid,
  input  wire         s_last,        // with lane 16 of the final block
  output wire         s_ready,

  output wire [255:0] digest,        // state[255:0], valid while digest_valid
  output wire         digest_valid,  // set when the final block's permutation is done; cleared by init
  output wire         busy,          // a lane taken or part of a block absorbed, or a permutation running
  output wire         perm_done,     // 1-cycle pulse per completed permutation
  output wire         perm_step      // a round ran this cycle (24 per permutation)
);

  localparam integer RATE_LANES = 17;
  localparam integer RATE_BITS  = 64 * RATE_LANES;

  reg [1599:0] state_reg;                 // the Keccak state (not reset: init clears it)
  reg [4:0]    round_reg = 5'd0;          // round running while perm_active_reg
  reg          perm_active_reg = 1'b0;    // a permutation is running
  reg          perm_final_reg = 1'b0;     // ... and it follows the final block
  reg [4:0]    lanes_reg = 5'd0;          // lanes of the current block absorbed, 0..16
  reg          sealed_reg = 1'b0;         // the final lane was taken: no more lanes until init
  reg          digest_valid_reg = 1'b0;

  wire lane_take  = s_valid && s_ready;
  wire last_round = perm_active_reg && round_reg == 5'd23;
  wire block_done = lane_take && lanes_reg == 5'(RATE_LANES - 1);

  wire [1599:0] round_out;
  keccak_round u_round (
    .state_in    (state_reg),
    .round_index (round_reg),
    .state_out   (round_out)
  );

  // The rate lanes shifted one lane towards lane 0, the head lane XOR-ed with the input.
  wire [RATE_BITS-1:0] ring_next = {state_reg[63:0] ^ s_lane, state_reg[RATE_BITS-1:64]};

  assign s_ready      = !perm_active_reg && !sealed_reg;
  assign digest       = state_reg[255:0];
  assign digest_valid = digest_valid_reg;
  assign busy         = perm_active_reg || lanes_reg != 5'd0 || lane_take;
  assign perm_done    = last_round;
  assign perm_step    = perm_active_reg;

  // State. The rate lanes choose between the round output and the ring; the capacity lanes only
  // ever take the round output. A lane is never taken while a permutation runs (s_ready).
  always @(posedge clk) begin
    if (init) begin
      state_reg <= 1600'd0;
    end else begin
      if (perm_active_reg) begin
        state_reg <= round_out;
      end else if (lane_take) begin
        state_reg[RATE_BITS-1:0] <= ring_next;
      end
    end
  end

  // Control.
  always @(posedge clk) begin
    if (perm_active_reg) begin
      round_reg <= round_reg + 5'd1;
      if (last_round) begin
        perm_active_reg  <= 1'b0;
        round_reg        <= 5'd0;
        digest_valid_reg <= perm_final_reg;
      end
    end

    if (lane_take) begin
      lanes_reg <= block_done ? 5'd0 : lanes_reg + 5'd1;
      if (block_done) begin
        perm_active_reg <= 1'b1;
        perm_final_reg  <= s_last;
        round_reg       <= 5'd0;
      end
      if (s_last) begin
        sealed_reg <= 1'b1;
      end
    end

    if (init || rst) begin
      round_reg        <= 5'd0;
      perm_active_reg  <= 1'b0;
      perm_final_reg   <= 1'b0;
      lanes_reg        <= 5'd0;
      sealed_reg       <= 1'b0;
      digest_valid_reg <= 1'b0;
    end
  end

endmodule

`resetall
