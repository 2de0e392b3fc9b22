# LiteFury (RHS Research, Artix-7 XC7A100T-2L FGG484, M.2 2280 M-key, PCIe Gen2 x4): transceiver
# placement. Read with PROCESSING_ORDER EARLY (build.tcl), before the XDMA IP's own constraints,
# as the board vendor's sample project does: the board routes the M.2 lanes to the GTP channels
# in this order, which is not the IP's default. Pins and channel mapping from the vendor's
# LiteFury/NiteFury sample project (github.com/RHSResearchLLC/NiteFury-and-LiteFury,
# Sample-Projects/Project-0, early.xdc). Not exercised here: no Vivado on the development machine.

# PCIe lane 0
set_property LOC GTPE2_CHANNEL_X0Y7 [get_cells -hierarchical -filter {NAME =~ *pcie2_ip_i/*pipe_lane[3].gt_wrapper_i/gtp_channel.gtpe2_channel_i}]
set_property PACKAGE_PIN B10 [get_ports {pcie_mgt_rxp[0]}]
set_property PACKAGE_PIN A10 [get_ports {pcie_mgt_rxn[0]}]
set_property PACKAGE_PIN B6  [get_ports {pcie_mgt_txp[0]}]
set_property PACKAGE_PIN A6  [get_ports {pcie_mgt_txn[0]}]

# PCIe lane 1
set_property LOC GTPE2_CHANNEL_X0Y6 [get_cells -hierarchical -filter {NAME =~ *pcie2_ip_i/*pipe_lane[0].gt_wrapper_i/gtp_channel.gtpe2_channel_i}]
set_property PACKAGE_PIN B8  [get_ports {pcie_mgt_rxp[1]}]
set_property PACKAGE_PIN A8  [get_ports {pcie_mgt_rxn[1]}]
set_property PACKAGE_PIN B4  [get_ports {pcie_mgt_txp[1]}]
set_property PACKAGE_PIN A4  [get_ports {pcie_mgt_txn[1]}]

# PCIe lane 2
set_property LOC GTPE2_CHANNEL_X0Y5 [get_cells -hierarchical -filter {NAME =~ *pcie2_ip_i/*pipe_lane[2].gt_wrapper_i/gtp_channel.gtpe2_channel_i}]
set_property PACKAGE_PIN D11 [get_ports {pcie_mgt_rxp[2]}]
set_property PACKAGE_PIN C11 [get_ports {pcie_mgt_rxn[2]}]
set_property PACKAGE_PIN D5  [get_ports {pcie_mgt_txp[2]}]
set_property PACKAGE_PIN C5  [get_ports {pcie_mgt_txn[2]}]

# PCIe lane 3
set_property LOC GTPE2_CHANNEL_X0Y4 [get_cells -hierarchical -filter {NAME =~ *pcie2_ip_i/*pipe_lane[1].gt_wrapper_i/gtp_channel.gtpe2_channel_i}]
set_property PACKAGE_PIN D9  [get_ports {pcie_mgt_rxp[3]}]
set_property PACKAGE_PIN C9  [get_ports {pcie_mgt_rxn[3]}]
set_property PACKAGE_PIN D7  [get_ports {pcie_mgt_txp[3]}]
set_property PACKAGE_PIN C7  [get_ports {pcie_mgt_txn[3]}]

# 100 MHz PCIe reference clock from the M.2 connector (MGTREFCLK0 of quad 216)
set_property PACKAGE_PIN F6 [get_ports {pcie_refclk_clk_p[0]}]
set_property PACKAGE_PIN E6 [get_ports {pcie_refclk_clk_n[0]}]
