# LiteFury: the non-transceiver pins, clocks and configuration of the evm-fpga PCIe build
# (build.tcl). Pins from the board vendor's sample project (see litefury_early.xdc).
# Not exercised here: no Vivado on the development machine.

# PCIe reference clock, 100 MHz
create_clock -period 10.000 -name pcie_refclk [get_ports {pcie_refclk_clk_p[0]}]

# PERST# from the M.2 connector (active low); resynchronised inside the XDMA IP
set_property PACKAGE_PIN J1 [get_ports pcie_perst_n]
set_property IOSTANDARD LVCMOS33 [get_ports pcie_perst_n]
set_property PULLUP true [get_ports pcie_perst_n]
set_false_path -from [get_ports pcie_perst_n]

# LEDs: A1 = PCIe link up, A2 = core idle (polarity as wired on the board)
set_property -dict {PACKAGE_PIN G3 IOSTANDARD LVCMOS33 DRIVE 8} [get_ports led_link_up]
set_property -dict {PACKAGE_PIN H3 IOSTANDARD LVCMOS33 DRIVE 8} [get_ports led_idle]
set_false_path -to [get_ports {led_link_up led_idle}]

# Configuration: quad SPI at the fastest master clock, so the FPGA is up before the host
# enumerates PCIe (the vendor's settings)
set_property CONFIG_VOLTAGE 3.3 [current_design]
set_property CFGBVS VCCO [current_design]
set_property CONFIG_MODE SPIx4 [current_design]
set_property BITSTREAM.CONFIG.SPI_BUSWIDTH 4 [current_design]
set_property BITSTREAM.CONFIG.EXTMASTERCCLK_EN Div-1 [current_design]
set_property BITSTREAM.CONFIG.SPI_FALL_EDGE YES [current_design]
set_property BITSTREAM.GENERAL.COMPRESS TRUE [current_design]
