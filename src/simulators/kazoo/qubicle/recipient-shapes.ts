/**
 * Qubicle wire shapes: the recipient status object (seed "Get recipient status") and the
 * normalised recipient/queue event payloads Blackhole delivers (docs/wire/kazoo.md §5.4, §5.5).
 */
import type { AvailabilityState } from '../seed';
import { APP_VERSION, gregorianFromMs, newId } from '../wire';

export const QUBICLE_NODE = 'qubicle@apps1.sip.example.com';

export interface CallInfo {
  queueId: string;
  sessionId: string;
  callerIdName: string;
  callerIdNumber: string;
  queueEnterMs: number;
}

export interface RecipientStats {
  totalCalls: number;
  offeredCalls: number;
  missedCalls: number;
  totalTalkMs: number;
  loginMs?: number;
  lastActionMs?: number;
  lastHandledMs?: number;
}

export interface RecipientView {
  id: string;
  accountId: string;
  username: string;
  loggedIn: boolean;
  state: AvailabilityState;
  queueAvailability: Map<string, boolean>;
  offered?: CallInfo;
  handling?: CallInfo;
  wiretap?: { target: string; mode: string };
  wrapupEndsMs?: number;
  stats: RecipientStats;
  pid: string;
}

export type TimestampFormat = 'unix' | 'gregorian';

export function makeTime(format: TimestampFormat): (ms: number | undefined) => number {
  return (ms) => (ms === undefined ? 0 : format === 'unix' ? Math.floor(ms / 1000) : gregorianFromMs(ms));
}

function callInfo(c: CallInfo, time: (ms: number) => number): Record<string, unknown> {
  return {
    queue_id: c.queueId,
    session_id: c.sessionId,
    caller_id_name: c.callerIdName,
    caller_id_number: c.callerIdNumber,
    queue_enter_time: time(c.queueEnterMs),
  };
}

export function statsObject(s: RecipientStats, time: (ms: number | undefined) => number): Record<string, number> {
  return {
    total_calls: s.totalCalls,
    offered_calls: s.offeredCalls,
    missed_calls: s.missedCalls,
    avg_call_time: s.totalCalls > 0 ? Math.round(s.totalTalkMs / 1000 / s.totalCalls) : 0,
    login_time: time(s.loginMs),
    last_action_time: time(s.lastActionMs),
    last_handled_time: time(s.lastHandledMs),
  };
}

export function statusObject(r: RecipientView, format: TimestampFormat, nowMs = Date.now()): Record<string, unknown> {
  const time = makeTime(format);
  const out: Record<string, unknown> = {
    available: r.loggedIn && r.state === 'Ready',
    availability_state: r.loggedIn ? r.state : 'Not-Logged-In',
  };
  if (r.queueAvailability.size > 0) out.queue_availability = Object.fromEntries(r.queueAvailability);
  if (r.offered) out.offered_call = callInfo(r.offered, time);
  if (r.handling) out.handling_call = callInfo(r.handling, time);
  if (r.wiretap) {
    out.wiretapping_recipient = r.wiretap.target;
    out.wiretap_mode = r.wiretap.mode;
  }
  out.wrapup_time_seconds =
    r.wrapupEndsMs && r.state === 'Wrapup-Time' ? Math.max(0, Math.ceil((r.wrapupEndsMs - nowMs) / 1000)) : 0;
  out.stats = r.loggedIn
    ? statsObject(r.stats, time)
    : statsObject({ totalCalls: 0, offeredCalls: 0, missedCalls: 0, totalTalkMs: 0 }, time);
  out.node = QUBICLE_NODE;
  return out;
}

/** Lower-case `state` value carried by recipient events. */
export function eventState(state: AvailabilityState): string {
  return state.toLowerCase().replace(/-/g, '_');
}

export function recipientEventPayload(
  r: RecipientView,
  eventName: string,
  format: TimestampFormat,
  extra: Record<string, unknown> = {},
  nowMs = Date.now(),
): Record<string, unknown> {
  const time = makeTime(format);
  const base: Record<string, unknown> = {
    account_id: r.accountId,
    app_name: 'qubicle',
    app_version: APP_VERSION,
    event_category: 'qubicle-recipient',
    event_name: eventName,
    event_timestamp: gregorianFromMs(nowMs),
    msg_id: newId(),
    recipient_id: r.id,
  };
  if (eventName === 'delete') return { ...base, ...extra, stats: statsObject(r.stats, time) };
  return {
    ...base,
    pid: r.pid,
    state: eventState(r.state),
    username: r.username,
    ...extra,
    stats: statsObject(r.stats, time),
  };
}

export function queueEventPayload(
  accountId: string,
  eventName: 'join' | 'leave',
  c: CallInfo,
  format: TimestampFormat,
  extra: Record<string, unknown> = {},
  nowMs = Date.now(),
): Record<string, unknown> {
  const time = makeTime(format);
  return {
    account_id: accountId,
    app_name: 'qubicle',
    app_version: APP_VERSION,
    event_category: 'qubicle-queue',
    event_name: eventName,
    event_timestamp: gregorianFromMs(nowMs),
    msg_id: newId(),
    ...callInfo(c, time),
    ...extra,
  };
}

export function callInfoPayload(c: CallInfo, format: TimestampFormat): Record<string, unknown> {
  return callInfo(c, makeTime(format));
}
