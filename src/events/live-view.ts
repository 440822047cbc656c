/**
 * Per-backend live view of channels, fed by the same normalised events the journal gets, so
 * `channels` queries can be answered without a REST round trip while the backend's event stream
 * is healthy. Ingest owns the `healthy` flag: false from a disconnect until the reconnect's
 * REST list has been `replace`d in (and reconciled).
 *
 * Channels are keyed by native id: ARI channel id, KAZOO call id.
 *
 * Last snapshot wins. ARI delivers one channel's events in causal order over one socket
 * (docs/wire/ari.md §4.5), and so does Blackhole per call, so a newer event never carries an older
 * snapshot. Across a reconnect, `replace` discards everything the old stream said.
 */
import type { Channel } from '../domain/channel';
import type { NormalizedEvent } from '../domain/events';

export interface LiveViewContext {
  previous(channelId: string): Channel | undefined;
  receivedAt?: Date;
}

export class LiveView {
  /** Per backend, in the order channels were first seen (the tie-break of `list`). */
  private readonly channels = new Map<string, Map<string, Channel>>();
  private readonly health = new Map<string, boolean>();

  private of(backend: string): Map<string, Channel> {
    let m = this.channels.get(backend);
    if (!m) this.channels.set(backend, (m = new Map()));
    return m;
  }

  /**
   * ChannelDestroyed removes the channel; any other channel event with a snapshot upserts it.
   * Snapshot-less events (playback, recording) and agent/object events change nothing.
   */
  apply(e: NormalizedEvent): void {
    if (e.category !== 'channel') return;
    if (e.type === 'ChannelDestroyed') {
      const id = e.ids.channelId ?? e.channel?.nativeId;
      if (id !== undefined) this.channels.get(e.backend)?.delete(id);
      return;
    }
    if (e.channel) this.of(e.backend).set(e.channel.nativeId, e.channel);
  }

  /**
   * Updates the snapshot of a channel the view already holds; unknown channels are ignored
   * (they enter only through an event or `replace`). For snapshots of wire events the
   * normaliser drops (ARI ChannelDialplan, ChannelCallerId, ChannelConnectedLine, ...), which
   * still change what `channels` should answer. Returns whether it updated.
   */
  refresh(channel: Channel): boolean {
    const m = this.channels.get(channel.backend);
    if (!m?.has(channel.nativeId)) return false;
    m.set(channel.nativeId, channel);
    return true;
  }

  /** The backend's channels are exactly `channels` (after a REST list). */
  replace(backend: string, channels: readonly Channel[]): void {
    this.channels.set(backend, new Map(channels.map((c) => [c.nativeId, c])));
  }

  /** By creation time; channels created in the same millisecond in the order first seen. */
  list(backend: string): Channel[] {
    const m = this.channels.get(backend);
    if (!m) return [];
    // Array.prototype.sort is stable, so equal createdAt keep insertion order.
    return [...m.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  get(backend: string, id: string): Channel | undefined {
    return this.channels.get(backend)?.get(id);
  }

  /** What the normalisers' ctx.previous needs: the channel as known before the next event. */
  previous(backend: string, id: string): Channel | undefined {
    return this.get(backend, id);
  }

  /** A ready-made normaliser context for one backend. */
  contextFor(backend: string, receivedAt?: Date): LiveViewContext {
    return { previous: (id) => this.get(backend, id), receivedAt };
  }

  markHealthy(backend: string, healthy: boolean): void {
    this.health.set(backend, healthy);
  }

  /** False until ingest says otherwise. */
  isHealthy(backend: string): boolean {
    return this.health.get(backend) ?? false;
  }

  /** Drops the backend's channels and health (backend removed or stopped). */
  forget(backend: string): void {
    this.channels.delete(backend);
    this.health.delete(backend);
  }
}
