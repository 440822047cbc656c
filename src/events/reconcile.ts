/**
 * After a reconnect, the channels a backend lists are compared with what we knew, and the
 * transitions we missed are synthesised as events (`reconciled: true`, `raw: {}`, occurredAt =
 * receivedAt = `now`). The same transition rules as live events apply (domain/event-envelope.ts),
 * so a consumer sees the same event types whether it was live or reconciled. State beyond
 * channels (KAZOO agents) is the backend's to diff: BackendEventSource.reconcileAgents.
 */
import type { BackendKind, Channel } from '../domain/channel';
import type { ChannelEvent } from '../domain/events';
import { channelEvent, channelIds, reconciledEnvelope, stateTransition } from '../domain/event-envelope';

const byNumericId = new Intl.Collator('en', { numeric: true }).compare;

/** Creation time, then id with digit runs compared as numbers ("1.2" before "1.10"). */
export function compareChannels(a: Channel, b: Channel): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || byNumericId(a.nativeId, b.nativeId);
}

/**
 * Channels in `actual` but not `known` → ChannelCreated (also when already UP: no
 * ChannelAnswered, as for a live ChannelCreated); in both with another state →
 * ChannelStateChanged (+ ChannelAnswered when it became UP); in `known` only → ChannelDestroyed
 * with the last known snapshot and causeCode/causeText null. Created/changed come in
 * `compareChannels` order of the actual channels, then the destroyed ones in the same order.
 */
export function reconcileChannels(
  backend: string,
  kind: BackendKind,
  known: Channel[],
  actual: Channel[],
  now: Date,
): ChannelEvent[] {
  const knownById = new Map(known.map((c) => [c.nativeId, c]));
  const actualIds = new Set(actual.map((c) => c.nativeId));
  const out: ChannelEvent[] = [];
  for (const c of [...actual].sort(compareChannels)) {
    const env = reconciledEnvelope(backend, kind, channelIds(c), now);
    const before = knownById.get(c.nativeId);
    if (!before) out.push(channelEvent(env, c, { type: 'ChannelCreated' }));
    else out.push(...stateTransition(env, c, before.state));
  }
  for (const c of known.filter((k) => !actualIds.has(k.nativeId)).sort(compareChannels)) {
    out.push(
      channelEvent(reconciledEnvelope(backend, kind, channelIds(c), now), c, {
        type: 'ChannelDestroyed',
        causeCode: null,
        causeText: null,
      }),
    );
  }
  return out;
}
