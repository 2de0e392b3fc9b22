# Vivado batch build of evm-fpga for the Digilent Arty A7-35T (Xilinx Artix-7 XC7A35T).
# Generated from hdl/boards/arty-a7-35t/board.json by `evm-fpga build --board arty-a7-35t`; edit the board file, not this one.
# Usage: vivado -mode batch -source vivado.tcl   (writes the bitstream and reports to ./vivado-out/)
set hdl [file normalize [file join [file dirname [info script]] .. ..]]
set out [file join [pwd] vivado-out]
file mkdir $out
set_part xc7a35ticsg324-1L
set sources {
  pkg/evm_fpga_pkg.sv
  common/ram_sdp.sv
  keccak/keccak_round.sv
  keccak/keccak_sponge.sv
  keccak/keccak_sponge_compact.sv
  keccak/keccak_sponge_lean.sv
  keccak/keccak_unit.sv
  evm/evm_lzc.sv
  evm/evm_mul.sv
  evm/evm_div.sv
  evm/evm_alu.sv
  evm/evm_alu_compact.sv
  evm/evm_unit.sv
  storage/storage_unit.sv
  link/crc32_byte.sv
  link/stream_skid_buffer.sv
  link/uart_rx.sv
  link/uart_tx.sv
  link/rx_framer.sv
  link/tx_framer.sv
  link/link_dispatcher.sv
  top/evm_fpga_top.sv
  boards/common/board_reset.sv
  boards/common/board_leds.sv
  boards/common/board_core.sv
  boards/xilinx/xc7_board_top.sv
}
foreach f $sources { read_verilog -sv [file join $hdl $f] }
read_xdc [file join $hdl boards arty-a7-35t arty-a7-35t.xdc]
synth_design -top xc7_board_top -generic CLK_HZ=48000000 -generic UART_DIV=16 -generic LEDS=4 -generic LED_ACTIVE_LOW=0 -generic KECCAK_CORE=0 -generic KECCAK_ROUNDS_PER_CLK=1 -generic EVM_UNIT=1 -generic EVM_DATAPATH=1 -generic STORAGE_ENTRIES=8192 -generic MMCM_DIVCLK=5 -generic MMCM_MULT=48 -generic MMCM_DIV=20 -generic CLKIN_PERIOD_NS=10
opt_design
place_design
phys_opt_design
route_design
report_utilization -file [file join $out utilization.rpt]
report_timing_summary -file [file join $out timing.rpt]
write_bitstream -force [file join $out arty-a7-35t.bit]
