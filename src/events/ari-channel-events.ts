/** Feeds an ARI backend's events socket into the channel event hub, mapped to domain records. */
import type { AriBackend } from '../backends/ari/backend';
import { mapChannel, parseAriTime } from '../backends/ari/map';
import type * as W from '../backends/ari/wire.generated';
import type { ChannelEventRecord } from '../domain/channel-event';
import type { ChannelEventHub } from './channel-event-hub';

/** The channel an ARI event is about: `channel`, or a Dial's `peer`. */
function channelOf(e: Record<string, unknown>): W.Channel | undefined {
  const c = (e.channel ?? (e.type === 'Dial' ? e.peer : undefined)) as W.Channel | undefined;
  return c && typeof c === 'object' && typeof c.id === 'string' ? c : undefined;
}

export function ariEventToRecord(backend: string, message: W.AriMessage, receivedAt = new Date()): ChannelEventRecord {
  const raw = message as unknown as Record<string, unknown>;
  const wire = channelOf(raw);
  let occurredAt = receivedAt;
  if (typeof raw.timestamp === 'string') {
    try {
      occurredAt = parseAriTime(raw.timestamp);
    } catch {
      // A malformed timestamp must not lose the event; receivedAt stands in.
    }
  }
  return {
    type: message.type,
    backend,
    channelNativeId: wire?.id ?? null,
    occurredAt,
    receivedAt,
    channel: wire ? mapChannel(backend, wire) : null,
    raw,
  };
}

export function attachAriEvents(backend: AriBackend, hub: ChannelEventHub): () => void {
  return backend.onEvent((message) => hub.publish(ariEventToRecord(backend.name, message)));
}
