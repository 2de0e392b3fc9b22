`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * Transmit framer: turns a response descriptor plus its result bytes into a frame
 * SOF, LEN, CMD | RESPONSE_FLAG, ID, status, result, CRC-32 (over LEN .. last result byte),
 * multi-byte fields little-endian, LEN = 1 + result length. One byte per clock when the sink
 * is ready; the output byte comes from a register. A new descriptor is taken only once the
 * previous frame's bytes have all been issued.
 *
 * The result bytes need not exist when the descriptor is taken: the header and status go out
 * first and each result byte is sent when s_res_valid offers it (EVM results are computed while
 * their frame is being sent); the CRC is updated as the bytes pass.
 */
module tx_framer (
  input  wire        clk,
  input  wire        rst,

  input  wire        s_desc_valid,
  output wire        s_desc_ready,
  input  wire [7:0]  s_desc_cmd,         // request CMD; RESPONSE_FLAG is OR-ed in here
  input  wire [15:0] s_desc_id,
  input  wire [7:0]  s_desc_status,
  input  wire [15:0] s_desc_result_len,  // result bytes that follow the status byte (LEN - 1)

  input  wire [7:0]  s_res_data,         // the result bytes, in order
  input  wire        s_res_valid,
  output wire        s_res_ready,

  output wire [7:0]  m_data,             // frame bytes
  output wire        m_valid,
  input  wire        m_ready,

  output wire        idle                // no frame in progress, output register empty
);

  localparam [3:0]
    STATE_IDLE   = 4'd0,
    STATE_SOF    = 4'd1,
    STATE_LEN0   = 4'd2,
    STATE_LEN1   = 4'd3,
    STATE_CMD    = 4'd4,
    STATE_ID0    = 4'd5,
    STATE_ID1    = 4'd6,
    STATE_STATUS = 4'd7,
    STATE_RESULT = 4'd8,
    STATE_CRC0   = 4'd9,
    STATE_CRC1   = 4'd10,
    STATE_CRC2   = 4'd11,
    STATE_CRC3   = 4'd12;

  reg [3:0]  state_reg = STATE_IDLE, state_next;
  reg [7:0]  cmd_reg = 8'd0, cmd_next;
  reg [15:0] id_reg = 16'd0, id_next;
  reg [7:0]  status_reg = 8'd0, status_next;
  reg [15:0] left_reg = 16'd0, left_next;  // result bytes still to send
  reg [31:0] crc_reg = 32'hFFFFFFFF, crc_next;
  reg [7:0]  out_data_reg = 8'd0, out_data_next;
  reg        out_valid_reg = 1'b0, out_valid_next;

  reg        desc_ready;
  reg        res_ready;
  reg [7:0]  byte_out;   // byte emitted this cycle (when emitting)
  reg        emit;       // a byte goes to the output register this cycle
  reg        in_crc;     // the byte is covered by the CRC

  wire        out_free = !out_valid_reg || m_ready;
  wire [15:0] frame_len = left_reg + 16'd1;          // status byte + result
  wire [31:0] crc_fcs = ~crc_reg;                     // transmitted CRC (final XOR)
  wire [31:0] crc_updated;

  crc32_byte crc_unit (
    .crc_in(crc_reg),
    .data(byte_out),
    .crc_out(crc_updated)
  );

  assign s_desc_ready = desc_ready;
  assign s_res_ready  = res_ready;
  assign m_data       = out_data_reg;
  assign m_valid      = out_valid_reg;
  assign idle         = state_reg == STATE_IDLE && !out_valid_reg;

  // The byte each state emits, in its own block: it feeds the CRC unit, whose output the main
  // block uses, and one block doing both would be a combinational loop to Verilator.
  always @* begin
    case (state_reg)
      STATE_SOF:    byte_out = evm_fpga_pkg::FRAME_SOF;
      STATE_LEN0:   byte_out = frame_len[7:0];
      STATE_LEN1:   byte_out = frame_len[15:8];
      STATE_CMD:    byte_out = cmd_reg;
      STATE_ID0:    byte_out = id_reg[7:0];
      STATE_ID1:    byte_out = id_reg[15:8];
      STATE_STATUS: byte_out = status_reg;
      STATE_RESULT: byte_out = s_res_data;
      STATE_CRC0:   byte_out = crc_fcs[7:0];
      STATE_CRC1:   byte_out = crc_fcs[15:8];
      STATE_CRC2:   byte_out = crc_fcs[23:16];
      STATE_CRC3:   byte_out = crc_fcs[31:24];
      default:      byte_out = 8'd0;
    endcase
  end

  always @* begin
    state_next     = state_reg;
    cmd_next       = cmd_reg;
    id_next        = id_reg;
    status_next    = status_reg;
    left_next      = left_reg;
    crc_next       = crc_reg;
    out_data_next  = out_data_reg;
    out_valid_next = out_valid_reg && !m_ready;
    desc_ready     = 1'b0;
    res_ready      = 1'b0;
    emit           = 1'b0;
    in_crc         = 1'b1;

    case (state_reg)
      STATE_IDLE: begin
        desc_ready = 1'b1;
        if (s_desc_valid) begin
          cmd_next    = s_desc_cmd | evm_fpga_pkg::RESPONSE_FLAG;
          id_next     = s_desc_id;
          status_next = s_desc_status;
          left_next   = s_desc_result_len;
          crc_next    = 32'hFFFFFFFF;
          state_next  = STATE_SOF;
        end
      end
      STATE_SOF: begin
        in_crc     = 1'b0;
        emit       = out_free;
        state_next = emit ? STATE_LEN0 : state_reg;
      end
      STATE_LEN0: begin
        emit       = out_free;
        state_next = emit ? STATE_LEN1 : state_reg;
      end
      STATE_LEN1: begin
        emit       = out_free;
        state_next = emit ? STATE_CMD : state_reg;
      end
      STATE_CMD: begin
        emit       = out_free;
        state_next = emit ? STATE_ID0 : state_reg;
      end
      STATE_ID0: begin
        emit       = out_free;
        state_next = emit ? STATE_ID1 : state_reg;
      end
      STATE_ID1: begin
        emit       = out_free;
        state_next = emit ? STATE_STATUS : state_reg;
      end
      STATE_STATUS: begin
        emit     = out_free;
        if (emit) begin
          state_next = (left_reg == 16'd0) ? STATE_CRC0 : STATE_RESULT;
        end
      end
      STATE_RESULT: begin
        res_ready = out_free;
        emit      = out_free && s_res_valid;
        if (emit) begin
          left_next = left_reg - 16'd1;
          if (left_reg == 16'd1) begin
            state_next = STATE_CRC0;
          end
        end
      end
      STATE_CRC0: begin
        in_crc     = 1'b0;
        emit       = out_free;
        state_next = emit ? STATE_CRC1 : state_reg;
      end
      STATE_CRC1: begin
        in_crc     = 1'b0;
        emit       = out_free;
        state_next = emit ? STATE_CRC2 : state_reg;
      end
      STATE_CRC2: begin
        in_crc     = 1'b0;
        emit       = out_free;
        state_next = emit ? STATE_CRC3 : state_reg;
      end
      default: begin  // STATE_CRC3
        in_crc     = 1'b0;
        emit       = out_free;
        state_next = emit ? STATE_IDLE : state_reg;
      end
    endcase

    if (emit) begin
      out_data_next  = byte_out;
      out_valid_next = 1'b1;
      if (in_crc) begin
        crc_next = crc_updated;
      end
    end
  end

  always @(posedge clk) begin
    state_reg     <= state_next;
    cmd_reg       <= cmd_next;
    id_reg        <= id_next;
    status_reg    <= status_next;
    left_reg      <= left_next;
    crc_reg       <= crc_next;
    out_data_reg  <= out_data_next;
    out_valid_reg <= out_valid_next;

    if (rst) begin
      state_reg     <= STATE_IDLE;
      out_valid_reg <= 1'b0;
    end
  end

endmodule

`resetall
