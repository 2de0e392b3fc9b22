`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * The compact EVM datapath (evm_unit EVM_DATAPATH = 1, docs/opcode-unit.md): the same 25
 * opcodes (0x01-0x1d), the same handshake and the same bit-exact results as evm_alu, in about a
 * quarter of its logic, for FPGAs where evm_alu does not fit beside the other units (the
 * Artix-7 35T). It trades cycles for area: one 257-bit adder, one 264 x 16-bit multiply-
 * accumulate row (11 DSP tiles on a 7-series part) and a handful of 256-bit registers do
 * everything.
 *
 * Registers: A (a_reg), B (d_reg) and C (c_reg) as accepted; x_reg, the multiplicand; the
 * 512-bit {h_reg, l_reg}, which holds a product and is the shift register of the divider;
 * s_reg, the partial remainder; r_reg, the result. The one adder computes
 *     (P ^ pinv) + (Q ^ qinv) + cin,   P in {A, {S, next dividend bit}, 0},  Q in {B/divisor, S, L, 0}
 * and serves ADD, SUB and the comparisons, the operand preparation (|A|, |B|, A + B, ~B), each
 * restoring division step, and the final negation or pass of a result; x_reg and (but for the
 * bitwise results) r_reg are loaded from it only.
 *
 * The multiplier forms x_reg * y in 16 steps of x_reg * (a 16-bit limb of y) + h_reg, least
 * significant limb first; the upper 256 bits of each step stay in h_reg and 16 finished bits
 * enter l_reg at its top, so after 16 steps {h_reg, l_reg} = x * y. y is a limb of A, B or
 * x_reg, or a power of two made from a limb counter (no 256-bit operand), which turns the
 * multiplier into the shifter:
 *   SHL by n: the low half of B * 2^n; SHR by n: the high half of B * 2^(256 - n); SAR: SHR of
 *   ~B, inverted, when B is negative; BYTE i: the low byte of the high half of B * 2^(8i + 8).
 * Shifts by 0 or by 256 or more, BYTE 31 and BYTE 32+ need no shifting: they are bitwise
 * results, like AND OR XOR NOT and SIGNEXTEND.
 *
 * Division (DIV SDIV MOD SMOD ADDMOD) is restoring, one quotient bit per cycle, normalised with
 * the multiplier: with n and d the bit lengths of the dividend N (|A|, or the 257-bit A + B) and
 * the divisor D (|B| or C), the quotient has at most k = n - d + 1 bits. N * 2^(256 - k) puts
 * N >> k (fewer bits than D: already a valid partial remainder) in h_reg, which is copied to
 * s_reg, and N's low k bits at the top of l_reg; k steps then shift them into s_reg and shift
 * the quotient bits into the bottom of l_reg, which ends holding the quotient. MULMOD divides
 * the 512-bit product {h_reg, l_reg} in place: 512 steps. The signed opcodes divide magnitudes
 * and negate at the end (the quotient if the signs differ, the remainder if A is negative), so
 * SDIV of -2^255 by -1 is -2^255; a zero divisor gives 0, and so does ADDMOD/MULMOD modulo 1.
 * EXP squares and multiplies on the multiplier, left to right from the exponent's leading one.
 *
 * Latency in cycles from acceptance to m_valid (m_cycles), with k = max(1, n - d + 1):
 *   1   unknown opcodes (result 0, m_unknown_op)
 *   2   ADD SUB LT GT SLT SGT EQ ISZERO AND OR XOR NOT SIGNEXTEND; SHL/SHR/SAR by 0 or >= 256,
 *       BYTE 31 or >= 32
 *   19  MUL, SHL;  20  SHR SAR BYTE
 *   23 + k  DIV SDIV MOD SMOD ADDMOD (<= 279; 5 for a zero divisor, ADDMOD modulo 0 or 1)
 *   534 MULMOD (21 modulo 0 or 1)
 *   5 + 17 P  EXP, P = (bit length - 1) squares + (ones - 1) multiplies (4 for exponent 0 or 1;
 *             8,675 for 2^256 - 1)
 * s_ready is high only while idle: after m_valid && m_ready the unit is idle for one cycle.
 *
 * As in evm_alu, the wide logic is written inside the clocked block's state branches, so the
 * Verilator model evaluates it only while an opcode is in flight; the operands s_a/s_b/s_c are
 * read only in the acceptance cycle.
 */
module evm_alu_compact (
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
  localparam [3:0] ST_DONE     = 4'd1;    // m_valid, result in r_reg
  localparam [3:0] ST_SIMPLE   = 4'd2;    // ADD SUB, comparisons (the adder), bitwise results
  localparam [3:0] ST_LOAD_X   = 4'd3;    // x_reg <= A, |A|, A + B, B or ~B
  localparam [3:0] ST_LOAD_D   = 4'd4;    // d_reg <= |B| or C
  localparam [3:0] ST_LZC      = 4'd5;    // leading-zero counters sample x_reg and d_reg
  localparam [3:0] ST_NORM     = 4'd6;    // counts ready: zero checks, normalisation, EXP start
  localparam [3:0] ST_MUL      = 4'd7;    // 16 multiply-accumulate steps, then mul_ret_reg
  localparam [3:0] ST_COPY     = 4'd8;    // s_reg <= h_reg (high half of a product)
  localparam [3:0] ST_DIV      = 4'd9;    // one restoring division step per cycle
  localparam [3:0] ST_EXP_NEXT = 4'd10;   // x_reg <= the last product; next square or multiply
  localparam [3:0] ST_FINAL    = 4'd11;   // r_reg <= the result through the adder

  // Where the multiplier's 16-bit y limb comes from
  localparam [1:0] Y_X      = 2'd0;   // x_reg (EXP squares)
  localparam [1:0] Y_A      = 2'd1;   // a_reg (EXP multiplies by the base)
  localparam [1:0] Y_D      = 2'd2;   // d_reg = B (MUL, MULMOD)
  localparam [1:0] Y_POWER  = 2'd3;   // 2^power_reg (shifts, division normalisation)

  // Adder operand selects
  localparam [1:0] P_A      = 2'd0;
  localparam [1:0] P_TRIAL  = 2'd1;   // {s_reg, next dividend bit}
  localparam [1:0] P_ZERO   = 2'd2;
  localparam [1:0] Q_D      = 2'd0;
  localparam [1:0] Q_S      = 2'd1;
  localparam [1:0] Q_L      = 2'd2;
  localparam [1:0] Q_ZERO   = 2'd3;

  reg [3:0]   state_reg = ST_IDLE;
  reg [7:0]   op_reg = 8'd0;
  reg         unknown_reg = 1'b0;
  reg [31:0]  cycles_reg = 32'd0;

  reg [255:0] a_reg = 256'd0;     // A (EXP: the base)
  reg [255:0] c_reg = 256'd0;     // C (ADDMOD, MULMOD: the modulus)
  reg [255:0] d_reg = 256'd0;     // B, then the divisor |B| or C (EXP: the exponent)
  reg [256:0] x_reg = 257'd0;     // multiplicand; the dividend N before normalisation
  reg [255:0] h_reg = 256'd0;     // product high half; dividend shift register (MULMOD)
  reg [255:0] l_reg = 256'd0;     // product low half; dividend bits in, quotient bits out
  reg [255:0] s_reg = 256'd0;     // partial remainder (also a copy of h_reg for SHR SAR BYTE)
  reg [255:0] r_reg = 256'd0;     // the result

  reg [9:0]   count_reg = 10'd0;  // multiplier limb (0..15) or division steps left (1..512)
  reg [7:0]   power_reg = 8'd0;   // e of Y_POWER = 2^e
  reg [1:0]   y_sel_reg = Y_X;
  reg [3:0]   mul_ret_reg = ST_FINAL;   // state after the 16th multiply step
  reg [7:0]   exp_bit_reg = 8'd0;       // exponent bit of the next square
  reg         exp_square_reg = 1'b0;    // the product in flight is a square (else a multiply by A)
  reg         neg_a_reg = 1'b0;         // SDIV/SMOD: A < 0, divide |A|
  reg         neg_b_reg = 1'b0;         // SDIV/SMOD: B < 0, divide by |B|
  reg         negate_reg = 1'b0;        // negate the quotient / remainder at the end
  reg         invert_reg = 1'b0;        // SAR of a negative B: shift ~B, invert the result
  reg         final_s_reg = 1'b0;       // the result is s_reg (else l_reg) through the adder
  reg [34:0]  bitwise_reg = 35'd0;      // bitwise_control of the accepted opcode

  // ---------------------------------------------------------------- opcode classes (at s_op)
  wire s_is_shift = s_op == evm_fpga_pkg::OP_SHL || s_op == evm_fpga_pkg::OP_SHR ||
                    s_op == evm_fpga_pkg::OP_SAR;
  wire s_is_byte  = s_op == evm_fpga_pkg::OP_BYTE;
  // Shift amounts that need no shifting: 0 (B itself) or >= 256 (0, or all ones for SAR of a
  // negative B); BYTE 31 is B & 0xff, BYTE >= 32 is 0.
  wire s_amount_high = s_a[255:8] != 248'd0;
  wire s_shift_none  = s_is_shift && (s_amount_high || s_a[7:0] == 8'd0);
  wire s_byte_none   = s_is_byte && (s_a[255:5] != 251'd0 || s_a[4:0] == 5'd31);

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

  // State after acceptance
  reg [3:0] s_next;
  always @* begin
    case (s_op)
      evm_fpga_pkg::OP_ADD, evm_fpga_pkg::OP_SUB, evm_fpga_pkg::OP_LT, evm_fpga_pkg::OP_GT,
      evm_fpga_pkg::OP_SLT, evm_fpga_pkg::OP_SGT, evm_fpga_pkg::OP_EQ, evm_fpga_pkg::OP_ISZERO,
      evm_fpga_pkg::OP_AND, evm_fpga_pkg::OP_OR, evm_fpga_pkg::OP_XOR, evm_fpga_pkg::OP_NOT,
      evm_fpga_pkg::OP_SIGNEXTEND: s_next = ST_SIMPLE;
      evm_fpga_pkg::OP_MUL, evm_fpga_pkg::OP_DIV, evm_fpga_pkg::OP_SDIV, evm_fpga_pkg::OP_MOD,
      evm_fpga_pkg::OP_SMOD, evm_fpga_pkg::OP_ADDMOD, evm_fpga_pkg::OP_MULMOD,
      evm_fpga_pkg::OP_EXP: s_next = ST_LOAD_X;
      evm_fpga_pkg::OP_SHL, evm_fpga_pkg::OP_SHR, evm_fpga_pkg::OP_SAR,
      evm_fpga_pkg::OP_BYTE: s_next = s_shift_none || s_byte_none ? ST_SIMPLE : ST_LOAD_X;
      default: s_next = ST_DONE;   // unknown opcodes: result 0
    endcase
  end

  // ---------------------------------------------------------------- bitwise results
  // AND, OR, XOR, NOT, SIGNEXTEND, the shifts that need no shifting and BYTE 31/32+ are each a
  // per-bit function of A, B, a keep bit per byte and one fill bit: AND, OR, XOR (keep none),
  // NOT (A ^ 1: keep all), and "keep ? B : fill", which is SIGNEXTEND, a shift by 0 (keep
  // all), BYTE 31 (keep byte 0), the shifts by 256 or more and BYTE 32+ (keep none). The
  // control word {mode, fill, keep} is formed at acceptance and registered, and the result in
  // the next cycle from a_reg and d_reg: registered control keeps the per-bit logic to one
  // 6-input function (in one cycle the synthesis duplicates the control into every bit).
  localparam [1:0] BW_AND = 2'd0;
  localparam [1:0] BW_OR  = 2'd1;
  localparam [1:0] BW_XOR = 2'd2;
  localparam [1:0] BW_SEL = 2'd3;   // keep ? B : fill

  // {mode[1:0], fill, keep[31:0]} (keep per byte, byte 0 the least significant)
  function [34:0] bitwise_control;
    input [7:0]   op;
    input [255:0] a;
    input [255:0] b;
    input         shift_none;   // a shift by 0 or by 256 or more
    input         amount_high;  // A >= 256
    input         byte_none;    // BYTE 31 or BYTE 32+
    reg [31:0]    keep;
    reg           fill;
    reg [1:0]     mode;
    begin
      keep = 32'd0;
      fill = 1'b0;
      if (op == evm_fpga_pkg::OP_NOT) begin
        keep = 32'hffff_ffff;
      end else if (op == evm_fpga_pkg::OP_SIGNEXTEND) begin
        if (a[255:5] != 251'd0 || a[4:0] == 5'd31) begin
          keep = 32'hffff_ffff;
        end else begin
          keep = ~(32'hffff_fffe << a[4:0]);     // bytes 0 .. A
          fill = b[{a[4:0], 3'b111}];            // the sign bit of byte A
        end
      end else if (shift_none) begin
        keep = amount_high ? 32'd0 : 32'hffff_ffff;
        fill = op == evm_fpga_pkg::OP_SAR && b[255];
      end else if (byte_none) begin
        keep = {31'd0, a[255:5] == 251'd0};      // BYTE 31: the least significant byte
      end
      case (op)
        evm_fpga_pkg::OP_AND: mode = BW_AND;
        evm_fpga_pkg::OP_OR:  mode = BW_OR;
        evm_fpga_pkg::OP_XOR, evm_fpga_pkg::OP_NOT: mode = BW_XOR;
        default: mode = BW_SEL;
      endcase
      bitwise_control = {mode, fill, keep};
    end
  endfunction

  function [255:0] bitwise_result;
    input [34:0]  control;
    input [255:0] a;
    input [255:0] b;
    reg [255:0]   keep_bits;
    integer       j;
    begin
      for (j = 0; j < 32; j = j + 1) begin
        keep_bits[8*j +: 8] = {8{control[j]}};
      end
      case (control[34:33])
        BW_AND:  bitwise_result = a & b;
        BW_OR:   bitwise_result = a | b;
        BW_XOR:  bitwise_result = a ^ (b | keep_bits);
        default: bitwise_result = (b & keep_bits) | ({256{control[32]}} & ~keep_bits);
      endcase
    end
  endfunction

  // ---------------------------------------------------------------- multiply-accumulate row
  // x * y + h for a 257-bit x, a 16-bit y and a 256-bit h: 11 products of a 24-bit slice of x
  // by y, each with the matching 24-bit slice of h added (one DSP tile each, the addition in
  // its post-adder), summed as two rows of non-overlapping 41-bit partials (even and odd
  // slices) by one carry chain. The sum is below 2^274; its low 272 bits are returned (the
  // product stays below 2^512 in every use, so the high half never exceeds 256 bits).
  function [271:0] mac_row;
    input [256:0] x;
    input [15:0]  y;
    input [255:0] h;
    reg [263:0] x_pad;
    reg [263:0] h_pad;
    reg [287:0] even_row;
    reg [287:0] odd_row;
    reg [287:0] total;
    reg [15:0]  unused_total;   // above 2^272: never set (see above)
    integer k;
    begin
      x_pad = {7'd0, x};
      h_pad = {8'd0, h};
      even_row = 288'd0;
      odd_row = 288'd0;
      for (k = 0; k < 11; k = k + 1) begin
        if (k % 2 == 0) begin
          even_row[24*k +: 41] = {17'd0, x_pad[24*k +: 24]} * {25'd0, y} + {17'd0, h_pad[24*k +: 24]};
        end else begin
          odd_row[24*k +: 41] = {17'd0, x_pad[24*k +: 24]} * {25'd0, y} + {17'd0, h_pad[24*k +: 24]};
        end
      end
      total = even_row + odd_row;
      unused_total = total[287:272];
      mac_row = total[271:0];
    end
  endfunction

  // ---------------------------------------------------------------- leading-zero counts
  // Sampled in ST_LZC, ready in ST_NORM: the dividend's (x_reg, below its bit 256) and the
  // divisor's or exponent's (d_reg).
  wire       lzc_enable = state_reg == ST_LZC;
  wire [8:0] lz_x;
  wire [8:0] lz_d;
  evm_lzc #(.WIDTH(256)) u_lzc_x (.clk(clk), .enable(lzc_enable), .value(x_reg[255:0]), .count(lz_x));
  evm_lzc #(.WIDTH(256)) u_lzc_d (.clk(clk), .enable(lzc_enable), .value(d_reg), .count(lz_d));

  // Normalisation (used in ST_NORM): n = bit length of the dividend (257 with ADDMOD's carry),
  // d = bit length of the divisor, k = n - d + 1 quotient bits at most, at least 1 step.
  wire [8:0] norm_n = x_reg[256] ? 9'd257 : 9'd256 - lz_x;
  wire [8:0] norm_d = 9'd256 - lz_d;
  wire       norm_k_small = norm_n < norm_d;                 // k <= 0: quotient 0, one step
  wire [7:0] norm_k_low = norm_n[7:0] + 8'd1 - norm_d[7:0];  // k mod 256 (k is 1..256 here)
  // The normalising power 256 - k, 0..255 (255 when k <= 0: one step then leaves S = N).
  wire [7:0] norm_power = norm_k_small ? 8'd255 : 8'd0 - norm_k_low;

  // ---------------------------------------------------------------- control and datapath
  wire op_mod_by_c  = op_reg == evm_fpga_pkg::OP_ADDMOD || op_reg == evm_fpga_pkg::OP_MULMOD;
  wire op_shifter   = op_reg == evm_fpga_pkg::OP_SHL || op_reg == evm_fpga_pkg::OP_SHR ||
                      op_reg == evm_fpga_pkg::OP_SAR || op_reg == evm_fpga_pkg::OP_BYTE;

  assign s_ready      = state_reg == ST_IDLE;
  assign m_valid      = state_reg == ST_DONE;
  assign m_result     = r_reg;
  assign m_cycles     = cycles_reg;
  assign m_unknown_op = m_valid && unknown_reg;

  always @(posedge clk) begin : p_unit
    reg [1:0]   p_sel;
    reg [1:0]   q_sel;
    reg         p_inv;
    reg         q_inv;
    reg         carry_in;
    reg [256:0] p_op;
    reg [256:0] q_op;
    reg [257:0] sum;          // sum[257]: carry out of the 257-bit addition
    reg         sum_zero;     // sum[255:0] == 0
    reg         shift_in;     // next dividend bit into the partial remainder
    reg [15:0]  y_limb;
    reg [271:0] mac;
    reg         compare;
    reg         write_r;      // r_reg <= sum, with the masks below
    reg         r_low_only;   // ... keeping only bit 0 (a comparison) or byte 0 (BYTE)
    reg         r_byte_only;
    reg         load_x;       // x_reg <= sum
    reg         start_mul;
    reg [1:0]   start_y_sel;
    reg [3:0]   start_ret;

    compare     = 1'b0;
    write_r     = 1'b0;
    r_low_only  = 1'b0;
    r_byte_only = 1'b0;
    load_x      = 1'b0;
    start_mul   = 1'b0;
    start_y_sel = Y_X;
    start_ret   = ST_FINAL;

    if (state_reg != ST_IDLE && !m_valid) begin
      cycles_reg <= cycles_reg + 32'd1;
    end

    if (state_reg == ST_IDLE) begin
      // ------------------------------------------------------------ acceptance
      if (s_valid) begin
        op_reg      <= s_op;
        unknown_reg <= !s_known;
        cycles_reg  <= 32'd1;
        a_reg       <= s_a;
        c_reg       <= s_c;
        d_reg       <= s_b;
        state_reg   <= s_next;
        // SDIV: the quotient's sign is the product of the signs; SMOD: the remainder has A's.
        neg_a_reg   <= (s_op == evm_fpga_pkg::OP_SDIV || s_op == evm_fpga_pkg::OP_SMOD) && s_a[255];
        neg_b_reg   <= (s_op == evm_fpga_pkg::OP_SDIV || s_op == evm_fpga_pkg::OP_SMOD) && s_b[255];
        negate_reg  <= (s_op == evm_fpga_pkg::OP_SDIV && s_a[255] != s_b[255]) ||
                       (s_op == evm_fpga_pkg::OP_SMOD && s_a[255]);
        invert_reg  <= s_op == evm_fpga_pkg::OP_SAR && s_b[255];
        final_s_reg <= !(s_op == evm_fpga_pkg::OP_DIV || s_op == evm_fpga_pkg::OP_SDIV ||
                         s_op == evm_fpga_pkg::OP_MUL || s_op == evm_fpga_pkg::OP_EXP ||
                         s_op == evm_fpga_pkg::OP_SHL);
        // The shifter's power of two: SHL n: 2^n; SHR/SAR n: 2^(256 - n); BYTE i: 2^(8i + 8).
        if (s_op == evm_fpga_pkg::OP_SHL) begin
          power_reg <= s_a[7:0];
        end else if (s_is_byte) begin
          power_reg <= {s_a[4:0] + 5'd1, 3'b000};
        end else begin
          power_reg <= ~s_a[7:0] + 8'd1;
        end
        bitwise_reg <= bitwise_control(s_op, s_a, s_b, s_shift_none, s_amount_high, s_byte_none);
        if (!s_known) begin
          r_reg <= 256'd0;
        end
      end
    end else if (!m_valid) begin
      // ------------------------------------------------------------ the adder
      p_sel    = P_ZERO;
      q_sel    = Q_ZERO;
      p_inv    = 1'b0;
      q_inv    = 1'b0;
      carry_in = 1'b0;
      case (state_reg)
        ST_SIMPLE: begin  // A + B, A - B (comparisons), A + 0 (ISZERO)
          p_sel    = P_A;
          q_sel    = op_reg == evm_fpga_pkg::OP_ISZERO ? Q_ZERO : Q_D;
          q_inv    = op_reg != evm_fpga_pkg::OP_ADD && op_reg != evm_fpga_pkg::OP_ISZERO;
          carry_in = q_inv;
        end
        ST_LOAD_X: begin
          if (op_shifter) begin           // B, or ~B for SAR of a negative B
            q_sel = Q_D;
            q_inv = invert_reg;
          end else begin                  // A, |A|, or A + B for ADDMOD
            p_sel    = P_A;
            p_inv    = neg_a_reg;
            carry_in = neg_a_reg;
            q_sel    = op_reg == evm_fpga_pkg::OP_ADDMOD ? Q_D : Q_ZERO;
          end
        end
        ST_LOAD_D: begin                  // 0 - B
          q_sel    = Q_D;
          q_inv    = 1'b1;
          carry_in = 1'b1;
        end
        ST_NORM: begin                    // EXP: 1 (exponent 0) or A (exponent 1); else 0
          p_sel    = op_reg == evm_fpga_pkg::OP_EXP && !lz_d[8] ? P_A : P_ZERO;
          carry_in = op_reg == evm_fpga_pkg::OP_EXP && lz_d[8];
        end
        ST_EXP_NEXT: begin                // x_reg <= the last product
          q_sel = Q_L;
        end
        ST_DIV: begin                     // {S, next bit} - D
          p_sel    = P_TRIAL;
          q_sel    = Q_D;
          q_inv    = 1'b1;
          carry_in = 1'b1;
        end
        ST_FINAL: begin                   // the result, negated or inverted if so
          q_sel    = final_s_reg ? Q_S : Q_L;
          q_inv    = negate_reg || invert_reg;
          carry_in = negate_reg;
        end
        default: ;
      endcase
      shift_in = op_reg == evm_fpga_pkg::OP_MULMOD ? h_reg[255] : l_reg[255];
      case (p_sel)
        P_A:     p_op = {1'b0, a_reg};
        P_TRIAL: p_op = {s_reg, shift_in};
        default: p_op = 257'd0;
      endcase
      case (q_sel)
        Q_D:     q_op = {1'b0, d_reg};
        Q_S:     q_op = {1'b0, s_reg};
        Q_L:     q_op = {1'b0, l_reg};
        default: q_op = 257'd0;
      endcase
      sum = {1'b0, p_op ^ {257{p_inv}}} + {1'b0, q_op ^ {257{q_inv}}} + {257'd0, carry_in};
      sum_zero = sum[255:0] == 256'd0;

      // ------------------------------------------------------------ the states
      case (state_reg)
        ST_SIMPLE: begin
          // Subtraction: sum[257] is the carry of A + ~B + 1, set when A >= B.
          case (op_reg)
            evm_fpga_pkg::OP_LT:  compare = !sum[257];
            evm_fpga_pkg::OP_GT:  compare = sum[257] && !sum_zero;
            evm_fpga_pkg::OP_SLT: compare = a_reg[255] != d_reg[255] ? a_reg[255] : !sum[257];
            evm_fpga_pkg::OP_SGT: compare = a_reg[255] != d_reg[255] ? d_reg[255] : sum[257] && !sum_zero;
            default:              compare = sum_zero;   // EQ, ISZERO
          endcase
          case (op_reg)
            evm_fpga_pkg::OP_ADD, evm_fpga_pkg::OP_SUB: write_r = 1'b1;
            evm_fpga_pkg::OP_LT, evm_fpga_pkg::OP_GT, evm_fpga_pkg::OP_SLT, evm_fpga_pkg::OP_SGT,
            evm_fpga_pkg::OP_EQ, evm_fpga_pkg::OP_ISZERO: begin
              write_r    = 1'b1;
              r_low_only = 1'b1;
            end
            default: r_reg <= bitwise_result(bitwise_reg, a_reg, d_reg);
          endcase
          state_reg <= ST_DONE;
        end

        ST_LOAD_X: begin
          load_x = 1'b1;
          case (op_reg)
            evm_fpga_pkg::OP_MUL: begin
              start_mul   = 1'b1;
              start_y_sel = Y_D;
              start_ret   = ST_FINAL;
            end
            evm_fpga_pkg::OP_MULMOD: begin
              start_mul   = 1'b1;
              start_y_sel = Y_D;
              start_ret   = ST_LOAD_D;
            end
            evm_fpga_pkg::OP_EXP: begin
              state_reg <= ST_LZC;
            end
            evm_fpga_pkg::OP_SHL, evm_fpga_pkg::OP_SHR, evm_fpga_pkg::OP_SAR,
            evm_fpga_pkg::OP_BYTE: begin
              start_mul   = 1'b1;
              start_y_sel = Y_POWER;
              start_ret   = op_reg == evm_fpga_pkg::OP_SHL ? ST_FINAL : ST_COPY;
            end
            default: begin   // DIV SDIV MOD SMOD ADDMOD
              state_reg <= ST_LOAD_D;
            end
          endcase
        end

        ST_LOAD_D: begin
          if (op_mod_by_c) begin
            d_reg <= c_reg;
          end else if (neg_b_reg) begin
            d_reg <= sum[255:0];
          end
          state_reg <= ST_LZC;
        end

        ST_LZC: begin
          state_reg <= ST_NORM;
        end

        ST_NORM: begin
          if (op_reg == evm_fpga_pkg::OP_EXP) begin
            exp_bit_reg    <= 8'd254 - lz_d[7:0];   // the bit below the leading one
            exp_square_reg <= 1'b1;
            if (lz_d[8] || lz_d == 9'd255) begin    // exponent 0 or 1: 1 or A
              write_r   = 1'b1;
              state_reg <= ST_DONE;
            end else begin
              start_mul   = 1'b1;
              start_y_sel = Y_X;
              start_ret   = ST_EXP_NEXT;
            end
          end else if (lz_d[8] || (op_mod_by_c && lz_d == 9'd255)) begin
            write_r   = 1'b1;                        // divisor 0, or modulo 1: 0
            state_reg <= ST_DONE;
          end else if (op_reg == evm_fpga_pkg::OP_MULMOD) begin
            s_reg     <= 256'd0;                     // divide the product in place
            count_reg <= 10'd512;
            state_reg <= ST_DIV;
          end else begin
            power_reg   <= norm_power;
            start_mul   = 1'b1;
            start_y_sel = Y_POWER;
            start_ret   = ST_COPY;
          end
        end

        ST_MUL: begin
          case (y_sel_reg)
            Y_X:     y_limb = x_reg[{1'b0, count_reg[3:0], 4'b0000} +: 16];
            Y_A:     y_limb = a_reg[{count_reg[3:0], 4'b0000} +: 16];
            Y_D:     y_limb = d_reg[{count_reg[3:0], 4'b0000} +: 16];
            default: y_limb = count_reg[3:0] == power_reg[7:4] ? 16'd1 << power_reg[3:0] : 16'd0;
          endcase
          mac = mac_row(x_reg, y_limb, h_reg);
          h_reg     <= mac[271:16];
          l_reg     <= {mac[15:0], l_reg[255:16]};
          count_reg <= count_reg + 10'd1;
          if (count_reg[3:0] == 4'd15) begin
            state_reg <= mul_ret_reg;
          end
        end

        ST_COPY: begin
          s_reg     <= h_reg;
          count_reg <= {1'b0, 9'd256 - {1'b0, power_reg}};   // division: k steps
          state_reg <= op_shifter ? ST_FINAL : ST_DIV;
        end

        ST_DIV: begin
          // sum[257]: {S, bit} >= D. The difference is then below D, so 256 bits hold it.
          s_reg     <= sum[257] ? sum[255:0] : {s_reg[254:0], shift_in};
          l_reg     <= {l_reg[254:0], sum[257]};
          h_reg     <= {h_reg[254:0], l_reg[255]};
          count_reg <= count_reg - 10'd1;
          if (count_reg == 10'd1) begin
            state_reg <= ST_FINAL;
          end
        end

        ST_EXP_NEXT: begin
          load_x = 1'b1;
          if (exp_square_reg && d_reg[exp_bit_reg]) begin
            exp_square_reg <= 1'b0;
            start_mul   = 1'b1;
            start_y_sel = Y_A;
            start_ret   = ST_EXP_NEXT;
          end else if (exp_bit_reg == 8'd0) begin
            state_reg <= ST_FINAL;
          end else begin
            exp_bit_reg    <= exp_bit_reg - 8'd1;
            exp_square_reg <= 1'b1;
            start_mul   = 1'b1;
            start_y_sel = Y_X;
            start_ret   = ST_EXP_NEXT;
          end
        end

        ST_FINAL: begin
          write_r     = 1'b1;
          r_byte_only = op_reg == evm_fpga_pkg::OP_BYTE;
          state_reg <= ST_DONE;
        end

        default: ;
      endcase

      // r_reg and x_reg have the adder as their only source (besides acceptance for r_reg).
      if (write_r) begin
        r_reg <= {r_low_only || r_byte_only ? 248'd0 : sum[255:8], r_low_only ? 7'd0 : sum[7:1],
                  r_low_only ? compare : sum[0]};
      end
      if (load_x) begin
        x_reg <= {op_reg == evm_fpga_pkg::OP_ADDMOD && sum[256], sum[255:0]};   // A + B's carry
      end
      if (start_mul) begin
        h_reg       <= 256'd0;
        count_reg   <= 10'd0;
        y_sel_reg   <= start_y_sel;
        mul_ret_reg <= start_ret;
        state_reg   <= ST_MUL;
      end
    end else if (m_ready) begin
      state_reg <= ST_IDLE;   // ST_DONE: the result is taken
    end

    if (rst) begin
      state_reg <= ST_IDLE;
    end
  end

endmodule

`resetall
