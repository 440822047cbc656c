/**
 * KAZOO events (Blackhole frames already mapped to KazooEvent by backends/kazoo/map/event.ts)
 * → backend-neutral events.
 *
 * Call events, by KAZOO name:
 * | KAZOO                         | domain                                                         |
 * |-------------------------------|----------------------------------------------------------------|
 * | CHANNEL_CREATE                | ChannelCreated if the call id is unknown; else the state        |
 * |                               | transition, if any (a duplicate frame from overlapping bindings)|
 * | CHANNEL_ANSWER                | ChannelStateChanged + ChannelAnswered (nothing if already UP)   |
 * | CHANNEL_BRIDGE                | ChannelBridged (bridgeId = CCV bridge_id, other = other leg)    |
 * | CHANNEL_HOLD / CHANNEL_UNHOLD | ChannelHeld (musicClass null) / ChannelUnheld                   |
 * | DTMF                          | DtmfReceived (digit from dtmf_digit; durationMs null)           |
 * | PARK_PARKED/RETRIEVED/ABANDONED | ChannelParked / ChannelRetrieved / ChannelAbandoned            |
 * | CHANNEL_DESTROY               | ChannelDestroyed (causeText = hangup_cause, causeCode = Q.850)  |
 * Anything else (CHANNEL_UNBRIDGE, CHANNEL_CONNECTED, ...) produces nothing. HOLD/UNHOLD/PARK/DTMF
 * are not delivered by KAZOO 4.3's hooks (docs/wire/kazoo.md §4.7), so their payload fields are
 * best guesses: the park slot is read from parking_slot | slot_number | slot, FreeSWITCH's
 * DTMF-Duration is in RTP clock units rather than ms and is not converted.
 *
 * Recipient (Qubicle) events → AgentStateChanged, action from the event name
 * (agent-actions.ts). Object events → ObjectChanged. `other` events → nothing.
 */
import type { Channel } from '../../domain/channel';
import {
  OBJECT_ACTIONS,
  type AgentEvent,
  type EventIds,
  type NormalizedEvent,
  type ObjectAction,
  type ObjectEvent,
} from '../../domain/events';
import type { KazooCallEvent, KazooEvent, KazooObjectEvent, KazooRecipientEvent } from './operations';
import { agentActionForEventName } from './agent-actions';
import { arrival, channelEvent, channelIds, stateTransition, type EventEnvelope } from '../../domain/event-envelope';
import { q850FromCauseName } from './hangup-causes';

export interface KazooNormalizeContext {
  /** The channel (keyed by call id) as known before this event, undefined when unknown. */
  previous(callId: string): Channel | undefined;
  /** Default: the KazooEvent's receivedAt. */
  receivedAt?: Date;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/**
 * Blackhole call events carry fewer fields than Crossbar's channel list (no destination, a
 * millisecond creation time): keep what we knew where the event is silent, so the live view
 * answers like the REST list does.
 */
function mergeKazooSnapshot(previous: Channel | undefined, fromEvent: Channel): Channel {
  if (!previous) return fromEvent;
  const kazoo = { ...previous.kazoo!, ...definedOnly(fromEvent.kazoo ?? {}) } as NonNullable<Channel['kazoo']>;
  return { ...previous, ...definedOnly(fromEvent), createdAt: previous.createdAt, kazoo };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as Partial<T>;
}

function normalizeCall(
  backend: string,
  e: KazooCallEvent,
  receivedAt: Date,
  ctx: KazooNormalizeContext,
): NormalizedEvent[] {
  const callId = e.callId || e.channel.nativeId;
  if (!callId) return [];
  const previous = ctx.previous(callId);
  const fromEvent: Channel =
    e.channel.nativeId === callId && e.channel.backend === backend
      ? e.channel
      : { ...e.channel, nativeId: callId, backend };
  const channel = mergeKazooSnapshot(previous, fromEvent);
  const ids: EventIds = { ...channelIds(channel), channelId: callId };
  if (e.accountId) ids.accountId = e.accountId;
  const env: EventEnvelope = {
    backend,
    backendKind: 'kazoo',
    occurredAt: e.at,
    receivedAt,
    reconciled: false,
    ids,
    raw: e.raw,
  };
  const slot = () => str(e.raw.parking_slot) ?? str(e.raw.slot_number) ?? str(e.raw.slot) ?? null;

  switch (e.name) {
    case 'CHANNEL_CREATE':
      return arrival(env, channel, previous);
    case 'CHANNEL_ANSWER':
      return stateTransition(env, channel, previous?.state ?? null);
    case 'CHANNEL_BRIDGE': {
      const ccv = (e.raw.custom_channel_vars ?? {}) as Record<string, unknown>;
      const bridgeId = str(ccv.bridge_id) ?? null;
      const otherChannelId = channel.kazoo?.otherLegCallId ?? str(e.raw.other_leg_call_id) ?? null;
      return [channelEvent(env, channel, { type: 'ChannelBridged', bridgeId, otherChannelId })];
    }
    case 'CHANNEL_HOLD':
      return [channelEvent(env, channel, { type: 'ChannelHeld', musicClass: null })];
    case 'CHANNEL_UNHOLD':
      return [channelEvent(env, channel, { type: 'ChannelUnheld' })];
    case 'DTMF': {
      const digit = str(e.raw.dtmf_digit) ?? str(e.raw.digit);
      return digit ? [channelEvent(env, channel, { type: 'DtmfReceived', digit, durationMs: null })] : [];
    }
    case 'PARK_PARKED':
      return [channelEvent(env, channel, { type: 'ChannelParked', slot: slot() })];
    case 'PARK_RETRIEVED':
      return [channelEvent(env, channel, { type: 'ChannelRetrieved', slot: slot() })];
    case 'PARK_ABANDONED':
      return [channelEvent(env, channel, { type: 'ChannelAbandoned', slot: slot() })];
    case 'CHANNEL_DESTROY':
      return [
        channelEvent(env, channel, {
          type: 'ChannelDestroyed',
          causeCode: q850FromCauseName(e.hangupCause),
          causeText: e.hangupCause,
        }),
      ];
    default:
      return [];
  }
}

function normalizeRecipient(backend: string, e: KazooRecipientEvent, receivedAt: Date): AgentEvent {
  const r = e.recipient;
  const ids: EventIds = {};
  if (r.recipientId) ids.recipientId = r.recipientId;
  if (r.accountId) ids.accountId = r.accountId;
  const queueId = str(r.raw.queue_id);
  if (queueId) ids.queueId = queueId;
  // Qubicle's session id is the caller's call id (simulator README; status offered_call).
  const callId = str(r.raw.session_id) ?? str(r.raw.call_id);
  if (callId) ids.callId = callId;
  return {
    backend,
    backendKind: 'kazoo',
    occurredAt: r.at,
    receivedAt,
    reconciled: false,
    ids,
    raw: e.raw,
    category: 'agent',
    type: 'AgentStateChanged',
    action: agentActionForEventName(r.name),
    backendName: r.name,
    availabilityState: r.availabilityState,
  };
}

function isObjectAction(action: string): action is ObjectAction {
  return (OBJECT_ACTIONS as readonly string[]).includes(action);
}

function normalizeObject(backend: string, e: KazooObjectEvent, action: ObjectAction, receivedAt: Date): ObjectEvent {
  return {
    backend,
    backendKind: 'kazoo',
    occurredAt: e.at,
    receivedAt,
    reconciled: false,
    ids: e.accountId ? { accountId: e.accountId } : {},
    raw: e.raw,
    category: 'object',
    type: 'ObjectChanged',
    action,
    docType: e.docType,
    docId: e.docId,
  };
}

/** `backend` names the events' backend (and their channel snapshots'), whatever the KazooEvent says. */
export function normalizeKazooEvent(backend: string, e: KazooEvent, ctx: KazooNormalizeContext): NormalizedEvent[] {
  const receivedAt = ctx.receivedAt ?? e.receivedAt;
  switch (e.type) {
    case 'call':
      return normalizeCall(backend, e, receivedAt, ctx);
    case 'recipient':
      return [normalizeRecipient(backend, e, receivedAt)];
    case 'object':
      // Only the three document events Blackhole defines; anything else is not an ObjectChanged.
      return isObjectAction(e.action) ? [normalizeObject(backend, e, e.action, receivedAt)] : [];
    default:
      return [];
  }
}
