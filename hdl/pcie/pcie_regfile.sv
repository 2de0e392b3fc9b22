`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * The PCIe top's register file: an AXI4-Lite slave (the XDMA IP's M_AXI_LITE, the "user" BAR
 * that the driver exposes as /dev/xdma0_user) with identity, configuration, control and
 * counters. Offsets and bits: hdl/pcie/pcie_regs_pkg.sv (docs/pcie.md "Register file").
 *
 * One transaction at a time each way, answered in the clock after it is complete (OKAY always;
 * unmapped reads return 0, writes to read-only offsets are ignored). Byte strobes apply to the
 * two writable registers. 64-bit counters are read LO first: the LO read latches the HI half,
 * so the pair is consistent.
 *
 * A soft reset (CONTROL bit 0) holds `core_rst` for RESET_CYCLES clocks and zeroes the counters;
 * the register file itself only resets with `rst`.
 */
module pcie_regfile #(
  parameter integer ADDR_WIDTH   = 12,          // AXI4-Lite address bits (>= 7)
  parameter integer STREAM_BYTES = 8,           // reported in STREAM_BYTES
  parameter integer CLK_HZ       = 125000000,   // reported in CLOCK_HZ
  parameter [31:0]  BUILD_ID     = 32'h0,       // reported in BUILD_ID
  parameter [31:0]  CAPABILITIES = 32'h0,       // reported in CAPABILITIES
  parameter integer RESET_CYCLES = 16           // soft reset length, clocks (2-255)
) (
  input  wire                  clk,
  input  wire                  rst,             // synchronous, active high

  input  wire [ADDR_WIDTH-1:0] s_axil_awaddr,
  input  wire                  s_axil_awvalid,
  output wire                  s_axil_awready,
  input  wire [31:0]           s_axil_wdata,
  input  wire [3:0]            s_axil_wstrb,
  input  wire                  s_axil_wvalid,
  output wire                  s_axil_wready,
  output wire [1:0]            s_axil_bresp,
  output wire                  s_axil_bvalid,
  input  wire                  s_axil_bready,
  input  wire [ADDR_WIDTH-1:0] s_axil_araddr,
  input  wire                  s_axil_arvalid,
  output wire                  s_axil_arready,
  output wire [31:0]           s_axil_rdata,
  output wire [1:0]            s_axil_rresp,
  output wire                  s_axil_rvalid,
  input  wire                  s_axil_rready,

  input  wire                  core_idle,       // the core and both adapters are idle
  input  wire                  h2c_held,        // the H2C adapter holds bytes
  input  wire                  c2h_held,        // the C2H adapter holds bytes
  input  wire                  h2c_byte,        // a byte entered the core
  input  wire                  c2h_byte,        // a byte left the core
  input  wire                  h2c_packet,      // an H2C beat with tlast was taken
  input  wire                  c2h_packet,      // a C2H beat with tlast was delivered
  output wire                  core_rst         // soft reset of the core and adapters
);

  generate
    if (ADDR_WIDTH < 7 || ADDR_WIDTH > 32) begin : g_check_addr
      $fatal(1, "pcie_regfile: ADDR_WIDTH must be 7-32 (the map spans 0x00-0x4f)");
    end
    if (RESET_CYCLES < 2 || RESET_CYCLES > 255) begin : g_check_reset
      $fatal(1, "pcie_regfile: RESET_CYCLES must be 2-255");
    end
    if (STREAM_BYTES < 1 || STREAM_BYTES > 255 || CLK_HZ < 1) begin : g_check_info
      $fatal(1, "pcie_regfile: STREAM_BYTES must be 1-255 and CLK_HZ positive");
    end
  endgenerate

  // Addresses as 32-bit byte offsets of their word, comparable with the package's offsets.
  reg [31:0] wr_offset;
  reg [31:0] rd_offset;

  // ---------------------------------------------------------------- counters and control
  reg [63:0] cycles_reg      = 64'd0;
  reg [63:0] h2c_bytes_reg   = 64'd0;
  reg [63:0] c2h_bytes_reg   = 64'd0;
  reg [31:0] h2c_packets_reg = 32'd0;
  reg [31:0] c2h_packets_reg = 32'd0;
  reg [31:0] soft_resets_reg = 32'd0;
  reg [31:0] scratch_reg     = 32'd0;
  reg [7:0]  reset_count_reg = 8'd0;    // clocks of soft reset left
  reg        core_rst_reg    = 1'b0;

  // ---------------------------------------------------------------- AXI4-Lite write channel
  reg [ADDR_WIDTH-1:0] awaddr_reg = {ADDR_WIDTH{1'b0}};
  reg                  aw_held_reg = 1'b0;
  reg [31:0]           wdata_reg = 32'd0;
  reg [3:0]            wstrb_reg = 4'd0;
  reg                  w_held_reg = 1'b0;
  reg                  bvalid_reg = 1'b0;

  wire aw_take = s_axil_awvalid && s_axil_awready;
  wire w_take  = s_axil_wvalid && s_axil_wready;
  wire do_write = aw_held_reg && w_held_reg && !bvalid_reg;

  // Bytes of the held write that land, per the strobes.
  wire [31:0] strobe_mask = {{8{wstrb_reg[3]}}, {8{wstrb_reg[2]}}, {8{wstrb_reg[1]}}, {8{wstrb_reg[0]}}};
  always @* begin
    wr_offset = 32'd0;
    wr_offset[ADDR_WIDTH-1:2] = awaddr_reg[ADDR_WIDTH-1:2];
    rd_offset = 32'd0;
    rd_offset[ADDR_WIDTH-1:2] = s_axil_araddr[ADDR_WIDTH-1:2];
  end
  wire        write_control = do_write && wr_offset == pcie_regs_pkg::REG_CONTROL;
  wire        write_scratch = do_write && wr_offset == pcie_regs_pkg::REG_SCRATCH;
  wire [31:0] control_bits  = wdata_reg & strobe_mask;
  wire        start_reset   = write_control && control_bits[pcie_regs_pkg::CONTROL_SOFT_RESET];
  wire        clear_counts  = start_reset || (write_control && control_bits[pcie_regs_pkg::CONTROL_CLEAR_COUNTERS]);

  always @(posedge clk) begin
    if (aw_take) begin
      awaddr_reg  <= s_axil_awaddr;
      aw_held_reg <= 1'b1;
    end
    if (w_take) begin
      wdata_reg  <= s_axil_wdata;
      wstrb_reg  <= s_axil_wstrb;
      w_held_reg <= 1'b1;
    end
    if (do_write) begin
      aw_held_reg <= 1'b0;
      w_held_reg  <= 1'b0;
      bvalid_reg  <= 1'b1;
    end else if (bvalid_reg && s_axil_bready) begin
      bvalid_reg <= 1'b0;
    end
    if (write_scratch) scratch_reg <= (scratch_reg & ~strobe_mask) | (wdata_reg & strobe_mask);
    if (rst) begin
      aw_held_reg <= 1'b0;
      w_held_reg  <= 1'b0;
      bvalid_reg  <= 1'b0;
      scratch_reg <= 32'd0;
    end
  end

  assign s_axil_awready = !aw_held_reg && !rst;
  assign s_axil_wready  = !w_held_reg && !rst;
  assign s_axil_bresp   = 2'b00;
  assign s_axil_bvalid  = bvalid_reg;

  // ---------------------------------------------------------------- soft reset and counters
  always @(posedge clk) begin
    if (start_reset) begin
      reset_count_reg <= RESET_CYCLES[7:0];
      core_rst_reg    <= 1'b1;
      soft_resets_reg <= soft_resets_reg + 32'd1;
    end else if (reset_count_reg != 8'd0) begin
      reset_count_reg <= reset_count_reg - 8'd1;
      core_rst_reg    <= reset_count_reg != 8'd1;
    end

    if (clear_counts) begin
      cycles_reg      <= 64'd0;
      h2c_bytes_reg   <= 64'd0;
      c2h_bytes_reg   <= 64'd0;
      h2c_packets_reg <= 32'd0;
      c2h_packets_reg <= 32'd0;
    end else begin
      cycles_reg      <= cycles_reg + 64'd1;
      h2c_bytes_reg   <= h2c_bytes_reg + {63'd0, h2c_byte};
      c2h_bytes_reg   <= c2h_bytes_reg + {63'd0, c2h_byte};
      h2c_packets_reg <= h2c_packets_reg + {31'd0, h2c_packet};
      c2h_packets_reg <= c2h_packets_reg + {31'd0, c2h_packet};
    end

    if (rst) begin
      reset_count_reg <= 8'd0;
      core_rst_reg    <= 1'b0;
      soft_resets_reg <= 32'd0;
      cycles_reg      <= 64'd0;
      h2c_bytes_reg   <= 64'd0;
      c2h_bytes_reg   <= 64'd0;
      h2c_packets_reg <= 32'd0;
      c2h_packets_reg <= 32'd0;
    end
  end

  assign core_rst = core_rst_reg;

  // ---------------------------------------------------------------- AXI4-Lite read channel
  reg [31:0] rdata_reg = 32'd0;
  reg        rvalid_reg = 1'b0;
  reg [31:0] cycles_hi_reg = 32'd0;      // HI halves latched by the LO reads
  reg [31:0] h2c_bytes_hi_reg = 32'd0;
  reg [31:0] c2h_bytes_hi_reg = 32'd0;

  wire ar_take = s_axil_arvalid && s_axil_arready;
  wire [31:0] status_bits = ({31'd0, core_idle && !core_rst_reg} << pcie_regs_pkg::STATUS_CORE_IDLE) |
                            ({31'd0, core_rst_reg} << pcie_regs_pkg::STATUS_IN_RESET) |
                            ({31'd0, h2c_held} << pcie_regs_pkg::STATUS_H2C_HELD) |
                            ({31'd0, c2h_held} << pcie_regs_pkg::STATUS_C2H_HELD);

  always @(posedge clk) begin
    if (ar_take) begin
      rvalid_reg <= 1'b1;
      rdata_reg  <= 32'd0;
      if (rd_offset < pcie_regs_pkg::REG_WINDOW_BYTES) begin
        case (rd_offset)
          pcie_regs_pkg::REG_ID:           rdata_reg <= evm_fpga_pkg::PROTOCOL_MAGIC;
          pcie_regs_pkg::REG_VERSION:      rdata_reg <= {pcie_regs_pkg::REGMAP_VERSION, evm_fpga_pkg::PROTOCOL_VERSION};
          pcie_regs_pkg::REG_CAPABILITIES: rdata_reg <= CAPABILITIES;
          pcie_regs_pkg::REG_STREAM_BYTES: rdata_reg <= STREAM_BYTES;
          pcie_regs_pkg::REG_CLOCK_HZ:     rdata_reg <= CLK_HZ;
          pcie_regs_pkg::REG_BUILD_ID:     rdata_reg <= BUILD_ID;
          pcie_regs_pkg::REG_CONTROL:      rdata_reg <= {31'd0, core_rst_reg} << pcie_regs_pkg::CONTROL_SOFT_RESET;
          pcie_regs_pkg::REG_STATUS:       rdata_reg <= status_bits;
          pcie_regs_pkg::REG_SCRATCH:      rdata_reg <= scratch_reg;
          pcie_regs_pkg::REG_CYCLES_LO: begin
            rdata_reg     <= cycles_reg[31:0];
            cycles_hi_reg <= cycles_reg[63:32];
          end
          pcie_regs_pkg::REG_CYCLES_HI:    rdata_reg <= cycles_hi_reg;
          pcie_regs_pkg::REG_H2C_BYTES_LO: begin
            rdata_reg        <= h2c_bytes_reg[31:0];
            h2c_bytes_hi_reg <= h2c_bytes_reg[63:32];
          end
          pcie_regs_pkg::REG_H2C_BYTES_HI: rdata_reg <= h2c_bytes_hi_reg;
          pcie_regs_pkg::REG_C2H_BYTES_LO: begin
            rdata_reg        <= c2h_bytes_reg[31:0];
            c2h_bytes_hi_reg <= c2h_bytes_reg[63:32];
          end
          pcie_regs_pkg::REG_C2H_BYTES_HI: rdata_reg <= c2h_bytes_hi_reg;
          pcie_regs_pkg::REG_H2C_PACKETS:  rdata_reg <= h2c_packets_reg;
          pcie_regs_pkg::REG_C2H_PACKETS:  rdata_reg <= c2h_packets_reg;
          pcie_regs_pkg::REG_SOFT_RESETS:  rdata_reg <= soft_resets_reg;
          default:                                  rdata_reg <= 32'd0;
        endcase
      end
    end else if (rvalid_reg && s_axil_rready) begin
      rvalid_reg <= 1'b0;
    end
    if (rst) rvalid_reg <= 1'b0;
  end

  assign s_axil_arready = !rvalid_reg && !rst;
  assign s_axil_rdata   = rdata_reg;
  assign s_axil_rresp   = 2'b00;
  assign s_axil_rvalid  = rvalid_reg;

  // Registers are whole words: the byte-lane bits of the addresses select nothing.
  wire unused_regfile = &{1'b0, awaddr_reg[1:0], s_axil_araddr[1:0]};

endmodule

`resetall
