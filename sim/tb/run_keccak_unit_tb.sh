#!/usr/bin/env bash
# Builds and runs the keccak_unit test bench (sim/tb/keccak_unit_tb.cpp) once per
# ROUNDS_PER_CLK in 1 2 3 4, then once with the compact core (KECCAK_CORE=1), after linting the
# Keccak RTL in each configuration.
#
#   sim/tb/run_keccak_unit_tb.sh [build-dir] [vector-dir]
#
# build-dir defaults to /tmp (models go to <build-dir>/keccak_unit_tb_r<N>/); vector-dir to
# /work/shared/vectors (CI passes ../shared/vectors). Exits non-zero on any lint warning, build
# error or test mismatch. Override the sweep with ROUNDS="1 2" (ROUNDS="" for none); COMPACT=0
# skips the compact core.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_root="$(mkdir -p "${1:-/tmp}" && cd "${1:-/tmp}" && pwd)"   # absolute: Verilator's make needs it
vectors="$(cd "${2:-/work/shared/vectors}" && pwd)"
rounds="${ROUNDS:-1 2 3 4}"
compact="${COMPACT:-1}"
sources=("$repo/hdl/pkg/evm_fpga_pkg.sv" "$repo/hdl/common/ram_sdp.sv" "$repo"/hdl/keccak/*.sv)

for r in $rounds; do
  verilator --lint-only -Wall "$repo/hdl/lint/waivers.vlt" "${sources[@]}" \
    --top-module keccak_unit -GROUNDS_PER_CLK="$r"
done
if [ "$compact" != 0 ]; then
  verilator --lint-only -Wall "$repo/hdl/lint/waivers.vlt" "${sources[@]}" \
    --top-module keccak_unit -GKECCAK_CORE=1
fi
echo "lint: clean for ROUNDS_PER_CLK in '$rounds'$([ "$compact" != 0 ] && echo ' and KECCAK_CORE=1')"

for r in $rounds; do
  mdir="$build_root/keccak_unit_tb_r$r"
  mkdir -p "$mdir"
  # The bench loads XKCP inputs into the sponge state and watches the permutation control, so
  # those registers are made public for this build only (the RTL stays untouched).
  cat > "$mdir/tb_public.vlt" <<'VLT'
`verilator_config
public_flat_rw -module "keccak_sponge" -var "state_reg"
public_flat_rd -module "keccak_sponge" -var "perm_active_reg"
public_flat_rd -module "keccak_sponge" -var "round_reg"
public_flat_rd -module "keccak_sponge" -var "fresh_reg"
VLT
  verilator --cc --exe --build -j 2 -O3 --x-assign fast --x-initial fast \
    --top-module keccak_unit -GROUNDS_PER_CLK="$r" \
    -CFLAGS "-O2 -std=c++17 -DROUNDS_PER_CLK=$r" \
    --Mdir "$mdir" -o keccak_unit_tb \
    "$mdir/tb_public.vlt" "${sources[@]}" "$repo/sim/tb/keccak_unit_tb.cpp" > "$mdir/build.log" 2>&1 \
    || { cat "$mdir/build.log"; echo "build failed for ROUNDS_PER_CLK=$r" >&2; exit 1; }
  "$mdir/keccak_unit_tb" "$vectors"
done

if [ "$compact" != 0 ]; then
  mdir="$build_root/keccak_unit_tb_compact"
  mkdir -p "$mdir"
  verilator --cc --exe --build -j 2 -O3 --x-assign fast --x-initial fast \
    --top-module keccak_unit -GKECCAK_CORE=1 \
    -CFLAGS "-O2 -std=c++17 -DROUNDS_PER_CLK=1 -DKECCAK_CORE=1" \
    --Mdir "$mdir" -o keccak_unit_tb \
    "${sources[@]}" "$repo/sim/tb/keccak_unit_tb.cpp" > "$mdir/build.log" 2>&1 \
    || { cat "$mdir/build.log"; echo "build failed for KECCAK_CORE=1" >&2; exit 1; }
  "$mdir/keccak_unit_tb" "$vectors"
fi
