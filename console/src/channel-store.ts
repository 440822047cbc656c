/**
 * The live channels of every backend, kept current by channelEvents: each event carries the
 * channel as it saw it, ChannelDestroyed removes it, ResyncRequired replaces the whole set.
 */
import type { Channel, ChannelEventMsg } from './types';

export type ChannelChange =
  | { kind: 'upsert'; channel: Channel }
  | { kind: 'remove'; id: string }
  | { kind: 'reset' }
  | { kind: 'quality'; id: string };

/** One quality sample of a call, for its row's badge and sparkline and its chart. */
export interface QualitySample {
  at: number;
  values: Record<string, number>;
}

const MAX_SAMPLES = 600;

export class ChannelStore {
  readonly channels = new Map<string, Channel>();
  readonly quality = new Map<string, QualitySample[]>();
  private readonly listeners: Array<(c: ChannelChange) => void> = [];

  onChange(listener: (c: ChannelChange) => void): void {
    this.listeners.push(listener);
  }

  replaceAll(channels: Channel[]): void {
    this.channels.clear();
    for (const ch of channels) this.channels.set(ch.id, ch);
    for (const id of [...this.quality.keys()]) if (!this.channels.has(id)) this.quality.delete(id);
    this.emit({ kind: 'reset' });
    for (const ch of channels) this.sample(ch);
  }

  apply(e: ChannelEventMsg): void {
    if (e.__typename === 'ResyncRequired') {
      if (e.channels) this.replaceAll(e.channels);
      return;
    }
    const id = e.channelId;
    if (!id) return;
    if (e.__typename === 'ChannelDestroyed') {
      this.quality.delete(id);
      if (this.channels.delete(id)) this.emit({ kind: 'remove', id });
      return;
    }
    if (!e.channel) return;
    // A snapshot has an id of its own (`<channelId>@<cursor>`): the row is the live channel's.
    const row = { ...this.channels.get(id), ...e.channel, id };
    this.channels.set(id, row);
    this.sample(row);
    this.emit({ kind: 'upsert', channel: row });
  }

  countsByBackend(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const ch of this.channels.values()) counts.set(ch.backend.name, (counts.get(ch.backend.name) ?? 0) + 1);
    return counts;
  }

  /**
   * A sample from the channelQuality stream. Channels the page does not have (yet, or any more)
   * are skipped: a sample racing a ChannelDestroyed must not bring the call back.
   */
  addQuality(id: string, sample: QualitySample): void {
    if (!this.channels.has(id)) return;
    this.push(id, sample);
    this.emit({ kind: 'quality', id });
  }

  /** A Channel.quality snapshot (gateways without the stream): its numbers become a sample. */
  private sample(ch: Channel): void {
    if (!ch.quality) return;
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(ch.quality)) if (typeof v === 'number') values[k] = v;
    this.push(ch.id, { at: Date.now(), values });
  }

  private push(id: string, sample: QualitySample): void {
    const list = this.quality.get(id) ?? [];
    list.push(sample);
    if (list.length > MAX_SAMPLES) list.shift();
    this.quality.set(id, list);
  }

  private emit(c: ChannelChange): void {
    for (const l of this.listeners) l(c);
  }
}
