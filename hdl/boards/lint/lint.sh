#!/usr/bin/env bash
# Lint the board tops: `verilator --lint-only -Wall` over each board top, the RTL filelist and
# the lint-only models of the vendor primitives in this folder (SB_PLL40_CORE, MMCME2_BASE, BUFG),
# with the project's waivers plus this folder's. Yosys (`evm-fpga build`) checks them against the
# real primitives. Works from any directory; extra arguments go to Verilator.
set -euo pipefail
hdl_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$hdl_dir"
common=(lint/waivers.vlt boards/lint/waivers.vlt -F evm_fpga.f boards/common/board_reset.sv boards/common/board_leds.sv boards/common/board_core.sv)
verilator --lint-only -Wall --top-module ice40_board_top "${common[@]}" boards/lint/SB_PLL40_CORE.sv boards/lint/SB_PLL40_PAD.sv boards/ice40/ice40_board_top.sv "$@"
verilator --lint-only -Wall --top-module ice40_board_top -DBOARD_HAS_RESET -GPLL_FROM_PAD=1 -GLEDS=2 -GLED_ACTIVE_LOW=1 "${common[@]}" boards/lint/SB_PLL40_CORE.sv boards/lint/SB_PLL40_PAD.sv boards/ice40/ice40_board_top.sv "$@"
verilator --lint-only -Wall --top-module xc7_board_top "${common[@]}" boards/lint/MMCME2_BASE.sv boards/lint/BUFG.sv boards/xilinx/xc7_board_top.sv "$@"
verilator --lint-only -Wall --top-module xc7_board_top -GEVM_DATAPATH=1 "${common[@]}" boards/lint/MMCME2_BASE.sv boards/lint/BUFG.sv boards/xilinx/xc7_board_top.sv "$@"
verilator --lint-only -Wall --top-module ice40_board_top -GUSE_PLL=0 "${common[@]}" boards/lint/SB_PLL40_CORE.sv boards/lint/SB_PLL40_PAD.sv boards/ice40/ice40_board_top.sv "$@"
echo "board lint: clean"
