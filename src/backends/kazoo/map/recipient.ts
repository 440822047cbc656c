/** Qubicle recipients: user docs, status objects, batch answers → domain; batch set-status both ways. */
import type {
  AvailabilityState,
  QueueAvailability,
  Recipient,
  RecipientCall,
  RecipientConfig,
  RecipientStatus,
  SetRecipientStatusItem,
  SetRecipientStatusResult,
  WiretapMode,
} from '../../../domain/recipient';
import { kazooSecondsToDate } from '../time';
import {
  NOT_LOGGED_IN,
  type WireBatchStatus,
  type WireRecipientCall,
  type WireRecipientStatus,
  type WireSetStatusBatch,
  type WireSetStatusResults,
  type WireUserDoc,
} from '../wire';

const STATES: Record<string, AvailabilityState> = {
  READY: 'READY',
  AWAY: 'AWAY',
  WRAPUP_TIME: 'WRAPUP_TIME',
  WRAPUP: 'WRAPUP_TIME',
  CALL_OFFER: 'CALL_OFFER',
  ON_A_CALL: 'ON_A_CALL',
  NOT_LOGGED_IN: 'NOT_LOGGED_IN',
  LOGGED_OUT: 'NOT_LOGGED_IN',
};

/** "Wrapup-Time", "wrapup_time", "On-A-Call" ... → WRAPUP_TIME, ON_A_CALL; unknown → UNKNOWN. */
export function mapAvailabilityState(raw: unknown): AvailabilityState {
  if (typeof raw !== 'string') return 'UNKNOWN';
  const key = raw
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_');
  return STATES[key] ?? 'UNKNOWN';
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}
function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function mapCall(c: WireRecipientCall | null | undefined): RecipientCall | null {
  if (!c || typeof c !== 'object' || Object.keys(c).length === 0) return null;
  return {
    queueId: str(c.queue_id),
    sessionId: str(c.session_id),
    callerIdName: str(c.caller_id_name),
    callerIdNumber: str(c.caller_id_number),
    queueEnterTime: kazooSecondsToDate(c.queue_enter_time),
  };
}

function mapQueueAvailability(q: WireRecipientStatus['queue_availability']): QueueAvailability[] {
  if (Array.isArray(q)) {
    return q
      .filter((e) => typeof e?.queue_id === 'string')
      .map((e) => ({ queueId: e.queue_id!, available: e.available === true }));
  }
  if (q && typeof q === 'object')
    return Object.entries(q).map(([queueId, available]) => ({ queueId, available: available === true }));
  return [];
}

const WIRETAP_MODES: readonly WiretapMode[] = ['eavesdrop', 'whisper', 'barge'];

/**
 * null when the recipient is not logged in — whether KAZOO says so with the bare string
 * "not_logged_in" (batch) or with availability_state "Not-Logged-In".
 */
export function mapRecipientStatus(w: WireRecipientStatus | string | null | undefined): RecipientStatus | null {
  if (w === null || w === undefined || typeof w === 'string' || typeof w !== 'object') return null;
  const availabilityState = mapAvailabilityState(w.availability_state);
  if (availabilityState === 'NOT_LOGGED_IN') return null;
  const s = w.stats ?? {};
  const mode = typeof w.wiretap_mode === 'string' ? (w.wiretap_mode.toLowerCase() as WiretapMode) : null;
  return {
    available: w.available === true,
    availabilityState,
    rawAvailabilityState: typeof w.availability_state === 'string' ? w.availability_state : '',
    queueAvailability: mapQueueAvailability(w.queue_availability),
    offeredCall: mapCall(w.offered_call),
    handlingCall: mapCall(w.handling_call),
    wiretappingRecipientId: str(w.wiretapping_recipient),
    wiretapMode: mode && WIRETAP_MODES.includes(mode) ? mode : null,
    wrapupTimeSeconds: num(w.wrapup_time_seconds),
    stats: {
      totalCalls: num(s.total_calls),
      offeredCalls: typeof s.offered_calls === 'number' ? s.offered_calls : null,
      missedCalls: num(s.missed_calls),
      avgCallTimeSeconds: num(s.avg_call_time),
      loginTime: kazooSecondsToDate(s.login_time),
      lastActionTime: kazooSecondsToDate(s.last_action_time),
      lastHandledTime: kazooSecondsToDate(s.last_handled_time),
    },
    node: str(w.node),
  };
}

/**
 * Batch answer → statuses aligned with `userIds`. The documented shape is an object keyed by
 * recipient id; an array of status objects carrying `recipient_id` is accepted too (the
 * shape is unverified, docs/wire/kazoo.md §5.2). An id KAZOO left out counts as not logged in.
 */
export function mapBatchStatuses(
  userIds: readonly string[],
  data: WireBatchStatus | WireRecipientStatus[] | null | undefined,
): (RecipientStatus | null)[] {
  const byId = new Map<string, WireRecipientStatus | string>();
  if (Array.isArray(data)) {
    for (const s of data) if (s && typeof s.recipient_id === 'string') byId.set(s.recipient_id, s);
  } else if (data && typeof data === 'object') {
    for (const [id, s] of Object.entries(data)) byId.set(id, s);
  }
  return userIds.map((id) => {
    const s = byId.get(id);
    return s === undefined || s === NOT_LOGGED_IN ? null : mapRecipientStatus(s);
  });
}

export function mapRecipientConfig(doc: WireUserDoc): RecipientConfig {
  const q = doc.qubicle && typeof doc.qubicle === 'object' ? doc.qubicle : {};
  const { pin, ...rawWithoutPin } = q;
  const offering = q.recipient && typeof q.recipient.offering === 'boolean' ? q.recipient.offering : null;
  return {
    firstName: str(doc.first_name),
    lastName: str(doc.last_name),
    username: str(doc.username),
    email: str(doc.email),
    presenceId: str(q.presence_id) ?? str(doc.presence_id),
    enabled: q.enabled === true,
    offering,
    hasPin: typeof pin === 'string' && pin.length > 0,
    raw: rawWithoutPin,
  };
}

/** Display name: the listing's name, else first + last name from the user doc, else username. */
export function recipientName(listName: string | undefined, doc: WireUserDoc | undefined): string {
  if (listName) return listName;
  if (doc) {
    const full = [doc.first_name, doc.last_name].filter((p) => typeof p === 'string' && p.length > 0).join(' ');
    if (full) return full;
    if (doc.username) return doc.username;
  }
  return '';
}

export function mapRecipient(
  backend: string,
  accountId: string,
  id: string,
  name: string,
  doc: WireUserDoc | undefined,
  status: RecipientStatus | null,
): Recipient {
  return { backend, accountId, nativeId: id, name, config: doc ? mapRecipientConfig(doc) : null, status };
}

/** Domain items → `{set_status: true, <rid>: {global | <queue id>: status}}`. */
export function buildSetStatusBatch(items: readonly SetRecipientStatusItem[]): WireSetStatusBatch {
  const batch: Record<string, true | Record<string, 'ready' | 'away'>> = { set_status: true };
  for (const it of items) {
    const entry = (batch[it.userId] as Record<string, 'ready' | 'away'> | undefined) ?? {};
    entry[it.queueId ?? 'global'] = it.status;
    batch[it.userId] = entry;
  }
  return batch as WireSetStatusBatch;
}

/** One result per item, in the items' order; "ok" is success, anything else is KAZOO's error word. */
export function mapSetStatusResults(
  items: readonly SetRecipientStatusItem[],
  data: WireSetStatusResults | null | undefined,
): SetRecipientStatusResult[] {
  return items.map((it) => {
    const key = it.queueId ?? 'global';
    const perRecipient = data ? (data as Record<string, unknown>)[it.userId] : undefined;
    let outcome: string | undefined;
    if (typeof perRecipient === 'string') outcome = perRecipient;
    else if (perRecipient && typeof perRecipient === 'object') {
      const v = (perRecipient as Record<string, unknown>)[key];
      if (typeof v === 'string') outcome = v;
    }
    const ok = outcome === 'ok';
    return {
      userId: it.userId,
      queueId: it.queueId ?? null,
      status: it.status,
      ok,
      error: ok ? null : (outcome ?? 'no result from KAZOO for this item'),
    };
  });
}
