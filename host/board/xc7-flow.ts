/**
 * The Xilinx 7-series flow: Yosys `synth_xilinx -flatten` for resource counts against the
 * device (no open place-and-route here), plus the XDC and the Vivado script for a real build.
 */
import { designClock } from './clocking.ts';
import { xdc } from './constraints.ts';
import { boardDesign } from './design.ts';
import { FitError } from './errors.ts';
import { cyclesPerHash, overCapacity, reportHeader, xc7SynthResources, type BuildReport } from './report.ts';
import type { Xc7Board } from './schema.ts';
import { vivadoScript } from './vivado.ts';
import { synthesize } from './yosys.ts';
import { HDL_DIR } from './boards.ts';

export interface Xc7BuildResult {
  report: BuildReport;
  outputs: Record<string, string>;
}

/** Synthesises a 7-series board with Yosys and writes the Vivado script beside the report. */
export async function buildXc7(board: Xc7Board, progress?: (line: string) => void): Promise<Xc7BuildResult> {
  const t0 = performance.now();
  const clock = await designClock(board);
  const design = boardDesign(board, clock);
  progress?.('synthesis: Yosys synth_xilinx -flatten (the full design takes several minutes)');
  let lastPass = '';
  let lastShown = 0;
  const synth = await synthesize(design, 'synth_xilinx -flatten -family xc7', (line) => {
    const m = /^\d+\.\d+\. Executing (\S+)/.exec(line);
    if (m && m[1] !== lastPass && performance.now() - lastShown > 10_000) {
      lastPass = m[1]!;
      lastShown = performance.now();
      progress?.(`synthesis: ${lastPass} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }, false);
  const resources = xc7SynthResources(synth.cellCounts, board.fpga.device);
  const over = overCapacity(resources);
  const report: BuildReport = {
    ...reportHeader(board, clock),
    stage: 'synthesis',
    resources,
    fits: over.length === 0,
    // At the target clock, if Vivado closes timing there (no open timing analysis for the 7-series here).
    hashesPerSecond: clock.hz / cyclesPerHash(board.design),
    tools: { yosys: synth.version },
    seconds: { synthesis: synth.seconds, total: (performance.now() - t0) / 1000 },
    files: {},
  };
  const outputs = {
    [`${board.name}.xdc`]: xdc(board),
    'vivado.tcl': vivadoScript(board, design, `{${HDL_DIR.replace(/\/$/, '')}}`),
    'yosys.log': synth.log,
  };
  if (over.length) throw new FitError(`${board.name}: the design does not fit the ${board.fpga.device.toUpperCase()}: ${over.join(', ')}`, { report, outputs });
  return { report, outputs };
}
