/**
 * The Vivado Tcl script for a 7-series board, for people who have Vivado: a non-project batch
 * build of the same sources, top and parameters as the Yosys flow, with the XDC generated from
 * the board file. Run it with `vivado -mode batch -source vivado.tcl`.
 */
import type { BoardDesign } from './design.ts';
import type { Xc7Board } from './schema.ts';

/**
 * The script. `hdlDir` is a Tcl expression for the hdl/ directory: the committed copy beside the
 * board file finds it relative to itself; the build's copy names it absolutely.
 */
export function vivadoScript(board: Xc7Board, design: BoardDesign, hdlDir: string): string {
  const generics = Object.entries(design.parameters)
    .map(([k, v]) => `-generic ${k}=${Number.isInteger(v) ? v : v.toFixed(3)}`)
    .join(' ');
  const defines = design.defines.map((d) => `-verilog_define ${d}`).join(' ');
  return [
    `# Vivado batch build of evm-fpga for the ${board.title}.`,
    `# Generated from hdl/boards/${board.name}/board.json by \`evm-fpga build --board ${board.name}\`; edit the board file, not this one.`,
    '# Usage: vivado -mode batch -source vivado.tcl   (writes the bitstream and reports to ./vivado-out/)',
    `set hdl ${hdlDir}`,
    'set out [file join [pwd] vivado-out]',
    'file mkdir $out',
    `set_part ${board.fpga.part}`,
    'set sources {',
    ...design.sources.map((s) => `  ${s}`),
    '}',
    'foreach f $sources { read_verilog -sv [file join $hdl $f] }',
    `read_xdc [file join $hdl boards ${board.name} ${board.name}.xdc]`,
    `synth_design -top ${design.top} ${generics}${defines ? ` ${defines}` : ''}`,
    'opt_design',
    'place_design',
    'phys_opt_design',
    'route_design',
    'report_utilization -file [file join $out utilization.rpt]',
    'report_timing_summary -file [file join $out timing.rpt]',
    `write_bitstream -force [file join $out ${board.name}.bit]`,
    '',
  ].join('\n');
}

/** The hdl/ expression for the copy committed at hdl/boards/<board>/vivado.tcl. */
export const COMMITTED_HDL_DIR = '[file normalize [file join [file dirname [info script]] .. ..]]';
