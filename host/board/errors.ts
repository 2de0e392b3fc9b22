/**
 * Errors of the board flows (build, flash). Each is an {@link EvmFpgaError}: one line a person can
 * act on, details for `--verbose`, and the cause chain.
 */
import { EvmFpgaError, type EvmFpgaErrorOptions } from '../errors.ts';
import type { BuildReport } from './report.ts';

/** What a build that failed its fit or timing check still produced: the report and the logs. */
export interface BuildFailureOptions extends EvmFpgaErrorOptions {
  report?: BuildReport;
  outputs?: Record<string, string>;
}

/** A build error that carries the report (so `--json` and the output directory still get it). */
export class BuildCheckError extends EvmFpgaError {
  readonly report?: BuildReport;
  readonly outputs?: Record<string, string>;

  constructor(shortMessage: string, options: BuildFailureOptions = {}) {
    super(shortMessage, options);
    if (options.report) this.report = options.report;
    if (options.outputs) this.outputs = options.outputs;
  }
}

/** A board file is missing or invalid, or no board has the requested name. */
export class BoardFileError extends EvmFpgaError {
  override readonly code = 'BOARD_FILE';
  override name = 'BoardFileError';
}

/** A tool of the flow (Yosys, nextpnr, icepll, icepack) failed; `details` holds the tail of its log, `log` all of it. */
export class BuildToolError extends EvmFpgaError {
  override readonly code = 'BUILD_TOOL';
  override name = 'BuildToolError';
  readonly log?: string;

  constructor(shortMessage: string, options: EvmFpgaErrorOptions & { log?: string } = {}) {
    super(shortMessage, options);
    if (options.log !== undefined) this.log = options.log;
  }
}

/** The design does not fit the board's FPGA. */
export class FitError extends BuildCheckError {
  override readonly code = 'FIT';
  override name = 'FitError';
}

/** Place-and-route finished but the design misses the board's clock frequency. */
export class TimingError extends BuildCheckError {
  override readonly code = 'TIMING';
  override name = 'TimingError';
}

/** Flashing failed: the tool, the cable or the board is missing, or the tool reported an error. */
export class FlashError extends EvmFpgaError {
  override readonly code = 'FLASH';
  override name = 'FlashError';
}
