# Builds the evm-fpga PCIe bitstream for the LiteFury M.2 card (Artix-7 XC7A100T-2L, PCIe Gen2 x4).
#
#   vivado -mode batch -source hdl/boards/litefury/build.tcl [-tclargs OUT_DIR [CORE_MHZ]]
#
# OUT_DIR defaults to out/litefury; CORE_MHZ (default 100) is the core clock. Produces
# OUT_DIR/evm_fpga_litefury.bit and .bin (for the SPI flash), plus utilisation and timing reports.
#
# NOT RUN: the development machine has no Vivado. Written from the XDMA product guide (PG195:
# AXI4-Stream mode, one H2C and one C2H channel, AXI4-Lite master on the user BAR) and the board
# vendor's sample project; the RTL it wraps is checked with Verilator lint, the simulation and a
# Yosys synth_xilinx estimate (docs/pcie.md "What was tested"). Tested with nothing: expect to
# adjust IP versions (xdma 4.1, clk_wiz 6.0, ...) to your Vivado release.
#
# The block design:
#
#   pcie_refclk -> util_ds_buf (IBUFDSGTE) -> xdma_0 (Gen2 x4, 64-bit AXI at 250 MHz, AXI4-Stream)
#   xdma_0 axi_aclk (250 MHz) -> clk_wiz (CORE_MHZ) -> core clock; proc_sys_reset -> core reset
#   xdma_0 M_AXIS_H2C_0 -> axis_clock_converter -> litefury_core S_AXIS_H2C
#   xdma_0 S_AXIS_C2H_0 <- axis_clock_converter <- litefury_core M_AXIS_C2H
#   xdma_0 M_AXI_LITE   -> axi_clock_converter  -> litefury_core S_AXIL (1 MiB BAR at offset 0)
#
# The core runs on its own clock because a 256-bit EVM datapath is not expected to meet 250 MHz
# on an Artix-7; the converters are Xilinx's asynchronous FIFOs, so the RTL stays single-clock.

set here [file normalize [file dirname [info script]]]
set repo [file normalize [file join $here .. .. ..]]
set out  [file normalize [expr {$argc > 0 ? [lindex $argv 0] : [file join $repo out litefury]}]]
set core_mhz [expr {$argc > 1 ? [lindex $argv 1] : 100}]
set part xc7a100tfgg484-2L

# The sources: hdl/evm_fpga.f then hdl/pcie/pcie.f, paths relative to each list's directory.
proc read_filelist {path} {
  set dir [file dirname $path]
  set files {}
  set fh [open $path r]
  foreach line [split [read $fh] "\n"] {
    regsub {//.*$|#.*$} $line {} line
    set line [string trim $line]
    if {$line ne ""} { lappend files [file normalize [file join $dir $line]] }
  }
  close $fh
  return $files
}

file mkdir $out
create_project -force evm_fpga_litefury [file join $out project] -part $part
set_property target_language Verilog [current_project]
set sources [concat [read_filelist [file join $repo hdl evm_fpga.f]] [read_filelist [file join $repo hdl pcie pcie.f]]]
add_files -norecurse $sources
set_property file_type SystemVerilog [get_files -filter {NAME =~ *.sv}]
add_files -norecurse [file join $here litefury_core.v]
update_compile_order -fileset sources_1

# ---------------------------------------------------------------- block design
create_bd_design evm_bd

create_bd_intf_port -mode Slave -vlnv xilinx.com:interface:diff_clock_rtl:1.0 pcie_refclk
set_property CONFIG.FREQ_HZ 100000000 [get_bd_intf_ports pcie_refclk]
create_bd_intf_port -mode Master -vlnv xilinx.com:interface:pcie_7x_mgt_rtl:1.0 pcie_mgt
create_bd_port -dir I -type rst pcie_perst_n
set_property CONFIG.POLARITY ACTIVE_LOW [get_bd_ports pcie_perst_n]
create_bd_port -dir O led_link_up
create_bd_port -dir O led_idle

set refclk_buf [create_bd_cell -type ip -vlnv xilinx.com:ip:util_ds_buf:2.1 refclk_buf]
set_property CONFIG.C_BUF_TYPE {IBUFDSGTE} $refclk_buf

set xdma [create_bd_cell -type ip -vlnv xilinx.com:ip:xdma:4.1 xdma_0]
set_property -dict [list \
  CONFIG.mode_selection {Advanced} \
  CONFIG.pl_link_cap_max_link_width {X4} \
  CONFIG.pl_link_cap_max_link_speed {5.0_GT/s} \
  CONFIG.ref_clk_freq {100_MHz} \
  CONFIG.axi_data_width {64_bit} \
  CONFIG.axisten_freq {250} \
  CONFIG.xdma_axi_intf_mm {AXI_Stream} \
  CONFIG.xdma_rnum_chnl {1} \
  CONFIG.xdma_wnum_chnl {1} \
  CONFIG.axilite_master_en {true} \
  CONFIG.axilite_master_size {1} \
  CONFIG.axilite_master_scale {Megabytes} \
  CONFIG.pciebar2axibar_axil_master {0x00000000} \
  CONFIG.xdma_axilite_slave {false} \
  CONFIG.pf0_device_id {7024} \
  CONFIG.cfg_mgmt_if {false} \
] $xdma

set core_clk [create_bd_cell -type ip -vlnv xilinx.com:ip:clk_wiz:6.0 core_clk]
set_property -dict [list \
  CONFIG.PRIM_IN_FREQ {250.000} \
  CONFIG.PRIM_SOURCE {No_buffer} \
  CONFIG.CLKOUT1_REQUESTED_OUT_FREQ $core_mhz \
  CONFIG.USE_RESET {false} \
  CONFIG.USE_LOCKED {true} \
] $core_clk

set core_rst [create_bd_cell -type ip -vlnv xilinx.com:ip:proc_sys_reset:5.0 core_rst]

set core [create_bd_cell -type module -reference litefury_core core_0]
set_property CONFIG.CORE_HZ [expr {int($core_mhz * 1000000)}] $core

set h2c_cc [create_bd_cell -type ip -vlnv xilinx.com:ip:axis_clock_converter:1.1 h2c_cc]
set c2h_cc [create_bd_cell -type ip -vlnv xilinx.com:ip:axis_clock_converter:1.1 c2h_cc]
set axil_cc [create_bd_cell -type ip -vlnv xilinx.com:ip:axi_clock_converter:2.1 axil_cc]

# PCIe
connect_bd_intf_net [get_bd_intf_ports pcie_refclk] [get_bd_intf_pins refclk_buf/CLK_IN_D]
connect_bd_net [get_bd_pins refclk_buf/IBUF_OUT] [get_bd_pins xdma_0/sys_clk]
connect_bd_net [get_bd_ports pcie_perst_n] [get_bd_pins xdma_0/sys_rst_n]
connect_bd_intf_net [get_bd_intf_pins xdma_0/pcie_mgt] [get_bd_intf_ports pcie_mgt]
connect_bd_net [get_bd_pins xdma_0/user_lnk_up] [get_bd_ports led_link_up]

# Clocks and resets: the XDMA side on axi_aclk, the core side on the generated clock.
set aclk [get_bd_pins xdma_0/axi_aclk]
set aresetn [get_bd_pins xdma_0/axi_aresetn]
set cclk [get_bd_pins core_clk/clk_out1]
set cresetn [get_bd_pins core_rst/peripheral_aresetn]
connect_bd_net $aclk [get_bd_pins core_clk/clk_in1] \
  [get_bd_pins h2c_cc/s_axis_aclk] [get_bd_pins c2h_cc/m_axis_aclk] [get_bd_pins axil_cc/s_axi_aclk]
connect_bd_net $aresetn [get_bd_pins core_rst/ext_reset_in] \
  [get_bd_pins h2c_cc/s_axis_aresetn] [get_bd_pins c2h_cc/m_axis_aresetn] [get_bd_pins axil_cc/s_axi_aresetn]
connect_bd_net [get_bd_pins core_clk/locked] [get_bd_pins core_rst/dcm_locked]
connect_bd_net $cclk [get_bd_pins core_rst/slowest_sync_clk] [get_bd_pins core_0/clk] \
  [get_bd_pins h2c_cc/m_axis_aclk] [get_bd_pins c2h_cc/s_axis_aclk] [get_bd_pins axil_cc/m_axi_aclk]
connect_bd_net $cresetn [get_bd_pins core_0/aresetn] \
  [get_bd_pins h2c_cc/m_axis_aresetn] [get_bd_pins c2h_cc/s_axis_aresetn] [get_bd_pins axil_cc/m_axi_aresetn]

# Data paths
connect_bd_intf_net [get_bd_intf_pins xdma_0/M_AXIS_H2C_0] [get_bd_intf_pins h2c_cc/S_AXIS]
connect_bd_intf_net [get_bd_intf_pins h2c_cc/M_AXIS] [get_bd_intf_pins core_0/S_AXIS_H2C]
connect_bd_intf_net [get_bd_intf_pins core_0/M_AXIS_C2H] [get_bd_intf_pins c2h_cc/S_AXIS]
connect_bd_intf_net [get_bd_intf_pins c2h_cc/M_AXIS] [get_bd_intf_pins xdma_0/S_AXIS_C2H_0]
connect_bd_intf_net [get_bd_intf_pins xdma_0/M_AXI_LITE] [get_bd_intf_pins axil_cc/S_AXI]
connect_bd_intf_net [get_bd_intf_pins axil_cc/M_AXI] [get_bd_intf_pins core_0/S_AXIL]
connect_bd_net [get_bd_pins core_0/idle] [get_bd_ports led_idle]

# The register file at offset 0 of the user BAR (what /dev/xdma0_user reads at offset 0).
assign_bd_address -offset 0x00000000 -range 1M [get_bd_addr_segs core_0/S_AXIL/*]
validate_bd_design
save_bd_design

make_wrapper -files [get_files evm_bd.bd] -top
add_files -norecurse [file join $out project evm_fpga_litefury.gen sources_1 bd evm_bd hdl evm_bd_wrapper.v]
set_property top evm_bd_wrapper [current_fileset]

# ---------------------------------------------------------------- constraints
add_files -fileset constrs_1 -norecurse [file join $here litefury_early.xdc] [file join $here litefury.xdc]
set_property PROCESSING_ORDER EARLY [get_files litefury_early.xdc]

# ---------------------------------------------------------------- build
launch_runs synth_1 -jobs 4
wait_on_run synth_1
if {[get_property PROGRESS [get_runs synth_1]] ne "100%"} { error "synthesis failed: see [file join $out project]" }
launch_runs impl_1 -to_step write_bitstream -jobs 4
wait_on_run impl_1
if {[get_property PROGRESS [get_runs impl_1]] ne "100%"} { error "implementation failed: see [file join $out project]" }

open_run impl_1
report_utilization -file [file join $out utilization.rpt]
report_timing_summary -file [file join $out timing.rpt]
set bit [lindex [glob -directory [get_property DIRECTORY [get_runs impl_1]] *.bit] 0]
file copy -force $bit [file join $out evm_fpga_litefury.bit]
write_cfgmem -force -format bin -size 16 -interface SPIx4 -loadbit "up 0x0 [file join $out evm_fpga_litefury.bit]" [file join $out evm_fpga_litefury.bin]
puts "evm-fpga: [file join $out evm_fpga_litefury.bit] (timing: [file join $out timing.rpt])"
