`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Unsigned divider for the EVM datapath: a dividend of up to 512 bits (MULMOD's full product,
 * ADDMOD's 257-bit sum, DIV/MOD's 256-bit operand) by a 256-bit divisor, giving the low 256
 * bits of the quotient and the remainder. One divider serves DIV, SDIV, MOD, SMOD, ADDMOD and
 * MULMOD (signs are handled by the caller). A zero divisor gives quotient 0 and remainder 0,
 * as the EVM defines it.
 *
 * Restoring division, radix 4 (two chained compare-subtract steps of 257 bits per cycle), with
 * early termination by normalisation: with n and d the bit lengths of dividend and divisor the
 * quotient has at most k = n - d + 1 bits, so only those (rounded up to an even count k') are
 * iterated. One left shift of the 768-bit {remainder, dividend} pair by 512 - k' puts the top
 * n - k' bits of the dividend (fewer bits than the divisor, so already a valid remainder) into
 * the remainder and its low k' bits at the top of the dividend register; each step then moves
 * one dividend bit into the remainder and one quotient bit into the bottom of the dividend
 * register, so after k'/2 cycles that register holds the quotient. k' <= 0 (dividend shorter
 * than divisor) is a shift by 512: no iterations, remainder = dividend.
 *
 * Timing: start in cycle t (while idle), when the leading-zero counters also sample the
 * operands; t+1 turns the counts into the shift and iteration count; t+2 shifts; then
 * ceil(k/2) iteration cycles; done pulses in the cycle after the last one (t+3+ceil(k/2), or
 * t+3 with no iterations). Quotient and remainder hold until the next start.
 * Worst cases to done: 256-bit dividend 131 cycles, 257-bit (ADDMOD) 132, 512-bit 259.
 * The wide steps are evaluated only in their state's branch of the clocked block, so the idle
 * divider costs the Verilator simulation (almost) nothing per clock.
 */
module evm_div (
  input  wire         clk,
  input  wire         rst,

  input  wire         start,       // load dividend and divisor and begin (ignored while dividing)
  input  wire [511:0] dividend,
  input  wire [255:0] divisor,
  output wire         done,        // one-cycle pulse: quotient and remainder are valid
  output wire [255:0] quotient,    // low 256 bits of dividend / divisor (0 if divisor == 0)
  output wire [255:0] remainder    // dividend mod divisor (0 if divisor == 0)
);

  localparam [1:0] ST_IDLE  = 2'd0;
  localparam [1:0] ST_NORM  = 2'd1;   // leading-zero counts -> shift and iteration count
  localparam [1:0] ST_SHIFT = 2'd2;   // align the dividend
  localparam [1:0] ST_ITER  = 2'd3;   // two quotient bits per cycle

  reg [1:0]   state_reg = ST_IDLE;
  reg [255:0] d_reg;                  // divisor
  // {r, q}: r (the top 256 bits) is the partial remainder, always < d_reg while iterating; q
  // holds the dividend bits still to enter at its top and the quotient at its bottom. One
  // register, so that each step is one assignment (Verilator splits a concatenated target into
  // one copy of the right-hand side per part).
  reg [767:0] rq_reg;
  reg [9:0]   shift_reg;              // 512 - k', 0..512
  reg [8:0]   iter_left_reg;          // radix-4 steps still to run, 0..256
  reg         div_zero_reg;
  reg         done_reg = 1'b0;

  // Normalisation: k = n - d + 1 = 257 + lzd - lzn quotient bits at most. The counters sample
  // the operands with start, so the counts are ready in ST_NORM.
  wire       take = state_reg == ST_IDLE && start;
  wire [9:0] lzn;
  wire [8:0] lzd;
  evm_lzc #(.WIDTH(512)) u_lzc_dividend (.clk(clk), .enable(take), .value(dividend), .count(lzn));
  evm_lzc #(.WIDTH(256)) u_lzc_divisor  (.clk(clk), .enable(take), .value(divisor),  .count(lzd));

  wire [9:0] k_limit = 10'd257 + {1'b0, lzd};      // <= 513
  wire       divisor_zero = lzd[8];                 // lzd == 256
  wire       k_positive = !divisor_zero && k_limit > lzn;
  wire [9:0] k = k_limit - lzn;                     // 1..512 when k_positive
  wire [9:0] k_even = k + {9'd0, k[0]};             // 2..512
  wire [9:0] shift_next = k_positive ? 10'd512 - k_even : 10'd512;
  wire [8:0] iter_next = k_positive ? k_even[9:1] : 9'd0;

  // The wide steps are written inside their state's branch below, so Verilator evaluates them
  // The wide steps are written inside their state's branch below, so Verilator evaluates them
  // only in that state, not on every clock. (Verilator zeroes an inlined function's variables
  // on every clock whether or not it is called, so the step function keeps them few.)

  // Two restoring steps on {r, q}: two dividend bits leave the top of q into r, two quotient
  // bits enter at its bottom. r < d, so {r, bit} < 2d < 2^257, and when the trial is >= d its
  // difference is < d: computed modulo 2^256 it is exact.
  function [767:0] step2_of;
    input [767:0] rq;
    input [255:0] d;
    reg [256:0]   trial;
    reg           q_bit1;
    reg [255:0]   r1;
    begin
      trial  = rq[767:511];
      q_bit1 = trial >= {1'b0, d};
      r1     = q_bit1 ? trial[255:0] - d : trial[255:0];
      trial  = {r1, rq[510]};
      step2_of = {trial >= {1'b0, d} ? trial[255:0] - d : trial[255:0], rq[509:0], q_bit1,
                  trial >= {1'b0, d}};
    end
  endfunction

  assign done      = done_reg;
  assign quotient  = rq_reg[255:0];     // zeroed in ST_SHIFT when the divisor is 0
  assign remainder = rq_reg[767:512];

  always @(posedge clk) begin
    done_reg <= 1'b0;
    case (state_reg)
      ST_IDLE: begin
        if (start) begin
          rq_reg    <= {256'd0, dividend};
          d_reg     <= divisor;
          state_reg <= ST_NORM;
        end
      end
      ST_NORM: begin
        div_zero_reg  <= divisor_zero;
        shift_reg     <= shift_next;
        iter_left_reg <= iter_next;
        state_reg     <= ST_SHIFT;
      end
      ST_SHIFT: begin
        if (div_zero_reg) begin
          rq_reg <= 768'd0;
        end else begin
          rq_reg <= {256'd0, rq_reg[511:0]} << shift_reg;
        end
        if (iter_left_reg == 9'd0) begin
          done_reg  <= 1'b1;
          state_reg <= ST_IDLE;
        end else begin
          state_reg <= ST_ITER;
        end
      end
      default: begin  // ST_ITER
        rq_reg        <= step2_of(rq_reg, d_reg);
        iter_left_reg <= iter_left_reg - 9'd1;
        if (iter_left_reg == 9'd1) begin
          done_reg  <= 1'b1;
          state_reg <= ST_IDLE;
        end
      end
    endcase

    if (rst) begin
      state_reg <= ST_IDLE;
      done_reg  <= 1'b0;
    end
  end

endmodule

`resetall
