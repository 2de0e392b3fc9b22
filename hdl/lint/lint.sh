#!/usr/bin/env bash
# Lint the RTL: `verilator --lint-only -Wall` over hdl/evm_fpga.f with the waivers in
# hdl/lint/waivers.vlt. Verilator exits non-zero on any warning (they are fatal unless
# -Wno-fatal), so this does too. Works from any directory; extra arguments go to Verilator
# (for example -GRX_RING_WORDS=2048 to lint another configuration).
set -euo pipefail
hdl_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$hdl_dir"
verilator --lint-only -Wall --top-module evm_fpga_top lint/waivers.vlt -F evm_fpga.f "$@"
echo "lint: clean"
