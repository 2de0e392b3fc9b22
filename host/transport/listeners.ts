/**
 * The listener bookkeeping every transport shares: data listeners, and close listeners that
 * fire exactly once.
 */
import type { TransportError } from '../errors.ts';
import type { CloseListener, DataListener } from './transport.ts';

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
