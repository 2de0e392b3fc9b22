#!/usr/bin/env bash
# Builds and runs the evm_alu test bench (sim/tb/evm_alu_tb.cpp) once per multiplier width
# MUL_LIMB_BITS of the fast datapath (evm_alu) and once for the compact datapath
# (evm_alu_compact), after linting the EVM datapath RTL in each configuration.
#
#   sim/tb/run_evm_alu_tb.sh [build-dir] [vector-dir]
#
# build-dir defaults to /tmp (models go to <build-dir>/evm_alu_tb_l<N>/); vector-dir to
# /work/shared/vectors (CI passes ../shared/vectors). Exits non-zero on any lint warning, build
# error or test mismatch. Override the sweep with LIMBS="64" (LIMBS="" for none), the datapaths
# with DATAPATHS="fast" or "compact", and the random cases per opcode with CASES=1000 (the
# non-default widths run a quarter of them).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_root="$(mkdir -p "${1:-/tmp}" && cd "${1:-/tmp}" && pwd)"   # absolute: Verilator's make needs it
vectors="$(cd "${2:-/work/shared/vectors}" && pwd)"
limbs="${LIMBS-64 32 128}"
datapaths="${DATAPATHS:-fast compact}"
case " $datapaths " in *" fast "*) ;; *) limbs="" ;; esac
cases="${CASES:-1000}"
# The datapath only (evm_unit.sv, which instantiates evm_alu, is tested on its own).
sources=("$repo/hdl/pkg/evm_fpga_pkg.sv" "$repo/hdl/evm/evm_lzc.sv" "$repo/hdl/evm/evm_mul.sv"
         "$repo/hdl/evm/evm_div.sv" "$repo/hdl/evm/evm_alu.sv")

for l in $limbs; do
  verilator --lint-only -Wall "$repo/hdl/lint/waivers.vlt" "${sources[@]}" \
    --top-module evm_alu -GMUL_LIMB_BITS="$l"
done
echo "lint: clean for MUL_LIMB_BITS in $limbs"

for l in $limbs; do
  mdir="$build_root/evm_alu_tb_l$l"
  mkdir -p "$mdir"
  verilator --cc --exe --build -j 2 -O3 --x-assign fast --x-initial fast \
    --top-module evm_alu -GMUL_LIMB_BITS="$l" \
    -CFLAGS "-O2 -std=c++17 -DMUL_LIMB_BITS=$l" \
    --Mdir "$mdir" -o evm_alu_tb \
    "${sources[@]}" "$repo/sim/tb/evm_alu_tb.cpp" > "$mdir/build.log" 2>&1 \
    || { cat "$mdir/build.log"; echo "build failed for MUL_LIMB_BITS=$l" >&2; exit 1; }
  n="$cases"
  if [ "$l" != 64 ]; then n=$(( (cases + 3) / 4 )); fi
  "$mdir/evm_alu_tb" "$vectors" "$n"
done

if [[ " $datapaths " == *" compact "* ]]; then
  compact=("$repo/hdl/pkg/evm_fpga_pkg.sv" "$repo/hdl/evm/evm_lzc.sv" "$repo/hdl/evm/evm_alu_compact.sv")
  verilator --lint-only -Wall "$repo/hdl/lint/waivers.vlt" "${compact[@]}" --top-module evm_alu_compact
  echo "lint: clean for evm_alu_compact"
  mdir="$build_root/evm_alu_tb_compact"
  mkdir -p "$mdir"
  # --prefix: the bench's model class stays Vevm_alu.
  verilator --cc --exe --build -j 2 -O3 --x-assign fast --x-initial fast \
    --top-module evm_alu_compact --prefix Vevm_alu \
    -CFLAGS "-O2 -std=c++17 -DMUL_LIMB_BITS=16 -DEVM_DATAPATH_COMPACT" \
    --Mdir "$mdir" -o evm_alu_tb \
    "${compact[@]}" "$repo/sim/tb/evm_alu_tb.cpp" > "$mdir/build.log" 2>&1 \
    || { cat "$mdir/build.log"; echo "build failed for the compact datapath" >&2; exit 1; }
  "$mdir/evm_alu_tb" "$vectors" "$cases"
fi
