/**
 * The byte-stream link to a device. Every transport (in-memory, the Verilator simulation, a
 * UART, TCP) implements this interface; the request engine in host/device only sees bytes.
 *
 * Ownership: `write` takes ownership of the array it is given (it may be queued and sent later,
 * so the caller must not modify it), and every chunk passed to a data listener belongs to the
 * listener. Listeners are called asynchronously, never from inside `write`.
 */
import type { TransportError } from '../errors.ts';

/** Which kind of link a transport is. */
export type TransportType = 'memory' | 'sim' | 'uart' | 'tcp' | 'pcie';

/** Receives bytes from the device, in stream order, in chunks of any size. */
export type DataListener = (chunk: Uint8Array) => void;

/**
 * Called once when the link ends. `error` is set when it ended for any reason other than
 * `close()` (device gone, child process exited, I/O error).
 */
export type CloseListener = (error?: TransportError) => void;

/** A bidirectional byte stream to one device. */
export interface Transport {
  /** Human-readable description of the link, e.g. `sim (fast UART)`, `/dev/ttyUSB1 @ 3000000`. */
  readonly name: string;
  /** Which kind of link this is. */
  readonly type: TransportType;
  /** Whether the link is still usable (false after close or failure). */
  readonly isOpen: boolean;
  /** Sends bytes to the device. Failures are reported through the close listeners, not thrown. */
  write(bytes: Uint8Array): void;
  /** Subscribes to received bytes; returns the unsubscribe function. */
  onData(listener: DataListener): () => void;
  /** Subscribes to the end of the link; returns the unsubscribe function. */
  onClose(listener: CloseListener): () => void;
  /** Ends the link and releases its resources; resolves when done. Idempotent. */
  close(): Promise<void>;
}
