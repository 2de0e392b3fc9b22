/**
 * The listener bookkeeping every transport shares: data listeners, and close listeners that
 * fire exactly once.
 */
import type { TransportError } from '../errors.ts';
import type { CloseListener, DataListener, Transport, TransportType } from './transport.ts';

/** Data and close listener sets with one-shot close semantics. */
export class TransportListeners {
  private data: DataListener[] = [];
  private closing: CloseListener[] = [];
  private closedWith: { error: TransportError | undefined } | null = null;

  /** Whether {@link emitClose} has run. */
  get closed(): boolean {
    return this.closedWith !== null;
  }

  /** Adds a data listener; returns its unsubscribe function. */
  addData(listener: DataListener): () => void {
    this.data = [...this.data, listener];
    return () => {
      this.data = this.data.filter((l) => l !== listener);
    };
  }

  /** Adds a close listener (called at once, asynchronously, if the link already closed). */
  addClose(listener: CloseListener): () => void {
    if (this.closedWith) {
      const { error } = this.closedWith;
      queueMicrotask(() => listener(error));
      return () => {};
    }
    this.closing = [...this.closing, listener];
    return () => {
      this.closing = this.closing.filter((l) => l !== listener);
    };
  }

  /** Delivers a received chunk to every data listener. */
  emitData(chunk: Uint8Array): void {
    const listeners = this.data;
    if (listeners.length === 1) listeners[0]!(chunk);
    else for (const listener of listeners) listener(chunk);
  }

  /** Reports the end of the link once; later calls are ignored. */
  emitClose(error?: TransportError): void {
    if (this.closedWith) return;
    this.closedWith = { error };
    const listeners = this.closing;
    this.closing = [];
    this.data = [];
    for (const listener of listeners) listener(error);
  }
}

/**
 * What every transport shares: the listener sets, `isOpen` and the subscription methods. A
 * concrete transport supplies `write` and `close`, and sets `closing` when its close begins.
 */
export abstract class TransportBase implements Transport {
  abstract readonly name: string;
  abstract readonly type: TransportType;
  protected readonly listeners = new TransportListeners();
  /** Set once `close()` has begun, so writes stop before the link is actually down. */
  protected closing = false;

  get isOpen(): boolean {
    return !this.listeners.closed && !this.closing;
  }

  onData(listener: DataListener): () => void {
    return this.listeners.addData(listener);
  }

  onClose(listener: CloseListener): () => void {
    return this.listeners.addClose(listener);
  }

  abstract write(bytes: Uint8Array): void;
  abstract close(): Promise<void>;
}
