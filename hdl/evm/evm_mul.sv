`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * 256 x 256 -> 512-bit unsigned multiplier for the EVM datapath (MUL, MULMOD, EXP), one
 * 256 x LIMB_BITS partial product per cycle, least significant limb of y first.
 *
 * Each step adds x * y_limb to the running upper part and retires LIMB_BITS finished product
 * bits into lo_reg (a shift register), so the adder is only 256 + LIMB_BITS bits wide and no
 * product bit is ever moved by a variable amount:
 *
 *   partial = x * y[limb] + hi;   hi = partial >> LIMB_BITS;   lo = {partial[LIMB_BITS-1:0], lo} >> LIMB_BITS
 *
 * (x * y_limb + hi < 2^(256+LIMB_BITS), so the partial never overflows.) After 256/LIMB_BITS
 * steps the product is {hi, lo}. A 256 x 64 product is 16 DSP48 (or 16x16 DSP tiles); the
 * multiplier is fed from registers only.
 *
 * Timing: start in cycle t (while no product is being formed) loads the operands; steps run in t+1 .. t+STEPS; done
 * pulses in t+STEPS+1 with the product, which holds until the next start. A new start is
 * taken in the done cycle, so back-to-back products (EXP) cost STEPS+1 cycles each.
 */
module evm_mul #(
  parameter integer LIMB_BITS = 64   // multiplier bits per cycle: 32, 64 or 128 (8, 4 or 2 steps)
) (
  input  wire         clk,
  input  wire         rst,

  input  wire         start,     // load x and y and begin (ignored while busy)
  input  wire [255:0] x,
  input  wire [255:0] y,
  output wire         done,      // one-cycle pulse: product is valid
  output wire [511:0] product    // x * y, held until the next start
);

  localparam integer STEPS = 256 / LIMB_BITS;
  localparam integer STEP_BITS = $clog2(STEPS + 1);

  generate
    if (LIMB_BITS != 32 && LIMB_BITS != 64 && LIMB_BITS != 128) begin : g_check_limb
      $fatal(1, "evm_mul: LIMB_BITS must be 32, 64 or 128");
    end
  endgenerate

  reg [255:0]           x_reg;
  reg [255:0]           y_reg;     // remaining limbs of y, next one in [LIMB_BITS-1:0]
  reg [255:0]           hi_reg;    // upper part of the running sum
  reg [255:0]           lo_reg;    // finished low product bits, shifted in from the top
  reg [STEP_BITS-1:0]   steps_left_reg = {STEP_BITS{1'b0}};
  reg                   done_reg = 1'b0;

  wire busy = steps_left_reg != {STEP_BITS{1'b0}};
  assign done    = done_reg;
  assign product = {hi_reg, lo_reg};

  always @(posedge clk) begin
    done_reg <= 1'b0;
    if (start && !busy) begin
      x_reg          <= x;
      y_reg          <= y;
      hi_reg         <= 256'd0;
      lo_reg         <= 256'd0;
      steps_left_reg <= STEP_BITS'(STEPS);
    end else if (busy) begin
      // {hi, lo} <= {x * y_limb + hi, lo >> LIMB_BITS}: the partial's top 256 bits are the new
      // hi, its low LIMB_BITS enter lo from the top. Written as one expression inside the busy
      // branch (no function locals, which Verilator would zero on every clock), so the wide
      // multiply is evaluated only while a product is being formed.
      {hi_reg, lo_reg} <= {{{LIMB_BITS{1'b0}}, x_reg} * {256'd0, y_reg[LIMB_BITS-1:0]}
                           + {{LIMB_BITS{1'b0}}, hi_reg}, lo_reg[255:LIMB_BITS]};
      y_reg          <= {{LIMB_BITS{1'b0}}, y_reg[255:LIMB_BITS]};
      steps_left_reg <= steps_left_reg - 1'b1;
      done_reg       <= steps_left_reg == STEP_BITS'(1);
    end

    if (rst) begin
      steps_left_reg <= {STEP_BITS{1'b0}};
      done_reg       <= 1'b0;
    end
  end

endmodule

`resetall
