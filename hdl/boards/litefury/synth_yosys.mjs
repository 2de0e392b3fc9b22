#!/usr/bin/env node
// Resource estimate of the PCIe top for Xilinx 7-series with Yosys (the @yowasp/yosys WebAssembly
// build, no Vivado needed): `synth_xilinx -flatten -noiopad` over hdl/evm_fpga.f + hdl/pcie/pcie.f
// with evm_fpga_pcie_top's default parameters (64-bit streams, 125 MHz), then `stat`.
//
//   node hdl/boards/litefury/synth_yosys.mjs [--log FILE] [-G NAME=VALUE ...]
//
// Prints Yosys's `stat` block (cell counts by type) and a one-line summary. -noiopad: the top sits
// inside a block design next to the XDMA IP, so its ports are not pins. These are Yosys's counts,
// not Vivado's: docs/pcie.md says how they compare.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const hdl = join(repo, 'hdl');

function fail(message) {
  process.stderr.write(`synth_yosys: ${message}\n`);
  process.exit(1);
}

function filelist(path) {
  const base = dirname(path);
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.replace(/\/\/.*$|#.*$/, '').trim())
    .filter(Boolean)
    .map((l) => resolve(base, l));
}

const params = [];
let logFile;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--log' && argv[i + 1]) logFile = argv[++i];
  else if (a === '-G' && argv[i + 1] && /^[A-Z_][A-Z0-9_]*=\d+$/.test(argv[i + 1])) params.push(argv[++i].split('='));
  else fail(`unknown argument '${a}' (usage: synth_yosys.mjs [--log FILE] [-G NAME=VALUE ...])`);
}

let runYosys;
try {
  ({ runYosys } = await import('@yowasp/yosys'));
} catch {
  fail("@yowasp/yosys is not installed: run 'npm install' (or 'npm install --no-save @yowasp/yosys')");
}

const sources = [...filelist(join(hdl, 'evm_fpga.f')), ...filelist(join(hdl, 'pcie', 'pcie.f'))];
// Yosys runs in a sandbox: hand it the sources as a virtual tree under src/.
const tree = { src: {} };
for (const file of sources) {
  const parts = relative(hdl, file).split('/');
  let node = tree.src;
  for (const p of parts.slice(0, -1)) node = node[p] ??= {};
  node[parts.at(-1)] = readFileSync(file, 'utf8');
}
const script = [
  `read_verilog -sv -defer ${sources.map((f) => `src/${relative(hdl, f)}`).join(' ')}`,
  `hierarchy -top evm_fpga_pcie_top ${params.map(([k, v]) => `-chparam ${k} ${v}`).join(' ')}`,
  'synth_xilinx -family xc7 -flatten -noiopad -top evm_fpga_pcie_top',
  'tee -o stat.txt stat',
].join('; ');

let log = '';
const started = performance.now();
const out = await runYosys(['-q', '-p', script], tree, {
  stdout: (b) => b && (log += new TextDecoder().decode(b)),
  stderr: (b) => b && (log += new TextDecoder().decode(b)),
}).catch((err) => {
  if (logFile) writeFileSync(logFile, log);
  fail(`yosys failed (exit ${err.code ?? '?'}): ${log.trim().split('\n').filter((l) => /ERROR/.test(l))[0] ?? err.message}`);
});
if (logFile) writeFileSync(logFile, log);
const stat = typeof out['stat.txt'] === 'string' ? out['stat.txt'] : new TextDecoder().decode(out['stat.txt']);
process.stdout.write(stat);
const count = (re) => [...stat.matchAll(re)].reduce((s, m) => s + Number(m[1]), 0);
const luts = count(/^\s+(\d+)\s+\S*\s*LUT[1-6]\s*$/gm) || count(/LUT[1-6]\s+(\d+)/g);
const ffs = count(/^\s+(\d+)\s+\S*\s*FD[RSCPE]+\s*$/gm) || count(/FD[RSCPE]+\s+(\d+)/g);
const dsp = count(/^\s+(\d+)\s+\S*\s*DSP48E1\s*$/gm) || count(/DSP48E1\s+(\d+)/g);
const bram = count(/^\s+(\d+)\s+\S*\s*RAMB(?:18|36)E1\s*$/gm) || count(/RAMB(?:18|36)E1\s+(\d+)/g);
const seconds = ((performance.now() - started) / 1000).toFixed(0);
process.stdout.write(`summary: ${luts} LUT, ${ffs} FF, ${dsp} DSP48E1, ${bram} RAMB (Yosys synth_xilinx -flatten, ${seconds} s)\n`);
