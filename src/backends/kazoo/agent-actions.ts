/**
 * Qubicle recipient events → AgentAction, both from a live event's name and from a state
 * reached (reconcile). Names really sent (docs/wire/kazoo.md §5.5, simulator README): create (login),
 * delete (logout), ready, away, offer, delivered, reject, plus the simulator's own `wrapup`
 * and the monitoring outcomes Wiretap-Start / Wiretap-Failed (→ OTHER).
 */
import type { AgentAction } from '../../domain/events';
import type { AvailabilityState } from '../../domain/recipient';

const BY_EVENT_NAME: Readonly<Record<string, AgentAction>> = {
  create: 'LOGIN',
  login: 'LOGIN',
  delete: 'LOGOUT',
  logout: 'LOGOUT',
  ready: 'READY',
  away: 'AWAY',
  offer: 'OFFERED',
  delivered: 'DELIVERED',
  connected: 'DELIVERED',
  reject: 'REJECTED',
  timeout: 'REJECTED',
  wrapup: 'WRAPUP',
};

/** Case-insensitive; unknown names (Wiretap-Start, ...) → OTHER. */
export function agentActionForEventName(name: string): AgentAction {
  return BY_EVENT_NAME[name.trim().toLowerCase()] ?? 'OTHER';
}

const BY_STATE: Readonly<Record<AvailabilityState, AgentAction>> = {
  NOT_LOGGED_IN: 'LOGOUT',
  READY: 'READY',
  AWAY: 'AWAY',
  CALL_OFFER: 'OFFERED',
  ON_A_CALL: 'DELIVERED',
  WRAPUP_TIME: 'WRAPUP',
  UNKNOWN: 'OTHER',
};

export function agentActionForState(state: AvailabilityState): AgentAction {
  return BY_STATE[state];
}

/** The Qubicle event name that announces an action live; reconciled events reuse it. */
const EVENT_NAME_OF_ACTION: Readonly<Record<AgentAction, string>> = {
  LOGIN: 'create',
  LOGOUT: 'delete',
  READY: 'ready',
  AWAY: 'away',
  OFFERED: 'offer',
  DELIVERED: 'delivered',
  REJECTED: 'reject',
  WRAPUP: 'wrapup',
  OTHER: '',
};

export function eventNameForAction(action: AgentAction): string {
  return EVENT_NAME_OF_ACTION[action];
}
