/**
 * A TCP connection (a board's Ethernet bridge, or a simulation serving its link on a socket) as a
 * transport, through node:net. Nagle's algorithm is disabled: the driver already batches frames
 * into one write per turn.
 */
import net from 'node:net';
import { TransportError } from '../errors.ts';
import { TransportBase } from './listeners.ts';
import type { Transport } from './transport.ts';

/** Options for {@link openTcpTransport}. */
export interface TcpTransportOptions {
  /** Host name or address. */
  host: string;
  /** TCP port. */
  port: number;
  /** Milliseconds to wait for the connection (default 5000). */
  connectTimeoutMs?: number;
}

class TcpTransport extends TransportBase {
  readonly type = 'tcp' as const;

  constructor(
    readonly name: string,
    private readonly socket: net.Socket,
  ) {
    super();
    socket.on('data', (chunk: Buffer) => this.listeners.emitData(chunk));
    socket.on('error', (err) => {
      this.listeners.emitClose(new TransportError(`${name}: ${err.message}`, { cause: err }));
    });
    socket.on('close', () => {
      if (this.closing) this.listeners.emitClose();
      else this.listeners.emitClose(new TransportError(`${name}: connection closed by the device`));
    });
  }

  write(bytes: Uint8Array): void {
    if (!this.isOpen) return;
    this.socket.write(bytes);
  }

  async close(): Promise<void> {
    if (this.closing || this.listeners.closed) return;
    this.closing = true;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      // A peer that never finishes its side should not hold close() up.
      setTimeout(() => this.socket.destroy(), 1000).unref();
    });
    this.listeners.emitClose();
  }
}

/**
 * Connects to `host:port`.
 * @throws TransportError on refusal, DNS failure or timeout, e.g.
 *   `cannot connect to 127.0.0.1:7777: connection refused`.
 */
export async function openTcpTransport(options: TcpTransportOptions): Promise<Transport> {
  const where = `${options.host}:${options.port}`;
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  const socket = net.connect({ host: options.host, port: options.port });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  } catch (err) {
    socket.destroy();
    throw new TransportError(`cannot connect to ${where}: ${describeSocketError(err)}`, { cause: err });
  }
  socket.setNoDelay(true);
  return new TcpTransport(`tcp ${where}`, socket);
}

function describeSocketError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'host not found';
  if (code === 'EHOSTUNREACH') return 'host unreachable';
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
