#!/usr/bin/env bash
# Builds and runs the PCIe width-adapter test bench (sim/tb/pcie_adapters_tb.cpp) at 64- and
# 32-bit stream widths (and 128 for lint only: Verilator gives wide ports another C++ type),
# after linting the loop-back top in each configuration.
#
#   sim/tb/run_pcie_adapters_tb.sh [build-dir]
#
# build-dir defaults to /tmp (models go to <build-dir>/pcie_adapters_tb_w<N>/). Exits non-zero on
# any lint warning, build error or test failure.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_root="$(mkdir -p "${1:-/tmp}" && cd "${1:-/tmp}" && pwd)"
sources=("$repo/hdl/pcie/axis_h2c_unpack.sv" "$repo/hdl/pcie/axis_c2h_pack.sv" "$repo/sim/tb/pcie_adapters_loop.sv")

for w in 32 64 128; do
  verilator --lint-only -Wall "$repo/hdl/lint/waivers.vlt" "${sources[@]}" --top-module pcie_adapters_loop -GDATA_WIDTH="$w"
done
echo "lint: clean for DATA_WIDTH in 32 64 128"

for w in 64 32; do
  mdir="$build_root/pcie_adapters_tb_w$w"
  mkdir -p "$mdir"
  verilator --cc --exe --build -j 2 -O3 --x-assign fast --x-initial fast \
    --top-module pcie_adapters_loop -GDATA_WIDTH="$w" -GFLUSH_CYCLES=8 \
    -CFLAGS "-O2 -std=c++17 -DDATA_BYTES=$((w / 8)) -DFLUSH_CYCLES=8" \
    --Mdir "$mdir" -o pcie_adapters_tb \
    "${sources[@]}" "$repo/sim/tb/pcie_adapters_tb.cpp" > "$mdir/build.log" 2>&1 \
    || { cat "$mdir/build.log"; echo "build failed for DATA_WIDTH=$w" >&2; exit 1; }
  "$mdir/pcie_adapters_tb"
done
