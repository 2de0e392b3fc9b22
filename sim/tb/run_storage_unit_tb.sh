#!/usr/bin/env bash
# Builds and runs the storage_unit test bench (sim/tb/storage_unit_tb.cpp) once per table
# configuration, after linting the storage RTL in each.
#
#   sim/tb/run_storage_unit_tb.sh [build-dir] [seed]
#
# build-dir defaults to /tmp (models go to <build-dir>/storage_unit_tb_<entries>x<ways>e<bits>/);
# seed defaults to 1. Exits non-zero on any lint warning, build error or test mismatch.
# Configurations are "ENTRIES:WAYS:EPOCH_BITS"; override the sweep with CONFIGS="8192:4:8".
# The first is the device's default; the small ones overflow and wrap their epoch often, and
# 32:1:3 is direct-mapped.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_root="$(mkdir -p "${1:-/tmp}" && cd "${1:-/tmp}" && pwd)"   # absolute: Verilator's make needs it
seed="${2:-1}"
configs="${CONFIGS:-8192:8:8 8192:4:8 64:4:2 32:1:3 256:8:4 128:2:2}"
sources=("$repo/hdl/pkg/evm_fpga_pkg.sv" "$repo/hdl/common/ram_sdp.sv" "$repo/hdl/storage/storage_unit.sv")

for c in $configs; do
  IFS=: read -r entries ways epoch <<< "$c"
  verilator --lint-only -Wall "$repo/hdl/lint/waivers.vlt" "${sources[@]}" --top-module storage_unit \
    -GENTRIES="$entries" -GWAYS="$ways" -GEPOCH_BITS="$epoch"
done
echo "lint: clean for $configs"

for c in $configs; do
  IFS=: read -r entries ways epoch <<< "$c"
  mdir="$build_root/storage_unit_tb_${entries}x${ways}e${epoch}"
  mkdir -p "$mdir"
  verilator --cc --exe --build -j 2 -O3 --x-assign fast --x-initial unique \
    --top-module storage_unit -GENTRIES="$entries" -GWAYS="$ways" -GEPOCH_BITS="$epoch" \
    -CFLAGS "-O2 -std=c++17 -DENTRIES=$entries -DWAYS=$ways -DEPOCH_BITS=$epoch" \
    --Mdir "$mdir" -o storage_unit_tb \
    "${sources[@]}" "$repo/sim/tb/storage_unit_tb.cpp" > "$mdir/build.log" 2>&1 \
    || { cat "$mdir/build.log"; echo "build failed for $c" >&2; exit 1; }
  "$mdir/storage_unit_tb" "$seed" +verilator+seed+"$seed" +verilator+rand+reset+2
done
