/**
 * After a reconnect, what the backend lists is compared with what we knew, and the transitions
 * we missed are synthesised as events (`reconciled: true`, `raw: {}`, occurredAt = receivedAt =
 * `now`). The same transition rules as live events apply (normalize/common.ts), so a consumer
 * sees the same event types whether it was live or reconciled.
 */
import type { BackendKind, Channel } from '../domain/channel';
import type { AgentEvent, ChannelEvent, EventIds } from '../domain/events';
import type { AvailabilityState } from '../domain/recipient';
import { agentActionForState, eventNameForAction } from './normalize/agent-actions';
import { channelEvent, channelIds, stateTransition, type EventEnvelope } from './normalize/common';

const byNumericId = new Intl.Collator('en', { numeric: true }).compare;

/** Creation time, then id with digit runs compared as numbers ("1.2" before "1.10"). */
export function compareChannels(a: Channel, b: Channel): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || byNumericId(a.nativeId, b.nativeId);
}

function envelope(backend: string, kind: BackendKind, ids: EventIds, now: Date): EventEnvelope {
  return { backend, backendKind: kind, occurredAt: now, receivedAt: now, reconciled: true, ids, raw: {} };
}

/**
 * Channels in `actual` but not `known` → ChannelCreated (also when already UP: no
 * ChannelAnswered, as for a live ChannelCreated); in both with another state →
 * ChannelStateChanged (+ ChannelAnswered when it became UP); in `known` only → ChannelDestroyed
 * with the last known snapshot and causeCode/causeText null. Created/changed come in
 * `compareChannels` order of the actual channels, then the destroyed ones in the same order.
 */
export function reconcileChannels(backend: string, kind: BackendKind, known: Channel[], actual: Channel[], now: Date): ChannelEvent[] {
  const knownById = new Map(known.map((c) => [c.nativeId, c]));
  const actualIds = new Set(actual.map((c) => c.nativeId));
  const out: ChannelEvent[] = [];
  for (const c of [...actual].sort(compareChannels)) {
    const env = envelope(backend, kind, channelIds(c), now);
    const before = knownById.get(c.nativeId);
    if (!before) out.push(channelEvent(env, c, { type: 'ChannelCreated' }));
    else out.push(...stateTransition(env, c, before.state));
  }
  for (const c of known.filter((k) => !actualIds.has(k.nativeId)).sort(compareChannels)) {
    out.push(channelEvent(envelope(backend, kind, channelIds(c), now), c, { type: 'ChannelDestroyed', causeCode: null, causeText: null }));
  }
  return out;
}

/** `${accountId}/${recipientId}`: a recipient is a user, and user ids are unique per account. */
export type RecipientKey = string;

export function recipientKey(accountId: string, recipientId: string): RecipientKey {
  return `${accountId}/${recipientId}`;
}

export function parseRecipientKey(key: RecipientKey): { accountId: string; recipientId: string } {
  const at = key.indexOf('/');
  return at < 0 ? { accountId: '', recipientId: key } : { accountId: key.slice(0, at), recipientId: key.slice(at + 1) };
}

/**
 * One AgentStateChanged per recipient whose state differs; a key missing from a map counts as
 * NOT_LOGGED_IN (the batch status answers null/"not_logged_in" for those). Action from the new
 * state (agentActionForState). From NOT_LOGGED_IN to a logged-in state, LOGIN comes first
 * (carrying the new state), then the new state's own action — except for AWAY, where Qubicle
 * logins land anyway, so LOGIN alone says it (as a live `create` with state away does).
 * backendName is the Qubicle event name that would have announced the action live (create,
 * delete, ready, away, offer, delivered, wrapup; "" for OTHER). Ordered by key.
 */
export function reconcileRecipients(
  backend: string,
  known: ReadonlyMap<RecipientKey, AvailabilityState>,
  actual: ReadonlyMap<RecipientKey, AvailabilityState>,
  now: Date,
): AgentEvent[] {
  const keys = [...new Set([...known.keys(), ...actual.keys()])].sort();
  const out: AgentEvent[] = [];
  for (const key of keys) {
    const before = known.get(key) ?? 'NOT_LOGGED_IN';
    const after = actual.get(key) ?? 'NOT_LOGGED_IN';
    if (before === after) continue;
    const { accountId, recipientId } = parseRecipientKey(key);
    const ids: EventIds = { recipientId };
    if (accountId) ids.accountId = accountId;
    const actions = before === 'NOT_LOGGED_IN' ? (after === 'AWAY' ? ['LOGIN' as const] : (['LOGIN', agentActionForState(after)] as const)) : [agentActionForState(after)];
    for (const action of actions) {
      out.push({
        ...envelope(backend, 'kazoo', { ...ids }, now),
        category: 'agent',
        type: 'AgentStateChanged',
        action,
        backendName: eventNameForAction(action),
        availabilityState: after,
      });
    }
  }
  return out;
}
