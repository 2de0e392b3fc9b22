/**
 * An in-process link: two connected {@link Transport} endpoints, for unit tests, device models
 * and measuring the driver's own overhead. Bytes written on one end arrive at the other on a
 * later turn of the event loop (`setImmediate`), all writes of one turn delivered together, so
 * a responder never runs inside the writer's call stack and timers still get their turn.
 */
import { TransportError } from '../errors.ts';
import { TransportBase } from './listeners.ts';
import type { Transport } from './transport.ts';

/** The two ends of an in-memory link. */
export interface MemoryLink {
  /** The end the driver uses (`openDevice(..., { transport: link.host })`). */
  host: Transport;
  /** The end a device model or test responder uses. */
  device: Transport;
}

class MemoryEndpoint extends TransportBase {
  readonly type = 'memory' as const;
  peer!: MemoryEndpoint;
  private inbox: Uint8Array[] = [];
  private scheduled = false;

  constructor(readonly name: string) {
    super();
  }

  write(bytes: Uint8Array): void {
    if (this.listeners.closed || bytes.length === 0) return;
    this.peer.deliver(bytes);
  }

  async close(): Promise<void> {
    if (this.listeners.closed) return;
    this.listeners.emitClose();
    this.peer.listeners.emitClose(new TransportError(`${this.peer.name}: the other end closed the link`));
  }

  private deliver(bytes: Uint8Array): void {
    this.inbox.push(bytes);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const inbox = this.inbox;
    this.inbox = [];
    for (const chunk of inbox) {
      if (this.listeners.closed) return;
      this.listeners.emitData(chunk);
    }
  }
}

/** Creates a connected pair of in-memory endpoints. */
export function createMemoryLink(name = 'memory'): MemoryLink {
  const host = new MemoryEndpoint(name);
  const device = new MemoryEndpoint(`${name} (device end)`);
  host.peer = device;
  device.peer = host;
  return { host, device };
}
