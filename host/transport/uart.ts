/**
 * A serial port (a board's USB UART, or the simulation's `--pty`) as a transport, through
 * node-serialport. The port is opened raw at `baudRate`, 8N1, no flow control: the driver's
 * window flow control keeps the device's receive ring from overflowing.
 */
import { SerialPort } from 'serialport';
import { TransportError } from '../errors.ts';
import { TransportBase } from './listeners.ts';
import type { Transport } from './transport.ts';

/** Options for {@link openUartTransport}. */
export interface UartTransportOptions {
  /** Device path, e.g. `/dev/ttyUSB1`. */
  path: string;
  /** Line rate in bit/s (must match the device's UART divider and clock). */
  baudRate: number;
}

class UartTransport extends TransportBase {
  readonly type = 'uart' as const;
  readonly name: string;

  constructor(private readonly port: SerialPort) {
    super();
    this.name = `${port.path} @ ${port.baudRate} baud`;
    port.on('data', (chunk: Buffer) => this.listeners.emitData(chunk));
    port.on('error', (err: Error) => {
      this.listeners.emitClose(new TransportError(`${port.path}: ${oneLine(err)}`, { cause: err }));
    });
    port.on('close', (err?: Error & { disconnected?: boolean }) => {
      if (this.closing) this.listeners.emitClose();
      else
        this.listeners.emitClose(
          new TransportError(`${port.path}: ${err?.disconnected ? 'device disconnected' : 'port closed'}`, { cause: err }),
        );
    });
  }

  write(bytes: Uint8Array): void {
    if (!this.isOpen) return;
    this.port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  async close(): Promise<void> {
    if (this.closing || this.listeners.closed) return;
    this.closing = true;
    if (this.port.isOpen) {
      await new Promise<void>((resolve) => this.port.close(() => resolve()));
    }
    this.listeners.emitClose();
  }
}

/**
 * Opens a serial port.
 * @throws TransportError with a one-line message such as
 *   `cannot open /dev/ttyUSB1: No such file or directory`.
 */
export async function openUartTransport(options: UartTransportOptions): Promise<Transport> {
  const port = new SerialPort({ path: options.path, baudRate: options.baudRate, autoOpen: false });
  try {
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  } catch (err) {
    throw new TransportError(`cannot open ${options.path}: ${openFailureReason(err, options.path)}`, { cause: err });
  }
  return new UartTransport(port);
}

/** node-serialport reports `Error: No such file or directory, cannot open /dev/x`; keep the reason. */
function openFailureReason(err: unknown, path: string): string {
  let text = oneLine(err).replace(/^Error:\s*/, '');
  text = text.replace(new RegExp(`,?\\s*cannot open ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`), '');
  return text || 'unknown error';
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? '';
}
