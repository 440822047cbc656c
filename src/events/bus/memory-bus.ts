/** The single-instance bus: delivers synchronously, in publish order, to this process only. */
import type { Journaled } from '../../domain/events';
import { componentLogger } from '../../log';
import { ListenerSet } from './listeners';
import type { BusListener, EventBus } from './types';

const log = componentLogger('events.bus', { bus: 'memory' });

export class MemoryBus implements EventBus {
  private readonly listeners = new ListenerSet<[Journaled]>(log);
  private closed = false;

  async publish(event: Journaled): Promise<void> {
    if (this.closed) throw new Error('event bus is closed');
    this.listeners.emit(event);
  }

  subscribe(listener: BusListener): () => void {
    if (this.closed) return () => undefined;
    return this.listeners.add(listener);
  }

  /** An in-process bus never drops events: the listener is never called. */
  onGap(_listener: () => void): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}
