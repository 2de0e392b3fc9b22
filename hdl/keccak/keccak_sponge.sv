`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Keccak[r=1088, c=512] sponge: absorbs an already padded message one 64-bit rate lane at a time
 * and exposes the first 256 bits of the final state as the Keccak-256 digest.
 *
 * Keccak-f[1600] runs ROUNDS_PER_CLK rounds per clock (a "step"), 24/ROUNDS_PER_CLK steps per
 * permutation. The round logic is fed only from state_reg (on iCE40 a mux in front of the round
 * function cost 60 % more LUTs), and a block is absorbed by XOR-ing it in AFTER the round
 * function, fused into the last step of the permutation before it:
 *
 *   state_next = R(state) ^ (absorb ? {512'b0, block} : 0) ^ (fresh ? R(0) : 0)
 *
 * There is no "XOR without a round" path, so no 1600-bit mux behind the round either:
 *   - A permutation that is not the message's last stops before its last step ("parked") until
 *     the next block is buffered, then runs that step with the block's XOR fused in.
 *   - init clears the state and parks it at a last step whose round output is cancelled by the
 *     constant R(0) (the last step's rounds applied to the zero state; the "fresh" term), so the
 *     first block lands as 0 ^ block like every later one.
 *
 * Lanes are collected in a 17-lane block buffer while the permutation of the previous block runs.
 * A stream of blocks costs max(24/ROUNDS_PER_CLK, 17) cycles per block: 24 at 1 round/clock
 * (permutation-bound), 17 at 2 or more (bound by loading one lane per clock; the permutation
 * waits parked). The first block of a message costs one extra cycle for its XOR step.
 *
 * Protocol: pulse init (only while !busy) before a message; offer its padded lanes in order,
 * s_last with lane 16 of the final block (a message always ends on a whole block, so the buffer
 * is never left half full). After the final lane s_ready stays low until the next init;
 * digest_valid rises when the final block's permutation is done and holds until init. A parked
 * permutation is not busy: a message may be abandoned at any block boundary (its parked
 * permutation then never completes and perm_done does not count it).
 */
module keccak_sponge #(
  parameter integer ROUNDS_PER_CLK = 1   // Keccak-f rounds per clock; must divide 24
) (
  input  wire         clk,
  input  wire         rst,

  input  wire         init,          // pulse: clear state for a new message (only used while !busy)
  input  wire [63:0]  s_lane,        // next rate lane of the PADDED message (byte 0 in [7:0])
  input  wire         s_valid,
  input  wire         s_last,        // with lane 16 of the final block
  output wire         s_ready,

  output wire [255:0] digest,        // state[255:0], valid while digest_valid
  output wire         digest_valid,  // set when the final block's permutation is done; cleared by init
  output wire         busy,          // lanes buffered or a permutation running (a parked one is idle)
  output wire         perm_done,     // 1-cycle pulse per completed permutation
  output wire         perm_step      // a permutation step (ROUNDS_PER_CLK rounds) ran this cycle
);

  localparam integer RATE_LANES = 17;
  localparam [4:0]   LAST_STEP_ROUND = 5'(24 - ROUNDS_PER_CLK);  // first round of the last step
  localparam [4:0]   ROUND_STEP = 5'(ROUNDS_PER_CLK);

  generate
    if (ROUNDS_PER_CLK != 1 && ROUNDS_PER_CLK != 2 && ROUNDS_PER_CLK != 3 &&
        ROUNDS_PER_CLK != 4 && ROUNDS_PER_CLK != 6 && ROUNDS_PER_CLK != 8 &&
        ROUNDS_PER_CLK != 12 && ROUNDS_PER_CLK != 24) begin : g_check_rounds
      $fatal(1, "keccak_sponge: ROUNDS_PER_CLK must divide 24 (1, 2, 3, 4, 6, 8, 12 or 24)");
    end
  endgenerate

  reg [1599:0] state_reg;                 // the Keccak state (not reset: init clears it)
  reg [4:0]    round_reg = 5'd0;          // index of the first round of the current step
  reg          perm_active_reg = 1'b0;    // a permutation is running or parked
  reg          perm_final_reg = 1'b0;     // ... and it follows the final block (never parks)
  reg          fresh_reg = 1'b0;          // state is init's zero: cancel the pending step's output
  reg [1087:0] block_reg;                 // block buffer, lane n at [64*n +: 64]
  reg [4:0]    block_lanes_reg = 5'd0;    // lanes in block_reg, 0..17
  reg          block_last_reg = 1'b0;     // the buffered block is the final one
  reg          sealed_reg = 1'b0;         // the final lane was taken: no more lanes until init
  reg          digest_valid_reg = 1'b0;

  wire block_full = block_lanes_reg == 5'(RATE_LANES);
  wire last_step  = perm_active_reg && round_reg == LAST_STEP_ROUND;
  // Parked: a last step that must wait for the next block (every permutation but the final one).
  wire parked     = last_step && !perm_final_reg && !block_full;
  wire step       = perm_active_reg && !parked;
  wire absorb     = last_step && block_full;    // perm_final_reg implies an empty buffer
  wire lane_take  = s_valid && s_ready;

  // Rounds of this step, chained: chain[1600*k +: 1600] feeds round k of the step.
  wire [1600*(ROUNDS_PER_CLK+1)-1:0] chain;
  // The same rounds of the last step applied to the zero state: a constant after synthesis.
  wire [1600*(ROUNDS_PER_CLK+1)-1:0] zero_chain;
  assign chain[1599:0] = state_reg;
  assign zero_chain[1599:0] = 1600'd0;

  genvar k;
  generate
    for (k = 0; k < ROUNDS_PER_CLK; k = k + 1) begin : g_round
      keccak_round u_round (
        .state_in    (chain[1600*k +: 1600]),
        .round_index (round_reg + 5'(k)),
        .state_out   (chain[1600*(k+1) +: 1600])
      );
      keccak_round u_zero_round (
        .state_in    (zero_chain[1600*k +: 1600]),
        .round_index (LAST_STEP_ROUND + 5'(k)),
        .state_out   (zero_chain[1600*(k+1) +: 1600])
      );
    end
  endgenerate

  wire [1599:0] rounds_out = chain[1600*ROUNDS_PER_CLK +: 1600];
  wire [1599:0] last_step_of_zero = zero_chain[1600*ROUNDS_PER_CLK +: 1600];

  // A lane can enter while the buffer has room, or in the cycle the full buffer is absorbed.
  assign s_ready      = !sealed_reg && (!block_full || absorb);
  assign digest       = state_reg[255:0];
  assign digest_valid = digest_valid_reg;
  assign busy         = (perm_active_reg && !parked) || block_lanes_reg != 5'd0;
  assign perm_done    = last_step && step && !fresh_reg;
  // The step init parks at only delivers the first block (its rounds are cancelled): not counted,
  // so cycles per permutation = perm_step cycles / perm_done pulses = 24 / ROUNDS_PER_CLK.
  assign perm_step    = step && !fresh_reg;

  // State: round function (from the register only), then the absorb XOR; or a clear. The next
  // value depends on registers only, so the simulator evaluates it once per clock.
  wire [1599:0] state_next = rounds_out ^ {512'd0, absorb ? block_reg : 1088'd0} ^
                             (fresh_reg ? last_step_of_zero : 1600'd0);

  always @(posedge clk) begin
    if (init) begin
      state_reg <= 1600'd0;
    end else if (step) begin
      state_reg <= state_next;
    end
  end

  // Block buffer: lane n of the block is written to lane n of block_reg (a 17-way write
  // enable, no data mux). In the cycle a full block is absorbed the next block starts at lane 0.
  wire [4:0] lane_index = absorb ? 5'd0 : block_lanes_reg;

  genvar l;
  generate
    for (l = 0; l < RATE_LANES; l = l + 1) begin : g_block_lane
      always @(posedge clk) begin
        if (lane_take && lane_index == 5'(l)) begin
          block_reg[64*l +: 64] <= s_lane;
        end
      end
    end
  endgenerate

  // Control.
  always @(posedge clk) begin
    if (step) begin
      fresh_reg <= 1'b0;
      if (absorb) begin
        round_reg      <= 5'd0;
        perm_final_reg <= block_last_reg;
      end else if (last_step) begin
        // The final block's permutation is done (only it runs its last step without a block).
        perm_active_reg  <= 1'b0;
        round_reg        <= 5'd0;
        digest_valid_reg <= 1'b1;
      end else begin
        round_reg <= round_reg + ROUND_STEP;
      end
    end

    if (lane_take) begin
      block_lanes_reg <= (absorb ? 5'd0 : block_lanes_reg) + 5'd1;
    end else if (absorb) begin
      block_lanes_reg <= 5'd0;
    end
    block_last_reg <= (block_last_reg && !absorb) || (lane_take && s_last);
    if (lane_take && s_last) begin
      sealed_reg <= 1'b1;
    end

    if (init) begin
      // Parked at a last step over the zero state, its output cancelled by fresh.
      round_reg        <= LAST_STEP_ROUND;
      perm_active_reg  <= 1'b1;
      perm_final_reg   <= 1'b0;
      fresh_reg        <= 1'b1;
      block_lanes_reg  <= 5'd0;
      block_last_reg   <= 1'b0;
      sealed_reg       <= 1'b0;
      digest_valid_reg <= 1'b0;
    end

    if (rst) begin
      round_reg        <= 5'd0;
      perm_active_reg  <= 1'b0;
      perm_final_reg   <= 1'b0;
      fresh_reg        <= 1'b0;
      block_lanes_reg  <= 5'd0;
      block_last_reg   <= 1'b0;
      sealed_reg       <= 1'b0;
      digest_valid_reg <= 1'b0;
    end
  end

endmodule

`resetall
