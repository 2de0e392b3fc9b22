/**
 * The PCIe register map has one definition per side: hdl/pcie/pcie_regs_pkg.sv for the RTL,
 * host/transport/pcie-regs.ts for the host, and two constants the simulation harness needs
 * (sim/harness/pcie/pcie_main.cpp). This test parses the Verilog package and fails when any copy
 * differs; it also checks the PCIe RTL files' conventions and the adapters' own test bench.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePcieRegisters, PCIE_CONTROL, PCIE_REG, PCIE_STATUS, REGMAP_VERSION } from '../host/transport/pcie-regs.ts';

/** `localparam ... NAME = <value>;` of the package, as numbers (Verilog 'h / N'h / decimal). */
function packageConstants(): Map<string, number> {
  const source = readFileSync('hdl/pcie/pcie_regs_pkg.sv', 'utf8');
  const out = new Map<string, number>();
  for (const m of source.matchAll(/localparam\s+(?:integer|\[[^\]]+\])\s+(\w+)\s*=\s*(?:\d*'h([0-9a-fA-F_]+)|(\d+))\s*;/g)) {
    out.set(m[1]!, m[2] !== undefined ? Number.parseInt(m[2].replace(/_/g, ''), 16) : Number(m[3]));
  }
  return out;
}

describe('PCIe register map', () => {
  const sv = packageConstants();

  it('the Verilog package and host/transport/pcie-regs.ts agree on every register', () => {
    const svRegs = Object.fromEntries([...sv].filter(([k]) => k.startsWith('REG_')).map(([k, v]) => [k.slice(4), v]));
    expect(svRegs).toEqual({ ...PCIE_REG });
    expect(sv.get('REGMAP_VERSION')).toBe(REGMAP_VERSION);
  });

  it('and on the CONTROL and STATUS bits', () => {
    const bits = (prefix: string) =>
      Object.fromEntries([...sv].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), 1 << v]));
    expect(bits('CONTROL_')).toEqual({ ...PCIE_CONTROL });
    expect(bits('STATUS_')).toEqual({ ...PCIE_STATUS });
  });

  it("the simulation harness's constants match", () => {
    const cpp = readFileSync('sim/harness/pcie/pcie_main.cpp', 'utf8');
    const num = (name: string) => {
      const m = new RegExp(`constexpr \\w+ ${name} = ([^;]+);`).exec(cpp);
      if (!m) throw new Error(`${name} not found in pcie_main.cpp`);
      const shift = /^1u << (\d+)$/.exec(m[1]!.trim());
      return shift ? 1 << Number(shift[1]) : Number(m[1]!.trim());
    };
    expect(num('kRegControl')).toBe(PCIE_REG.CONTROL);
    expect(num('kControlSoftReset')).toBe(PCIE_CONTROL.SOFT_RESET);
    expect(num('kWindowWords') * 4).toBeGreaterThanOrEqual(PCIE_REG.WINDOW_BYTES);
  });

  it('decodes a window: 64-bit counters from LO and HI', () => {
    const w = new Uint8Array(PCIE_REG.WINDOW_BYTES);
    const v = new DataView(w.buffer);
    v.setUint32(PCIE_REG.ID, 0x464d5645, true);
    v.setUint32(PCIE_REG.VERSION, 0x0001_0001, true);
    v.setUint32(PCIE_REG.CYCLES_LO, 5, true);
    v.setUint32(PCIE_REG.CYCLES_HI, 2, true);
    v.setUint32(PCIE_REG.C2H_PACKETS, 9, true);
    const r = decodePcieRegisters(w);
    expect(r).toMatchObject({ id: 0x464d5645, regmapVersion: 1, protocolVersion: 1, cycles: (2n << 32n) + 5n, c2hPackets: 9 });
    expect(() => decodePcieRegisters(new Uint8Array(8))).toThrow(RangeError);
  });

  it('every PCIe RTL file declares `default_nettype none and is in the filelist', () => {
    const list = readFileSync('hdl/pcie/pcie.f', 'utf8')
      .split('\n')
      .map((l) => l.replace(/\/\/.*$/, '').trim())
      .filter(Boolean);
    expect(list).toEqual(['pcie_regs_pkg.sv', 'axis_h2c_unpack.sv', 'axis_c2h_pack.sv', 'pcie_regfile.sv', 'evm_fpga_pcie_top.sv']);
    for (const f of list) expect(readFileSync(`hdl/pcie/${f}`, 'utf8'), f).toContain('`default_nettype none');
  });
});

describe('PCIe width adapters test bench', () => {
  it('passes at 64 and 32 bits with random tkeep, gaps, back-pressure and stalls, at one byte per clock', () => {
    const r = spawnSync('bash', ['sim/tb/run_pcie_adapters_tb.sh', resolve('.cache/tb')], { encoding: 'utf8', timeout: 600_000 });
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status, out.slice(-3000)).toBe(0);
    for (const w of [64, 32]) expect(out).toMatch(new RegExp(`pcie_adapters_tb: DATA_WIDTH=${w} PASS .* (0\\.99\\d|1\\.000) bytes/clock`));
  });
});
