/**
 * Errors thrown by the host driver. Every error is an {@link EvmFpgaError}: `shortMessage` is one
 * line a person can act on (the CLI prints `error: <shortMessage>`), `details` carries the
 * technical specifics, and `cause` links to the underlying failure. Modelled on viem's BaseError.
 */
import type { StatusName } from './protocol/spec.ts';

/** Options shared by every error constructor. */
export interface EvmFpgaErrorOptions {
  /** Technical detail for `--verbose` output and bug reports (may span lines). */
  details?: string;
  /** The failure that led to this one. */
  cause?: unknown;
}

/** Base class of all driver errors. `message` equals `shortMessage` (one line). */
export class EvmFpgaError extends Error {
  /** Stable machine-readable error code, e.g. `'TIMEOUT'`. */
  readonly code: string = 'EVM_FPGA';
  /** One-line human-readable description. */
  readonly shortMessage: string;
  /** Technical detail, if any. */
  readonly details?: string;
  override name = 'EvmFpgaError';

  constructor(shortMessage: string, options: EvmFpgaErrorOptions = {}) {
    const line = shortMessage.split('\n')[0] ?? '';
    super(line, options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = line;
    if (options.details !== undefined) this.details = options.details;
  }

  /**
   * Walks the cause chain starting at this error. Without `fn`, returns the deepest cause; with
   * `fn`, returns the first error in the chain for which `fn` is true (or `null`).
   */
  walk(fn?: (err: unknown) => boolean): unknown {
    let cur: unknown = this;
    let last: unknown = this;
    const seen = new Set<unknown>();
    while (cur !== undefined && cur !== null && !seen.has(cur)) {
      seen.add(cur);
      if (fn?.(cur)) return cur;
      last = cur;
      cur = cur instanceof Error ? cur.cause : undefined;
    }
    return fn ? null : last;
  }
}

/** The device sent bytes that do not form a valid frame or payload (bad length, bad magic, ...). */
export class ProtocolError extends EvmFpgaError {
  override readonly code = 'PROTOCOL';
  override name = 'ProtocolError';
}

/** The device answered a request with a non-OK status. */
export class DeviceStatusError extends EvmFpgaError {
  override readonly code = 'DEVICE_STATUS';
  override name = 'DeviceStatusError';
  /** The status name from the shared spec (`'BAD_LENGTH'`, ...), or `'UNKNOWN'`. */
  readonly status: StatusName | 'UNKNOWN';
  /** The raw status byte. */
  readonly statusCode: number;

  constructor(
    shortMessage: string,
    options: EvmFpgaErrorOptions & { status: StatusName | 'UNKNOWN'; statusCode: number },
  ) {
    super(shortMessage, options);
    this.status = options.status;
    this.statusCode = options.statusCode;
  }
}

/** A request got no answer within its timeout, after all retries. */
export class TimeoutError extends EvmFpgaError {
  override readonly code = 'TIMEOUT';
  override name = 'TimeoutError';
}

/** The link failed: it could not be opened, an I/O error occurred, or the device went away. */
export class TransportError extends EvmFpgaError {
  override readonly code = 'TRANSPORT';
  override name = 'TransportError';
}

/** A device spec string (`sim`, `uart:/dev/ttyUSB1`, `tcp:host:port`, ...) could not be parsed. */
export class DeviceSpecError extends EvmFpgaError {
  override readonly code = 'DEVICE_SPEC';
  override name = 'DeviceSpecError';
}

/** Input from the caller is invalid (bad hex, a non-byte-array message, ...). */
export class InvalidInputError extends EvmFpgaError {
  override readonly code = 'INVALID_INPUT';
  override name = 'InvalidInputError';
}

/**
 * Every member of a device pool has failed and been taken out (host/device/pool.ts): the request
 * cannot be served. A {@link TransportError} (code `'TRANSPORT'`), so code that falls back to
 * software when the link goes down does so for a pool too; `cause` is the last member's failure.
 */
export class PoolExhaustedError extends TransportError {
  override name = 'PoolExhaustedError';
}
