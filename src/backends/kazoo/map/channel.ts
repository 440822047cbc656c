/** KAZOO channels (list, detail, call events) → domain Channel. */
import type { CallerId, Channel, ChannelState } from '../../../domain/channel';
import { gregorianToDate } from '../time';
import type { WireCallEvent, WireChannel } from '../wire';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/**
 * KAZOO reports no channel state, only `answered` and the FreeSWITCH leg direction. Rule:
 * answered → UP. Not answered: an "inbound" leg is a call arriving at the switch from a device
 * that the switch has not answered yet — Asterisk's RING ("line is ringing", incoming side);
 * an "outbound" leg is one the switch placed toward a device that is alerting — Asterisk's
 * RINGING ("remote end is ringing"). Unknown direction falls back to RING.
 */
export function channelState(
  answered: boolean | undefined,
  direction: string | undefined,
): { state: ChannelState; rawState: string } {
  if (answered === true) return { state: 'UP', rawState: 'answered' };
  return { state: direction === 'outbound' ? 'RINGING' : 'RING', rawState: 'unanswered' };
}

/** Channel variables as strings (KAZOO CCV values are mostly strings already, e.g. "true"). */
function stringVars(ccv: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ccv ?? {})) {
    if (v === undefined || v === null) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

function callerId(name: unknown, number: unknown): CallerId {
  return { name: str(name) ?? '', number: str(number) ?? '' };
}

/**
 * List items and detail use different names (uuid/call_id, direction/call_direction,
 * other_leg/other_leg_call_id, elapsed_s/elapsed_seconds); both are accepted.
 * `accountId` is the account the request was made for: list entries have account_id removed
 * by Crossbar, so custom_channel_vars.account_id (master) or the request's account is used.
 */
export function mapChannel(
  backend: string,
  w: WireChannel,
  accountId: string | undefined,
  now: Date = new Date(),
): Channel {
  const r = w as Record<string, unknown>;
  const nativeId = str(r.uuid) ?? str(r.call_id) ?? '';
  const direction = (str(r.direction) ?? str(r.call_direction)) as 'inbound' | 'outbound' | undefined;
  const answered = typeof r.answered === 'boolean' ? r.answered : undefined;
  const ccv = (r.custom_channel_vars ?? undefined) as Record<string, unknown> | undefined;
  const elapsed =
    typeof r.elapsed_s === 'number'
      ? r.elapsed_s
      : typeof r.elapsed_seconds === 'number'
        ? r.elapsed_seconds
        : undefined;
  const createdAt =
    typeof r.timestamp === 'number'
      ? gregorianToDate(r.timestamp)
      : elapsed !== undefined
        ? new Date(now.getTime() - elapsed * 1000)
        : now;
  const { state, rawState } = channelState(answered, direction);
  const callee = callerId(r.callee_id_name, r.callee_id_number);
  const presenceId = str(r.presence_id);
  const username = str(r.username);
  const destination = str(r.destination);
  return {
    backend,
    backendKind: 'kazoo',
    nativeId,
    name: presenceId ?? username ?? destination ?? nativeId,
    state,
    rawState,
    caller: callerId(r.caller_id_name, r.caller_id_number),
    connected: callee,
    accountCode: '',
    dialplan: null,
    createdAt,
    language: null,
    protocolId: null,
    variables: stringVars(ccv),
    kazoo: {
      accountId: str(ccv?.account_id) ?? accountId ?? '',
      direction,
      answered,
      ownerId: str(r.owner_id) ?? str(ccv?.owner_id),
      authorizingId: str(r.authorizing_id) ?? str(ccv?.authorizing_id),
      authorizingType: str(r.authorizing_type) ?? str(ccv?.authorizing_type),
      presenceId,
      destination,
      username,
      callee,
      otherLegCallId: str(r.other_leg) ?? str(r.other_leg_call_id),
      raw: { ...r },
    },
  };
}

/** A channel snapshot from a call event: the state follows the event, not `answered`. */
export function channelFromCallEvent(backend: string, e: WireCallEvent, accountId: string | undefined): Channel {
  const ccv = e.custom_channel_vars ?? {};
  const name = e.event_name ?? '';
  const callState = (e.channel_call_state ?? '').toUpperCase();
  const answered =
    name === 'CHANNEL_ANSWER' || name === 'CHANNEL_BRIDGE' || callState === 'ACTIVE' || callState === 'HELD';
  const base = mapChannel(
    backend,
    {
      call_id: e.call_id,
      call_direction: e.call_direction,
      answered,
      caller_id_name: e.caller_id_name,
      caller_id_number: e.caller_id_number,
      callee_id_name: e.callee_id_name,
      callee_id_number: e.callee_id_number,
      other_leg_call_id: e.other_leg_call_id,
      presence_id: e.presence_id ?? str(ccv.presence_id),
      username: str(ccv.username),
      owner_id: str(ccv.owner_id),
      authorizing_id: str(ccv.authorizing_id),
      authorizing_type: str(ccv.authorizing_type),
      custom_channel_vars: ccv,
    },
    accountId,
  );
  // channel_created_time is unix µs (FreeSWITCH); timestamp is the event's Gregorian second.
  const created =
    typeof e.channel_created_time === 'number' ? new Date(Math.floor(e.channel_created_time / 1000)) : undefined;
  const eventAt = typeof e.timestamp === 'number' ? gregorianToDate(e.timestamp) : undefined;
  const ended = name === 'CHANNEL_DESTROY' || callState === 'HANGUP';
  return {
    ...base,
    createdAt: created ?? (name === 'CHANNEL_CREATE' && eventAt ? eventAt : base.createdAt),
    state: ended ? 'DOWN' : base.state,
    rawState: ended ? 'hangup' : base.rawState,
    kazoo: { ...base.kazoo!, raw: { ...e } },
  };
}
