#!/usr/bin/env bash
# Lint the RTL: `verilator --lint-only -Wall` over hdl/evm_fpga.f (and the PCIe top, hdl/pcie/pcie.f) with the waivers in
# hdl/lint/waivers.vlt. Verilator exits non-zero on any warning (they are fatal unless
# -Wno-fatal), so this does too. Works from any directory; extra arguments go to Verilator
# (for example -GRX_RING_WORDS=2048 to lint another configuration).
set -euo pipefail
hdl_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$hdl_dir"
verilator --lint-only -Wall --top-module evm_fpga_top lint/waivers.vlt -F evm_fpga.f "$@"
# The small-device configurations (the iCE40 boards'): compact and lean Keccak cores, no EVM or storage unit.
for core in 1 2; do
  verilator --lint-only -Wall --top-module evm_fpga_top lint/waivers.vlt -F evm_fpga.f -GKECCAK_CORE="$core" -GEVM_UNIT=0 -GSTORAGE_ENTRIES=0
done
# The Artix-7 35T's configuration: the EVM unit with the compact datapath.
verilator --lint-only -Wall --top-module evm_fpga_top lint/waivers.vlt -F evm_fpga.f -GEVM_DATAPATH=1 "$@"
# The PCIe top (hdl/pcie/pcie.f on top of the core's list) at two XDMA widths; the extra arguments
# configure the core top above only.
for width in 64 128; do
  verilator --lint-only -Wall --top-module evm_fpga_pcie_top lint/waivers.vlt -F evm_fpga.f -F pcie/pcie.f -GDATA_WIDTH="$width"
done
# The LiteFury block-design wrapper of the PCIe top (hdl/boards/litefury/build.tcl).
verilator --lint-only -Wall --top-module litefury_core lint/waivers.vlt -F evm_fpga.f -F pcie/pcie.f boards/litefury/litefury_core.v
echo "lint: clean"
