`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * The EVM's 25 arithmetic, comparison, bitwise and shift opcodes (0x01-0x1d) on 256-bit words,
 * one operation at a time, with the EVM's exact semantics (division by zero gives 0, SDIV of
 * -2^255 by -1 gives -2^255, ADDMOD/MULMOD reduce the full 257/512-bit intermediate, shifts of
 * 256 or more give 0 or all ones). Operands are in stack order: A is the top of the stack.
 *
 * Operands are registered at acceptance and every wide datapath is fed from registers (timing,
 * and Verilator evaluates it once per clock instead of on every input change).
 *   - Latency 1 (result combinational from the operand registers, m_valid the next cycle):
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
  reg [7:0]   op_reg;
  reg [255:0] a_reg;
  reg [255:0] b_reg;
  reg [255:0] c_reg;
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
  wire [256:0] sum  = {1'b0, a_reg} + {1'b0, b_reg};   // ADD; ADDMOD's 257-bit dividend
  wire [255:0] diff = a_reg - b_reg;
  wire lt_u = a_reg < b_reg;
  wire gt_u = b_reg < a_reg;
  wire signs_differ = a_reg[255] != b_reg[255];
  wire lt_s = signs_differ ? a_reg[255] : lt_u;
  wire gt_s = signs_differ ? b_reg[255] : gt_u;

  // SHL / SHR / SAR: B shifted by A; one arithmetic right shifter, SHL through bit reversal.
  wire         is_shl = op_reg == evm_fpga_pkg::OP_SHL;
  wire         shift_fill = op_reg == evm_fpga_pkg::OP_SAR && b_reg[255];
  wire         shift_out_of_range = |a_reg[255:8];
  wire [255:0] b_reversed;
  wire [255:0] shifted_reversed;
  wire [255:0] shift_in = is_shl ? b_reversed : b_reg;
  wire signed [256:0] shift_src = {shift_fill, shift_in};
  wire signed [256:0] shift_arith = shift_src >>> a_reg[7:0];
  wire [255:0] shifted = shift_out_of_range ? {256{shift_fill}} : shift_arith[255:0];
  wire         unused_shift_top = shift_arith[256];   // the fill bit itself

  // BYTE: byte A of B counting from the most significant; byte i sits at bits 8*(31-i).
  wire [7:0]   byte_sel = b_reg[{~a_reg[4:0], 3'b000} +: 8];
  wire         byte_in_range = a_reg[255:5] == 251'd0;

  // SIGNEXTEND: extend B from the sign bit of its byte A (A >= 31 leaves B unchanged).
  wire         sext_keep_all = a_reg[255:5] != 251'd0 || a_reg[4:0] == 5'd31;
  wire         sext_sign = b_reg[{a_reg[4:0], 3'b111}];
  wire [255:0] sext;

  genvar g;
  generate
    for (g = 0; g < 256; g = g + 1) begin : g_reverse
      assign b_reversed[g] = b_reg[255 - g];
      assign shifted_reversed[g] = shifted[255 - g];
    end
    assign sext[7:0] = b_reg[7:0];   // byte 0 is never above the sign byte
    for (g = 1; g < 32; g = g + 1) begin : g_sext_byte
      localparam [4:0] BYTE_INDEX = g;
      assign sext[8*g +: 8] = (sext_keep_all || BYTE_INDEX <= a_reg[4:0]) ? b_reg[8*g +: 8]
                                                                           : {8{sext_sign}};
    end
  endgenerate

  reg [255:0] fast_result;
  always @* begin
    case (op_reg)
      evm_fpga_pkg::OP_ADD:        fast_result = sum[255:0];
      evm_fpga_pkg::OP_SUB:        fast_result = diff;
      evm_fpga_pkg::OP_SIGNEXTEND: fast_result = sext;
      evm_fpga_pkg::OP_LT:         fast_result = {255'd0, lt_u};
      evm_fpga_pkg::OP_GT:         fast_result = {255'd0, gt_u};
      evm_fpga_pkg::OP_SLT:        fast_result = {255'd0, lt_s};
      evm_fpga_pkg::OP_SGT:        fast_result = {255'd0, gt_s};
      evm_fpga_pkg::OP_EQ:         fast_result = {255'd0, a_reg == b_reg};
      evm_fpga_pkg::OP_ISZERO:     fast_result = {255'd0, a_reg == 256'd0};
      evm_fpga_pkg::OP_AND:        fast_result = a_reg & b_reg;
      evm_fpga_pkg::OP_OR:         fast_result = a_reg | b_reg;
      evm_fpga_pkg::OP_XOR:        fast_result = a_reg ^ b_reg;
      evm_fpga_pkg::OP_NOT:        fast_result = ~a_reg;
      evm_fpga_pkg::OP_BYTE:       fast_result = byte_in_range ? {248'd0, byte_sel} : 256'd0;
      evm_fpga_pkg::OP_SHL:        fast_result = shifted_reversed;
      evm_fpga_pkg::OP_SHR,
      evm_fpga_pkg::OP_SAR:        fast_result = shifted;
      default:                     fast_result = 256'd0;   // unknown (or multi-cycle) opcode
    endcase
  end

  // ---------------------------------------------------------------- multiplier
  wire         mul_done;
  wire [511:0] mul_product;
  wire [255:0] mul_low = mul_product[255:0];

  // Next EXP product: after a square whose bit is set, multiply by A; otherwise square again.
  wire exp_bit_set = b_reg[exp_bit_reg];
  wire exp_multiply_next = exp_square_reg && exp_bit_set;
  wire exp_finished = !exp_multiply_next && exp_bit_reg == 8'd0;

  wire [8:0] exp_lz;
  evm_lzc #(.WIDTH(256)) u_lzc_exponent (.value(b_reg), .count(exp_lz));
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
  wire is_signed_div = op_reg == evm_fpga_pkg::OP_SDIV || op_reg == evm_fpga_pkg::OP_SMOD;
  wire is_mod_by_c   = op_reg == evm_fpga_pkg::OP_ADDMOD || op_reg == evm_fpga_pkg::OP_MULMOD;
  wire wants_quotient = op_reg == evm_fpga_pkg::OP_DIV || op_reg == evm_fpga_pkg::OP_SDIV;
  wire a_negative = is_signed_div && a_reg[255];
  wire b_negative = is_signed_div && b_reg[255];
  wire [255:0] a_magnitude = a_negative ? ~a_reg + 256'd1 : a_reg;
  wire [255:0] b_magnitude = b_negative ? ~b_reg + 256'd1 : b_reg;
  // SDIV: negative quotient if the signs differ; SMOD: the remainder takes A's sign.
  wire negate_result = wants_quotient ? a_negative ^ b_negative : a_negative;

  wire         div_start = state_reg == ST_DIV_PREP || (state_reg == ST_MULMOD && mul_done);
  wire [511:0] div_dividend = state_reg == ST_MULMOD ? mul_product :
                              op_reg == evm_fpga_pkg::OP_ADDMOD ? {255'd0, sum} :
                              {256'd0, a_magnitude};
  wire [255:0] div_divisor = is_mod_by_c ? c_reg : b_magnitude;
  wire         div_done;
  wire [255:0] div_quotient;
  wire [255:0] div_remainder;

  evm_div u_div (
    .clk       (clk),
    .rst       (rst),
    .start     (div_start),
    .dividend  (div_dividend),
    .divisor   (div_divisor),
    .done      (div_done),
    .quotient  (div_quotient),
    .remainder (div_remainder)
  );

  wire [255:0] div_magnitude = wants_quotient ? div_quotient : div_remainder;
  wire [255:0] div_result = negate_result ? ~div_magnitude + 256'd1 : div_magnitude;

  // ---------------------------------------------------------------- control
  assign s_ready      = state_reg == ST_IDLE;
  assign m_valid      = state_reg == ST_FAST || state_reg == ST_DONE;
  assign m_result     = state_reg == ST_FAST ? fast_result : res_reg;
  assign m_cycles     = cycles_reg;
  assign m_unknown_op = m_valid && unknown_reg;

  always @(posedge clk) begin
    if (state_reg != ST_IDLE && !m_valid) begin
      cycles_reg <= cycles_reg + 32'd1;
    end

    case (state_reg)
      ST_IDLE: begin
        if (accept) begin
          op_reg      <= s_op;
          a_reg       <= s_a;
          b_reg       <= s_b;
          c_reg       <= s_c;
          unknown_reg <= !s_known;
          cycles_reg  <= 32'd1;
          if (s_fast) begin
            state_reg <= ST_FAST;
          end else begin
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
          res_reg   <= div_result;
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
      default: begin  // ST_FAST, ST_DONE
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
