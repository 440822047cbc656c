/**
 * The event bus and control bus of a worker when the deployment has no Redis: the primary relays
 * every publication to all workers (the publisher included, as Redis does). With Redis
 * configured, workers use Redis like separate instances.
 */
import type { Journaled } from '../domain/events';
import type { BusListener, EventBus } from '../events/bus';
import type { ControlBus, ControlListener, ControlMessage } from '../events/bus/control';
import { ListenerSet } from '../events/bus/listeners';
import { componentLogger } from '../log';
import type { PrimaryLink } from './link';

const log = componentLogger('cluster.bus');

/**
 * IPC between two processes on one machine neither drops nor reorders, so onGap never fires;
 * events a worker missed while it (re)started come from the journal like any late subscriber's.
 */
export class IpcEventBus implements EventBus {
  private readonly listeners = new ListenerSet<[Journaled]>(log);
  private readonly off: () => void;
  private closed = false;

  constructor(private readonly link: PrimaryLink) {
    this.off = link.on('bus', (m) => this.listeners.emit(m.event));
  }

  async publish(event: Journaled): Promise<void> {
    if (this.closed) throw new Error('event bus is closed');
    this.link.send({ t: 'bus', event });
  }

  subscribe(listener: BusListener): () => void {
    return this.closed ? () => undefined : this.listeners.add(listener);
  }

  onGap(_listener: () => void): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.off();
    this.listeners.clear();
  }
}

export class IpcControlBus implements ControlBus {
  private readonly listeners = new ListenerSet<[ControlMessage]>(log);
  private readonly off: () => void;

  constructor(private readonly link: PrimaryLink) {
    this.off = link.on('control', (m) => this.listeners.emit(m.message));
  }

  async publish(message: ControlMessage): Promise<void> {
    this.link.send({ t: 'control', message });
  }

  subscribe(listener: ControlListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.off();
    this.listeners.clear();
  }
}
