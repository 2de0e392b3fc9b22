// The PCIe top (evm_fpga_pcie_top) on top of ../evm_fpga.f: paths relative to this directory.
// Used by hdl/lint/lint.sh, host/sim/build.ts (simulation top 'pcie') and the Yosys/Vivado builds.
pcie_regs_pkg.sv
axis_h2c_unpack.sv
axis_c2h_pack.sv
pcie_regfile.sv
evm_fpga_pcie_top.sv
