/**
 * Building blocks shared by every backend's normaliser (backends/<kind>/normalize.ts) and by
 * reconcile (events/reconcile.ts): event envelopes, the ids a channel is about, and the "what
 * changed between two snapshots" rule, so that a live event and a reconciled diff describe the
 * same transition with the same events whatever the backend kind.
 */
import type { BackendKind, Channel, ChannelState } from './channel';
import type { ChannelEvent, ChannelEventData, EventIds } from './events';

/** What every normalised event carries besides its category and per-type data. */
export type EventEnvelope = Pick<
  ChannelEvent,
  'backend' | 'backendKind' | 'occurredAt' | 'receivedAt' | 'reconciled' | 'ids' | 'raw'
>;

/** The envelope of an event synthesised by reconcile: `raw` is empty, both times are `now`. */
export function reconciledEnvelope(backend: string, kind: BackendKind, ids: EventIds, now: Date): EventEnvelope {
  return { backend, backendKind: kind, occurredAt: now, receivedAt: now, reconciled: true, ids, raw: {} };
}

export function channelEvent(env: EventEnvelope, channel: Channel | null, data: ChannelEventData): ChannelEvent {
  return { ...env, category: 'channel', channel, ...data };
}

/**
 * Ids a channel event is about. KAZOO channels also name their account, owner (user) and, when
 * a device authorised the leg, the device; ARI channels only have their own id.
 */
export function channelIds(channel: Channel): EventIds {
  const ids: EventIds = { channelId: channel.nativeId };
  const k = channel.kazoo;
  if (!k) return ids;
  if (k.accountId) ids.accountId = k.accountId;
  if (k.ownerId) ids.userId = k.ownerId;
  if (k.authorizingId && k.authorizingType === 'device') ids.deviceId = k.authorizingId;
  return ids;
}

/**
 * A state transition: ChannelStateChanged, plus ChannelAnswered when the channel reached UP from
 * anything else (an unknown previous state counts as "not UP"). Nothing when the state is the
 * same: ChannelStateChanged carries only the mapped state, so a change of rawState alone
 * (e.g. "Unknown (12)" → "Unknown (13)") is not one.
 */
export function stateTransition(
  env: EventEnvelope,
  channel: Channel,
  previousState: ChannelState | null,
): ChannelEvent[] {
  if (previousState === channel.state) return [];
  const out = [channelEvent(env, channel, { type: 'ChannelStateChanged', previousState, state: channel.state })];
  if (channel.state === 'UP') out.push(channelEvent(env, channel, { type: 'ChannelAnswered' }));
  return out;
}

/**
 * A channel showing up with a snapshot (ARI ChannelCreated/StasisStart, KAZOO CHANNEL_CREATE):
 * ChannelCreated when we did not know it; otherwise only the state transition, if any. The
 * second case covers a REST list (reconcile) or a duplicate delivery having seen it first.
 */
export function arrival(env: EventEnvelope, channel: Channel, previous: Channel | undefined): ChannelEvent[] {
  if (!previous) return [channelEvent(env, channel, { type: 'ChannelCreated' })];
  return stateTransition(env, channel, previous.state);
}
