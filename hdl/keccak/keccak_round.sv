`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * One round of Keccak-f[1600] (theta, rho, pi, chi, iota), purely combinational.
 *
 * Lane (x,y) is state[64*(x+5*y) +: 64] and byte i of the state is state[8i+7:8i], the standard
 * little-endian mapping of FIPS 202 / XKCP. Every step is written per 64-bit lane with
 * elaboration-time indices and rotation amounts, so the whole round is wiring plus XOR/AND/NOT:
 * no variable shifts, no muxes except the round-constant lookup.
 *
 * keccak_sponge chains ROUNDS_PER_CLK of these behind its state register.
 */
module keccak_round (
  input  wire [1599:0] state_in,     // state before the round
  input  wire [4:0]    round_index,  // 0..23: selects the iota round constant
  output wire [1599:0] state_out     // state after the round
);

  // rho rotation amounts r[x][y], lane index x+5*y, 6 bits each (lane 0 in the low bits).
  localparam [149:0] RHO_OFFSETS = {
    6'd14, 6'd56, 6'd61, 6'd2,  6'd18,   // y = 4, x = 4..0
    6'd8,  6'd21, 6'd15, 6'd45, 6'd41,   // y = 3
    6'd39, 6'd25, 6'd43, 6'd10, 6'd3,    // y = 2
    6'd20, 6'd55, 6'd6,  6'd44, 6'd36,   // y = 1
    6'd27, 6'd28, 6'd62, 6'd1,  6'd0     // y = 0
  };

  // iota round constants RC[i]; the round index never leaves 0..23.
  function [63:0] round_constant(input [4:0] index);
    case (index)
      5'd0:    round_constant = 64'h0000000000000001;
      5'd1:    round_constant = 64'h0000000000008082;
      5'd2:    round_constant = 64'h800000000000808A;
      5'd3:    round_constant = 64'h8000000080008000;
      5'd4:    round_constant = 64'h000000000000808B;
      5'd5:    round_constant = 64'h0000000080000001;
      5'd6:    round_constant = 64'h8000000080008081;
      5'd7:    round_constant = 64'h8000000000008009;
      5'd8:    round_constant = 64'h000000000000008A;
      5'd9:    round_constant = 64'h0000000000000088;
      5'd10:   round_constant = 64'h0000000080008009;
      5'd11:   round_constant = 64'h000000008000000A;
      5'd12:   round_constant = 64'h000000008000808B;
      5'd13:   round_constant = 64'h800000000000008B;
      5'd14:   round_constant = 64'h8000000000008089;
      5'd15:   round_constant = 64'h8000000000008003;
      5'd16:   round_constant = 64'h8000000000008002;
      5'd17:   round_constant = 64'h8000000000000080;
      5'd18:   round_constant = 64'h000000000000800A;
      5'd19:   round_constant = 64'h800000008000000A;
      5'd20:   round_constant = 64'h8000000080008081;
      5'd21:   round_constant = 64'h8000000000008080;
      5'd22:   round_constant = 64'h0000000080000001;
      5'd23:   round_constant = 64'h8000000080008008;
      default: round_constant = 64'h0000000000000000;
    endcase
  endfunction

  wire [319:0]  column_parity;  // theta C[x] = XOR over y of A[x][y], at [64*x +: 64]
  wire [319:0]  theta_effect;   // theta D[x] = C[x-1] ^ rot(C[x+1], 1)
  wire [1599:0] pi_out;         // B = pi(rho(theta(A))), same lane layout as the state

  genvar x, y;
  generate
    for (x = 0; x < 5; x = x + 1) begin : g_column
      assign column_parity[64*x +: 64] = state_in[64*x +: 64] ^ state_in[64*(x+5) +: 64] ^
                                         state_in[64*(x+10) +: 64] ^ state_in[64*(x+15) +: 64] ^
                                         state_in[64*(x+20) +: 64];
    end

    for (x = 0; x < 5; x = x + 1) begin : g_theta
      localparam integer XM1 = (x + 4) % 5;
      localparam integer XP1 = (x + 1) % 5;
      assign theta_effect[64*x +: 64] = column_parity[64*XM1 +: 64] ^
          {column_parity[64*XP1 +: 63], column_parity[64*XP1 + 63]};
    end

    // theta applied, rotated by r[x][y] (rho) and moved to (y, 2x+3y mod 5) (pi).
    for (y = 0; y < 5; y = y + 1) begin : g_rho_pi_row
      for (x = 0; x < 5; x = x + 1) begin : g_rho_pi
        localparam integer ROT = {26'd0, RHO_OFFSETS[6*(x+5*y) +: 6]};
        localparam integer DEST = y + 5 * ((2 * x + 3 * y) % 5);
        wire [63:0] lane = state_in[64*(x+5*y) +: 64] ^ theta_effect[64*x +: 64];
        if (ROT == 0) begin : g_no_rotate
          assign pi_out[64*DEST +: 64] = lane;
        end else begin : g_rotate
          assign pi_out[64*DEST +: 64] = {lane[63-ROT:0], lane[63:64-ROT]};
        end
      end
    end

    // chi, and iota on lane (0,0).
    for (y = 0; y < 5; y = y + 1) begin : g_chi_row
      for (x = 0; x < 5; x = x + 1) begin : g_chi
        localparam integer XP1 = (x + 1) % 5;
        localparam integer XP2 = (x + 2) % 5;
        wire [63:0] chi = pi_out[64*(x+5*y) +: 64] ^
                          (~pi_out[64*(XP1+5*y) +: 64] & pi_out[64*(XP2+5*y) +: 64]);
        if (x == 0 && y == 0) begin : g_iota
          assign state_out[63:0] = chi ^ round_constant(round_index);
        end else begin : g_plain
          assign state_out[64*(x+5*y) +: 64] = chi;
        end
      end
    end
  endgenerate

endmodule

`resetall
