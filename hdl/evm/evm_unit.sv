`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * The EVM command (docs/protocol.md): a batch of 1..EVM_MAX_OPS_PER_FRAME opcode records, each
 * evaluated by evm_alu, answered as a stream of EVM_RESULT_BYTES-byte result records.
 *
 * Per frame: cmd_start latches the verdict on cmd_len: a positive multiple of EVM_RECORD_BYTES
 * up to EVM_MAX_OPS_PER_FRAME records is OK and cmd_result_len = EVM_RESULT_BYTES x N; anything
 * else is BAD_LENGTH (cmd_result_len 0) and no payload word is taken. Both are valid from the
 * cycle after cmd_start until the next cmd_start, so the dispatcher can send the response
 * header (whose LEN it then knows) before any result exists.
 *
 * Three stages, each holding one record, so gathering record k+1, computing record k and
 * sending record k-1 overlap:
 *   gather   13 payload words per record (64-bit little-endian): word 0 = opcode in [7:0]
 *            (the 7 reserved bytes are ignored), words 1-4 = A (word 1 = bits 63:0), 5-8 = B,
 *            9-12 = C, shifted in a word per clock while the stage is empty;
 *   evm_alu  one opcode in flight at a time, so its cycle count is this opcode's alone
 *            (evm_alu_compact instead with EVM_DATAPATH = 1: same results, more cycles);
 *   send     the result record (256-bit result LE, cycles u32 LE, status u8: 0 ok / 1 unknown
 *            opcode, 3 zero bytes) loaded into a shift register and handed out a byte per clock
 *            on m_data/m_valid/m_ready; a new record is loaded in the cycle the last byte of the
 *            previous one is taken, so a stream of results has no gaps.
 * The result byte stream carries no frame boundaries: it is the concatenation of every batch's
 * results in order, and the transmit framer takes exactly cmd_result_len bytes per frame.
 *
 * cmd_start may come as soon as the previous batch's payload words have all been taken (the
 * dispatcher sees that from its side: it releases the entry then); that batch's last records
 * may still be in the ALU and send stages, and the new batch's results queue behind them.
 */
module evm_unit #(
  parameter integer EVM_DATAPATH = 0   // 0: evm_alu (fast); 1: evm_alu_compact (about a quarter of the logic, more cycles)
) (
  input  wire         clk,
  input  wire         rst,

  input  wire         cmd_start,       // 1-cycle pulse: an EVM frame begins; cmd_len valid with it
  input  wire [15:0]  cmd_len,         // payload length in bytes
  output wire [7:0]   cmd_status,      // STATUS_OK / STATUS_BAD_LENGTH for the latest cmd_start
  output wire [15:0]  cmd_result_len,  // result bytes of that frame after the status byte: 40 x N, or 0

  input  wire [63:0]  s_word,          // payload words in order
  input  wire         s_valid,
  output wire         s_ready,

  output wire [7:0]   m_data,          // result record bytes, in order
  output wire         m_valid,
  input  wire         m_ready,

  output wire         busy             // a record is being gathered, computed or sent
);

  localparam integer RECORD_BYTES = evm_fpga_pkg::EVM_RECORD_BYTES;
  localparam integer RESULT_BYTES = evm_fpga_pkg::EVM_RESULT_BYTES;
  localparam integer MAX_OPS      = evm_fpga_pkg::EVM_MAX_OPS_PER_FRAME;

  generate
    if (EVM_DATAPATH != 0 && EVM_DATAPATH != 1) begin : g_check_datapath
      $fatal(1, "evm_unit: EVM_DATAPATH must be 0 (fast datapath) or 1 (compact datapath)");
    end
    if (RECORD_BYTES != 104 || RESULT_BYTES != 40) begin : g_check_layout
      $fatal(1, "evm_unit: written for 104-byte request records (13 words) and 40-byte result records");
    end
    if (MAX_OPS < 1 || MAX_OPS > 63 || MAX_OPS * RECORD_BYTES > 32'(evm_fpga_pkg::MAX_PAYLOAD)) begin : g_check_max_ops
      $fatal(1, "evm_unit: EVM_MAX_OPS_PER_FRAME must be 1..63 and its records must fit MAX_PAYLOAD");
    end
  endgenerate

  // Records in a payload of len bytes, or 0 if len is not 104 x (1..MAX_OPS). Compared against
  // the multiples of 104 (no divider); only evaluated in the cmd_start branch below.
  function [5:0] records_of;
    input [15:0] len;
    integer k;
    begin
      records_of = 6'd0;
      for (k = 1; k <= MAX_OPS; k = k + 1) begin
        if (len == 16'(RECORD_BYTES * k)) begin
          records_of = 6'(k);
        end
      end
    end
  endfunction

  // Verdict on the latest frame
  reg [7:0]   cmd_status_reg = 8'd0;
  reg [15:0]  cmd_result_len_reg = 16'd0;

  // Gather stage
  reg [5:0]   records_left_reg = 6'd0;   // records of the current frame not yet fully gathered
  reg [3:0]   word_reg = 4'd0;           // next word of the record, 0..12
  reg [7:0]   op_reg = 8'd0;
  reg [767:0] operands_reg = 768'd0;     // {C, B, A} once all 12 operand words are in
  reg         gathered_reg = 1'b0;       // a whole record waits for the ALU

  // ALU stage
  reg         alu_pending_reg = 1'b0;    // an opcode is in the ALU

  // Send stage
  reg [8*RESULT_BYTES-1:0] out_reg = {(8 * RESULT_BYTES){1'b0}};
  reg [5:0]   out_left_reg = 6'd0;       // bytes of out_reg still to hand out

  wire         alu_s_valid = gathered_reg && !alu_pending_reg;
  wire         alu_s_ready;
  wire         alu_m_valid;
  wire [255:0] alu_m_result;
  wire [31:0]  alu_m_cycles;
  wire         alu_m_unknown_op;

  wire word_take = s_valid && s_ready;
  wire issue     = alu_s_valid && alu_s_ready;
  wire out_take  = m_valid && m_ready;
  // The send stage can load a record now: empty, or its last byte is being taken.
  wire out_free  = out_left_reg == 6'd0 || (out_left_reg == 6'd1 && m_ready);
  wire complete  = alu_m_valid && out_free;

  assign cmd_status     = cmd_status_reg;
  assign cmd_result_len = cmd_result_len_reg;
  assign s_ready        = records_left_reg != 6'd0 && !gathered_reg;
  assign m_data         = out_reg[7:0];
  assign m_valid        = out_left_reg != 6'd0;
  assign busy           = records_left_reg != 6'd0 || gathered_reg || alu_pending_reg || m_valid;

  // The two datapaths have the same ports and the same results; only their cycle counts differ.
  generate
    if (EVM_DATAPATH == 1) begin : g_compact
      evm_alu_compact u_alu (
        .clk          (clk),
        .rst          (rst),
        .s_valid      (alu_s_valid),
        .s_ready      (alu_s_ready),
        .s_op         (op_reg),
        .s_a          (operands_reg[255:0]),
        .s_b          (operands_reg[511:256]),
        .s_c          (operands_reg[767:512]),
        .m_valid      (alu_m_valid),
        .m_ready      (out_free),
        .m_result     (alu_m_result),
        .m_cycles     (alu_m_cycles),
        .m_unknown_op (alu_m_unknown_op)
      );
    end else begin : g_fast
      evm_alu u_alu (
        .clk          (clk),
        .rst          (rst),
        .s_valid      (alu_s_valid),
        .s_ready      (alu_s_ready),
        .s_op         (op_reg),
        .s_a          (operands_reg[255:0]),
        .s_b          (operands_reg[511:256]),
        .s_c          (operands_reg[767:512]),
        .m_valid      (alu_m_valid),
        .m_ready      (out_free),
        .m_result     (alu_m_result),
        .m_cycles     (alu_m_cycles),
        .m_unknown_op (alu_m_unknown_op)
      );
    end
  endgenerate

  // Frame verdict and gather stage
  always @(posedge clk) begin
    if (cmd_start) begin
      records_left_reg <= records_of(cmd_len);
      word_reg         <= 4'd0;
      if (records_of(cmd_len) == 6'd0) begin
        cmd_status_reg     <= evm_fpga_pkg::STATUS_BAD_LENGTH;
        cmd_result_len_reg <= 16'd0;
      end else begin
        cmd_status_reg     <= evm_fpga_pkg::STATUS_OK;
        cmd_result_len_reg <= 16'(RESULT_BYTES) * {10'd0, records_of(cmd_len)};
      end
    end else if (word_take) begin
      if (word_reg == 4'd0) begin
        op_reg <= s_word[7:0];
      end else begin
        operands_reg <= {s_word, operands_reg[767:64]};
      end
      if (word_reg == 4'd12) begin
        word_reg         <= 4'd0;
        gathered_reg     <= 1'b1;
        records_left_reg <= records_left_reg - 6'd1;
      end else begin
        word_reg <= word_reg + 4'd1;
      end
    end

    if (issue) begin
      gathered_reg <= 1'b0;   // never set in the same cycle: no word is taken while gathered
    end

    if (rst) begin
      records_left_reg <= 6'd0;
      word_reg         <= 4'd0;
      gathered_reg     <= 1'b0;
      cmd_status_reg   <= evm_fpga_pkg::STATUS_OK;
    end
  end

  // ALU and send stages
  always @(posedge clk) begin
    if (issue) begin
      alu_pending_reg <= 1'b1;
    end else if (complete) begin
      alu_pending_reg <= 1'b0;
    end

    if (complete) begin
      out_reg      <= {24'd0, 7'd0, alu_m_unknown_op, alu_m_cycles, alu_m_result};
      out_left_reg <= 6'(RESULT_BYTES);
    end else if (out_take) begin
      out_reg      <= out_reg >> 8;
      out_left_reg <= out_left_reg - 6'd1;
    end

    if (rst) begin
      alu_pending_reg <= 1'b0;
      out_left_reg    <= 6'd0;
    end
  end

endmodule

`resetall
