/** In-process fan-out of live channel events from all backends to subscribers. */
import type { ChannelEventRecord } from '../domain/channel-event';

export type ChannelEventListener = (e: ChannelEventRecord) => void;

export class ChannelEventHub {
  private readonly listeners = new Set<ChannelEventListener>();

  publish(e: ChannelEventRecord): void {
    for (const l of this.listeners) l(e);
  }

  subscribe(listener: ChannelEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
