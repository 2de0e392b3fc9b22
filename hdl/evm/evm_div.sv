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
 * Timing: start in cycle t (while idle); t+1 counts leading zeros; t+2 shifts; then
 * ceil(k/2) iteration cycles; done pulses in the cycle after the last one (t+3+ceil(k/2), or
 * t+3 with no iterations). Quotient and remainder hold until the next start.
 * Worst cases to done: 256-bit dividend 131 cycles, 257-bit (ADDMOD) 132, 512-bit 259.
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
  reg [255:0] r_reg;                  // partial remainder, always < d_reg while iterating
  reg [511:0] q_reg;                  // dividend bits still to enter at the top, quotient at the bottom
  reg [9:0]   shift_reg;              // 512 - k', 0..512
  reg [8:0]   iter_left_reg;          // radix-4 steps still to run, 0..256
  reg         div_zero_reg;
  reg         done_reg = 1'b0;

  // Normalisation: k = n - d + 1 = 257 + lzd - lzn quotient bits at most.
  wire [9:0] lzn;
  wire [8:0] lzd;
  evm_lzc #(.WIDTH(512)) u_lzc_dividend (.value(q_reg), .count(lzn));
  evm_lzc #(.WIDTH(256)) u_lzc_divisor  (.value(d_reg), .count(lzd));

  wire [9:0] k_limit = 10'd257 + {1'b0, lzd};      // <= 513
  wire       divisor_zero = lzd[8];                 // lzd == 256
  wire       k_positive = !divisor_zero && k_limit > lzn;
  wire [9:0] k = k_limit - lzn;                     // 1..512 when k_positive
  wire [9:0] k_even = k + {9'd0, k[0]};             // 2..512
  wire [9:0] shift_next = k_positive ? 10'd512 - k_even : 10'd512;
  wire [8:0] iter_next = k_positive ? k_even[9:1] : 9'd0;

  wire [767:0] aligned = {256'd0, q_reg} << shift_reg;

  // Two restoring steps. r < d, so {r, bit} < 2d < 2^257 and each new remainder fits 256 bits.
  wire [256:0] trial1 = {r_reg, q_reg[511]};
  wire [257:0] diff1 = {1'b0, trial1} - {2'b00, d_reg};
  wire         q_bit1 = !diff1[257];
  wire [255:0] r1 = q_bit1 ? diff1[255:0] : trial1[255:0];
  wire [256:0] trial2 = {r1, q_reg[510]};
  wire [257:0] diff2 = {1'b0, trial2} - {2'b00, d_reg};
  wire         q_bit2 = !diff2[257];
  wire [255:0] r2 = q_bit2 ? diff2[255:0] : trial2[255:0];
  wire         unused_diff_bits = diff1[256] ^ diff2[256];   // 0 whenever the difference is kept

  assign done      = done_reg;
  assign quotient  = div_zero_reg ? 256'd0 : q_reg[255:0];
  assign remainder = div_zero_reg ? 256'd0 : r_reg;

  always @(posedge clk) begin
    done_reg <= 1'b0;
    case (state_reg)
      ST_IDLE: begin
        if (start) begin
          q_reg     <= dividend;
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
        r_reg <= aligned[767:512];
        q_reg <= aligned[511:0];
        if (iter_left_reg == 9'd0) begin
          done_reg  <= 1'b1;
          state_reg <= ST_IDLE;
        end else begin
          state_reg <= ST_ITER;
        end
      end
      default: begin  // ST_ITER
        r_reg         <= r2;
        q_reg         <= {q_reg[509:0], q_bit1, q_bit2};
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
