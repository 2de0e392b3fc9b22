# Digilent Arty A7-35T (Xilinx Artix-7 XC7A35T): pins of the board top, generated from hdl/boards/arty-a7-35t/board.json
# by `evm-fpga build --board arty-a7-35t`; edit the board file, not this one.
set_property -dict { PACKAGE_PIN E3 IOSTANDARD LVCMOS33 } [get_ports { clk_in }]
set_property -dict { PACKAGE_PIN A9 IOSTANDARD LVCMOS33 } [get_ports { uart_rxd }]
set_property -dict { PACKAGE_PIN D10 IOSTANDARD LVCMOS33 } [get_ports { uart_txd }]
set_property -dict { PACKAGE_PIN C2 IOSTANDARD LVCMOS33 } [get_ports { rst_n_in }]
set_property -dict { PACKAGE_PIN H5 IOSTANDARD LVCMOS33 } [get_ports { led[0] }]
set_property -dict { PACKAGE_PIN J5 IOSTANDARD LVCMOS33 } [get_ports { led[1] }]
set_property -dict { PACKAGE_PIN T9 IOSTANDARD LVCMOS33 } [get_ports { led[2] }]
set_property -dict { PACKAGE_PIN T10 IOSTANDARD LVCMOS33 } [get_ports { led[3] }]
create_clock -name clk_in -period 10.000 [get_ports { clk_in }]
# The UART and the LEDs are asynchronous to the design clock (the UART input is synchronised in uart_rx).
set_false_path -from [get_ports { uart_rxd rst_n_in }]
set_false_path -to [get_ports { uart_txd led[*] }]
set_property CFGBVS VCCO [current_design]
set_property CONFIG_VOLTAGE 3.3 [current_design]
