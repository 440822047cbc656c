/**
 * Qubicle agents after a reconnect: what the recipients list says now is compared with what
 * ingest knew, and the missed transitions are synthesised as AgentStateChanged events
 * (`reconciled: true`), named as the live Qubicle events would have been (agent-actions.ts).
 */
import type { AgentAction, AgentEvent, EventIds } from '../../domain/events';
import { reconciledEnvelope } from '../../domain/event-envelope';
import type { AvailabilityState } from '../../domain/recipient';
import { parseRecipientKey, type RecipientKey } from '../../domain/recipient-key';
import { agentActionForState, eventNameForAction } from './agent-actions';

/** What a live stream would have said between two states (see reconcileRecipients). */
function actionsBetween(before: AvailabilityState, after: AvailabilityState): AgentAction[] {
  if (before !== 'NOT_LOGGED_IN') return [agentActionForState(after)];
  return after === 'AWAY' ? ['LOGIN'] : ['LOGIN', agentActionForState(after)];
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
    for (const action of actionsBetween(before, after)) {
      out.push({
        ...reconciledEnvelope(backend, 'kazoo', { ...ids }, now),
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
