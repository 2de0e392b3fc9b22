`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * The EVM's 25 arithmetic, comparison, bitwise and shift opcodes (0x01-0x1d) on 256-bit words,
 * one operation at a time, with the EVM's exact semantics (division by zero gives 0, SDIV of
 * -2^255 by -1 gives -2^255, ADDMOD/MULMOD reduce the full 257/512-bit intermediate, shifts of
 * 256 or more give 0 or all ones). Operands are in stack order: A is the top of the stack.
 *
 * The wide logic runs only where it is needed: the single-cycle results, the divider's operands
 * and the final negation are functions called inside the clocked block's accept / done
 * branches, and the multiplier, divider and leading-zero counters compute in their own busy
 * branches. Verilator re-evaluates every combinational block fed by a register on every clock
 * edge, so a datapath written as continuous logic would cost the whole device simulation speed
 * even while no EVM opcode is in flight; written this way the idle unit costs almost nothing.
 * The operands s_a/s_b/s_c are read only in the acceptance cycle (the unit upstream holds them
 * in registers).
 *   - Latency 1 (result computed from the operand inputs at acceptance, m_valid the next cycle):
 *     ADD SUB LT GT SLT SGT EQ ISZERO AND OR XOR NOT BYTE SHL SHR SAR SIGNEXTEND, and unknown
 *     opcodes (result 0, m_unknown_op). SHL, SHR and SAR share one 257-bit arithmetic right
 *     shifter (SHL reverses the bits before and after it): one barrel shifter, not three.
 *   - MUL: evm_mul, 256 x MUL_LIMB_BITS per cycle; 256/MUL_LIMB_BITS + 2 cycles (6 at 64).
 *   - DIV SDIV MOD SMOD ADDMOD MULMOD: one shared evm_div (radix 4, normalised so only the
 *     quotient bits that can be non-zero are iterated) after a cycle that forms |A|, |B| or
 *     A + B; MULMOD first forms the 512-bit product in evm_mul. The signed ops divide the
 *     magnitudes and negate at the end (the quotient if the signs differ, the remainder if A is
 *     negative). Latency 5 + ceil(k/2) for a quotient bound of k = bitlen(dividend) -
 *     bitlen(divisor) + 1 bits (5 when k <= 0 or the divisor is 0): DIV/SDIV/MOD/SMOD <= 38
 *     cycles when the quotient fits 64 bits (k <= 65), <= 133 always; ADDMOD <= 134; MULMOD
 *     5 + 256/MUL_LIMB_BITS + ceil(k/2) <= 265 (at 64).
 *   - EXP: left-to-right square-and-multiply on evm_mul from the exponent's leading one (found
 *     with a leading-zero count): 2 + (256/MUL_LIMB_BITS + 1) * P cycles for P = (bit length - 1)
 *     squares + (ones - 1) multiplies; exponent 0 or 1 in 2 cycles, 2^256 - 1 in 2552 (at 64).
 * s_ready is high only while idle: after m_valid && m_ready the unit is idle for one cycle.
 */
module evm_alu #(
  parameter integer MUL_LIMB_BITS = 64   // evm_mul bits per cycle: 32, 64 or 128
) (
  input  wire         clk,
  input  wire         rst,

  input  wire         s_valid,        // an operation is offered
  output wire         s_ready,        // the unit is idle and takes it
  input  wire [7:0]   s_op,           // EVM opcode byte
  input  wire [255:0] s_a,            // A: top of the stack (first popped)
  input  wire [255:0] s_b,            // B: second stack item
  input  wire [255:0] s_c,            // C: third stack item (ADDMOD, MULMOD modulus)

  output wire         m_valid,        // result ready (held until m_ready)
  input  wire         m_ready,
  output wire [255:0] m_result,
  output wire [31:0]  m_cycles,       // cycles from acceptance (s_valid && s_ready) to m_valid, >= 1
  output wire         m_unknown_op    // the opcode is not one of the 25: result 0
);

  localparam [3:0] ST_IDLE     = 4'd0;
  localparam [3:0] ST_FAST     = 4'd1;   // m_valid, result from the single-cycle logic
  localparam [3:0] ST_MUL      = 4'd2;   // MUL: waiting for the product
  localparam [3:0] ST_MULMOD   = 4'd3;   // MULMOD: waiting for the product, then divide
  localparam [3:0] ST_DIV_PREP = 4'd4;   // start the divider with |A|, |B| or A + B
  localparam [3:0] ST_DIV      = 4'd5;   // waiting for the divider
  localparam [3:0] ST_EXP_INIT = 4'd6;   // find the exponent's leading one
  localparam [3:0] ST_EXP      = 4'd7;   // square-and-multiply
  localparam [3:0] ST_DONE     = 4'd8;   // m_valid, result in res_reg

  reg [3:0]   state_reg = ST_IDLE;
  reg [255:0] a_reg;            // EXP: the base
  reg [255:0] b_reg;            // EXP: the exponent
  reg [256:0] div_dividend_reg; // divider operands formed at acceptance: |A| or A + B
  reg [255:0] div_divisor_reg;  // |B| or C
  reg         div_quotient_reg; // the result is the quotient (else the remainder)
  reg         div_negate_reg;   // negate the quotient or remainder at the end
  reg [255:0] res_reg;
  reg         unknown_reg;
  reg [31:0]  cycles_reg;
  reg [7:0]   exp_bit_reg;      // exponent bit the current square (or multiply) is for
  reg         exp_square_reg;   // the product in flight is a square (else a multiply by A)

  wire accept = s_valid && state_reg == ST_IDLE;

  // ---------------------------------------------------------------- opcode classes (at s_op)
  reg s_fast;     // single-cycle or unknown
  always @* begin
    case (s_op)
      evm_fpga_pkg::OP_MUL, evm_fpga_pkg::OP_MULMOD, evm_fpga_pkg::OP_EXP,
      evm_fpga_pkg::OP_DIV, evm_fpga_pkg::OP_SDIV, evm_fpga_pkg::OP_MOD,
      evm_fpga_pkg::OP_SMOD, evm_fpga_pkg::OP_ADDMOD: s_fast = 1'b0;
      default: s_fast = 1'b1;
    endcase
  end

  reg s_known;
  always @* begin
    case (s_op)
      evm_fpga_pkg::OP_ADD, evm_fpga_pkg::OP_MUL, evm_fpga_pkg::OP_SUB, evm_fpga_pkg::OP_DIV,
      evm_fpga_pkg::OP_SDIV, evm_fpga_pkg::OP_MOD, evm_fpga_pkg::OP_SMOD,
      evm_fpga_pkg::OP_ADDMOD, evm_fpga_pkg::OP_MULMOD, evm_fpga_pkg::OP_EXP,
      evm_fpga_pkg::OP_SIGNEXTEND, evm_fpga_pkg::OP_LT, evm_fpga_pkg::OP_GT,
      evm_fpga_pkg::OP_SLT, evm_fpga_pkg::OP_SGT, evm_fpga_pkg::OP_EQ, evm_fpga_pkg::OP_ISZERO,
      evm_fpga_pkg::OP_AND, evm_fpga_pkg::OP_OR, evm_fpga_pkg::OP_XOR, evm_fpga_pkg::OP_NOT,
      evm_fpga_pkg::OP_BYTE, evm_fpga_pkg::OP_SHL, evm_fpga_pkg::OP_SHR,
      evm_fpga_pkg::OP_SAR: s_known = 1'b1;
      default: s_known = 1'b0;
    endcase
  end

  // ---------------------------------------------------------------- single-cycle datapath
  // Functions, called only in the acceptance branch of the clocked block below.

  // Bit reversal as eight swap stages with constant masks (halves, then 64-, 32-, ... 1-bit
  // neighbours): pure wiring in hardware, a few wide operations in Verilator instead of 256
  // single-bit ones (which bloat the simulation's one big per-clock function).
  function [255:0] reverse_of;
    input [255:0] v;
    begin
      reverse_of = {v[127:0], v[255:128]};
      reverse_of = ((reverse_of >> 64) & {2{{64{1'b0}}, {64{1'b1}}}}) |
                   ((reverse_of << 64) & {2{{64{1'b1}}, {64{1'b0}}}});
      reverse_of = ((reverse_of >> 32) & {4{{32{1'b0}}, {32{1'b1}}}}) |
                   ((reverse_of << 32) & {4{{32{1'b1}}, {32{1'b0}}}});
      reverse_of = ((reverse_of >> 16) & {8{{16{1'b0}}, {16{1'b1}}}}) |
                   ((reverse_of << 16) & {8{{16{1'b1}}, {16{1'b0}}}});
      reverse_of = ((reverse_of >> 8) & {16{16'h00ff}}) | ((reverse_of << 8) & {16{16'hff00}});
      reverse_of = ((reverse_of >> 4) & {32{8'h0f}}) | ((reverse_of << 4) & {32{8'hf0}});
      reverse_of = ((reverse_of >> 2) & {64{4'h3}}) | ((reverse_of << 2) & {64{4'hc}});
      reverse_of = ((reverse_of >> 1) & {128{2'b01}}) | ((reverse_of << 1) & {128{2'b10}});
    end
  endfunction

  // SHL / SHR / SAR: B shifted by A; one arithmetic right shifter, SHL through bit reversal.
  // Narrow arguments and few variables: Verilator zeroes an inlined function's variables on
  // every clock, called or not.
  function [255:0] shift_of;
    input         is_shl;
    input         fill;           // SAR of a negative B: shift in ones
    input         out_of_range;   // A >= 256
    input [7:0]   amount;         // A[7:0]
    input [255:0] b;
    reg signed [256:0] arith;
    reg                unused_fill;   // arith[256], the fill bit itself
    begin
      arith = $signed({fill, is_shl ? reverse_of(b) : b}) >>> amount;
      unused_fill = arith[256];
      shift_of = out_of_range ? {256{fill}} : arith[255:0];
      if (is_shl) begin
        shift_of = reverse_of(shift_of);
      end
    end
  endfunction

  // SIGNEXTEND: extend B from the sign bit of its byte A (A >= 31 leaves B unchanged).
  function [255:0] signextend_of;
    input         keep_all;     // A >= 31
    input [4:0]   sign_byte;    // A[4:0]
    input [255:0] b;
    reg [255:0] keep;           // bytes 0 .. A (byte 0 is never above the sign byte)
    begin
      keep = ~({256{1'b1}} << {{1'b0, sign_byte} + 6'd1, 3'b000});
      signextend_of = keep_all ? b : b[{sign_byte, 3'b111}] ? b | ~keep : b & keep;
    end
  endfunction

  // ---------------------------------------------------------------- multiplier
  wire         mul_done;
  wire [511:0] mul_product;
  wire [255:0] mul_low = mul_product[255:0];

  // Next EXP product: after a square whose bit is set, multiply by A; otherwise square again.
  wire exp_bit_set = b_reg[exp_bit_reg];
  wire exp_multiply_next = exp_square_reg && exp_bit_set;
  wire exp_finished = !exp_multiply_next && exp_bit_reg == 8'd0;

  wire [8:0] exp_lz;   // of the exponent, sampled at acceptance: ready in ST_EXP_INIT
  evm_lzc #(.WIDTH(256)) u_lzc_exponent (
    .clk    (clk),
    .enable (accept && s_op == evm_fpga_pkg::OP_EXP),
    .value  (s_b),
    .count  (exp_lz)
  );
  wire [7:0] exp_msb = ~exp_lz[7:0];   // 255 - lz, when the exponent is non-zero

  reg         mul_start;
  reg [255:0] mul_x;
  reg [255:0] mul_y;
  always @* begin
    mul_start = 1'b0;
    mul_x     = a_reg;
    mul_y     = a_reg;
    case (state_reg)
      ST_IDLE: begin
        mul_start = accept && (s_op == evm_fpga_pkg::OP_MUL || s_op == evm_fpga_pkg::OP_MULMOD);
        mul_x     = s_a;
        mul_y     = s_b;
      end
      ST_EXP_INIT: begin   // the square for the bit below the leading one
        mul_start = exp_lz[8] == 1'b0 && exp_lz != 9'd255;   // exponent > 1
      end
      ST_EXP: begin
        mul_start = mul_done && !exp_finished;
        mul_x     = mul_low;
        mul_y     = exp_multiply_next ? a_reg : mul_low;
      end
      default: ;
    endcase
  end

  evm_mul #(.LIMB_BITS(MUL_LIMB_BITS)) u_mul (
    .clk     (clk),
    .rst     (rst),
    .start   (mul_start),
    .x       (mul_x),
    .y       (mul_y),
    .done    (mul_done),
    .product (mul_product)
  );

  // ---------------------------------------------------------------- divider
  // The operands are formed at acceptance (below): for DIV SDIV MOD SMOD the magnitudes |A| and
  // |B| (the signed ops divide the magnitudes), for ADDMOD A + B and C, for MULMOD C (its
  // dividend is the product). SDIV: negative quotient if the signs differ; SMOD: the remainder
  // takes A's sign.
  wire s_signed_div    = s_op == evm_fpga_pkg::OP_SDIV || s_op == evm_fpga_pkg::OP_SMOD;
  wire s_mod_by_c      = s_op == evm_fpga_pkg::OP_ADDMOD || s_op == evm_fpga_pkg::OP_MULMOD;
  wire s_wants_quotient = s_op == evm_fpga_pkg::OP_DIV || s_op == evm_fpga_pkg::OP_SDIV;
  wire s_a_negative    = s_signed_div && s_a[255];
  wire s_b_negative    = s_signed_div && s_b[255];

  wire         div_start = state_reg == ST_DIV_PREP || (state_reg == ST_MULMOD && mul_done);
  wire [511:0] div_dividend = state_reg == ST_MULMOD ? mul_product : {255'd0, div_dividend_reg};
  wire         div_done;
  wire [255:0] div_quotient;
  wire [255:0] div_remainder;

  evm_div u_div (
    .clk       (clk),
    .rst       (rst),
    .start     (div_start),
    .dividend  (div_dividend),
    .divisor   (div_divisor_reg),
    .done      (div_done),
    .quotient  (div_quotient),
    .remainder (div_remainder)
  );

  // ---------------------------------------------------------------- control
  assign s_ready      = state_reg == ST_IDLE;
  assign m_valid      = state_reg == ST_FAST || state_reg == ST_DONE;
  assign m_result     = res_reg;
  assign m_cycles     = cycles_reg;
  assign m_unknown_op = m_valid && unknown_reg;

  always @(posedge clk) begin
    if (state_reg != ST_IDLE && !m_valid) begin
      cycles_reg <= cycles_reg + 32'd1;
    end

    case (state_reg)
      ST_IDLE: begin
        if (accept) begin
          a_reg       <= s_a;
          b_reg       <= s_b;
          unknown_reg <= !s_known;
          cycles_reg  <= 32'd1;
          if (s_fast) begin
            state_reg <= ST_FAST;
            // The single-cycle result, evaluated only here (one branch per opcode).
            if (s_op == evm_fpga_pkg::OP_SHL || s_op == evm_fpga_pkg::OP_SHR ||
                s_op == evm_fpga_pkg::OP_SAR) begin
              res_reg <= shift_of(s_op == evm_fpga_pkg::OP_SHL,
                                  s_op == evm_fpga_pkg::OP_SAR && s_b[255], |s_a[255:8], s_a[7:0], s_b);
            end else begin
              case (s_op)
                evm_fpga_pkg::OP_ADD:        res_reg <= s_a + s_b;
                evm_fpga_pkg::OP_SUB:        res_reg <= s_a - s_b;
                evm_fpga_pkg::OP_SIGNEXTEND: res_reg <= signextend_of(
                                               s_a[255:5] != 251'd0 || s_a[4:0] == 5'd31, s_a[4:0], s_b);
                evm_fpga_pkg::OP_LT:         res_reg <= {255'd0, s_a < s_b};
                evm_fpga_pkg::OP_GT:         res_reg <= {255'd0, s_b < s_a};
                evm_fpga_pkg::OP_SLT:        res_reg <= {255'd0, s_a[255] != s_b[255] ? s_a[255] : s_a < s_b};
                evm_fpga_pkg::OP_SGT:        res_reg <= {255'd0, s_a[255] != s_b[255] ? s_b[255] : s_b < s_a};
                evm_fpga_pkg::OP_EQ:         res_reg <= {255'd0, s_a == s_b};
                evm_fpga_pkg::OP_ISZERO:     res_reg <= {255'd0, s_a == 256'd0};
                evm_fpga_pkg::OP_AND:        res_reg <= s_a & s_b;
                evm_fpga_pkg::OP_OR:         res_reg <= s_a | s_b;
                evm_fpga_pkg::OP_XOR:        res_reg <= s_a ^ s_b;
                evm_fpga_pkg::OP_NOT:        res_reg <= ~s_a;
                // BYTE: byte A of B counting from the most significant; byte i at bits 8*(31-i).
                evm_fpga_pkg::OP_BYTE:       res_reg <= s_a[255:5] == 251'd0 ?
                                               {248'd0, s_b[{~s_a[4:0], 3'b000} +: 8]} : 256'd0;
                default:                     res_reg <= 256'd0;   // unknown opcode
              endcase
            end
          end else begin
            div_quotient_reg <= s_wants_quotient;
            div_negate_reg   <= s_wants_quotient ? s_a_negative ^ s_b_negative : s_a_negative;
            div_divisor_reg  <= s_mod_by_c ? s_c : s_b_negative ? ~s_b + 256'd1 : s_b;
            div_dividend_reg <= s_mod_by_c ? {1'b0, s_a} + {1'b0, s_b}
                                           : {1'b0, s_a_negative ? ~s_a + 256'd1 : s_a};
            case (s_op)
              evm_fpga_pkg::OP_MUL:    state_reg <= ST_MUL;
              evm_fpga_pkg::OP_MULMOD: state_reg <= ST_MULMOD;
              evm_fpga_pkg::OP_EXP:    state_reg <= ST_EXP_INIT;
              default:                 state_reg <= ST_DIV_PREP;
            endcase
          end
        end
      end
      ST_MUL: begin
        if (mul_done) begin
          res_reg   <= mul_low;
          state_reg <= ST_DONE;
        end
      end
      ST_MULMOD: begin
        if (mul_done) begin
          state_reg <= ST_DIV;
        end
      end
      ST_DIV_PREP: begin
        state_reg <= ST_DIV;
      end
      ST_DIV: begin
        if (div_done) begin
          // Negated (if so) as (x ^ ~0) + 1, in one expression.
          res_reg   <= ((div_quotient_reg ? div_quotient : div_remainder) ^ {256{div_negate_reg}})
                       + {255'd0, div_negate_reg};
          state_reg <= ST_DONE;
        end
      end
      ST_EXP_INIT: begin
        exp_square_reg <= 1'b1;
        exp_bit_reg    <= exp_msb - 8'd1;
        if (exp_lz[8]) begin                  // exponent 0
          res_reg   <= 256'd1;
          state_reg <= ST_DONE;
        end else if (exp_lz == 9'd255) begin   // exponent 1
          res_reg   <= a_reg;
          state_reg <= ST_DONE;
        end else begin
          state_reg <= ST_EXP;
        end
      end
      ST_EXP: begin
        if (mul_done) begin
          if (exp_multiply_next) begin
            exp_square_reg <= 1'b0;
          end else if (exp_finished) begin
            res_reg   <= mul_low;
            state_reg <= ST_DONE;
          end else begin
            exp_square_reg <= 1'b1;
            exp_bit_reg    <= exp_bit_reg - 8'd1;
          end
        end
      end
      default: begin  // ST_FAST, ST_DONE: res_reg holds the result
        if (m_ready) begin
          state_reg <= ST_IDLE;
        end
      end
    endcase

    if (rst) begin
      state_reg <= ST_IDLE;
    end
  end

endmodule

`resetall
