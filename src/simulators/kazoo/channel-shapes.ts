/**
 * The three shapes one channel takes on the wire (docs/wire/kazoo.md §3.4, §3.5, §4.7): the
 * cb_channels list object (4.3), the detail object, and the normalised call-event payload.
 * Undefined values are dropped, as kz_json does.
 */
import type { Leg } from './calls';
import { APP_VERSION, gregorianFromMs } from './wire';

const SWITCH_HOST = 'fs1.sip.example.com';

function compact(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

function elapsedSeconds(leg: Leg, nowMs: number): number {
  return Math.max(0, Math.floor((nowMs - leg.createdMs) / 1000));
}

/** Billing keys exist only on legs jonny5 authorised: the carrier (PSTN) legs. */
function billing(leg: Leg): { account_billing?: string; reseller_billing?: string } {
  return leg.resourceId ? { account_billing: 'flat_rate', reseller_billing: 'flat_rate' } : {};
}

function authorizing(leg: Leg): { authorizing_id?: string; authorizing_type?: string } {
  if (leg.deviceId) return { authorizing_id: leg.deviceId, authorizing_type: 'device' };
  if (leg.resourceId) return { authorizing_id: leg.resourceId, authorizing_type: 'resource' };
  return {};
}

/** `GET …/channels` element ([4.3] ecallmgr_fs_channel:to_props/1 minus cb_channels delete_keys). */
export function channelListItem(leg: Leg, resellerId: string | undefined, nowMs = Date.now()): Record<string, unknown> {
  return compact({
    ...billing(leg),
    answered: leg.answered,
    ...authorizing(leg),
    callee_id_name: leg.calleeIdName,
    callee_id_number: leg.calleeIdNumber,
    caller_id_name: leg.callerIdName,
    caller_id_number: leg.callerIdNumber,
    callflow_id: leg.callflowId,
    channel_authorized: true,
    destination: leg.destination,
    direction: leg.direction,
    elapsed_s: elapsedSeconds(leg, nowMs),
    from_tag: leg.fromTag,
    interaction_id: leg.interactionId,
    is_loopback: false,
    is_onhold: leg.isOnHold,
    other_leg: leg.otherLeg,
    owner_id: leg.ownerId,
    presence_id: leg.presenceId,
    reseller_id: leg.resourceId ? resellerId : undefined,
    resource_id: leg.resourceId,
    timestamp: gregorianFromMs(leg.createdMs),
    to_tag: leg.toTag,
    username: leg.username,
    uuid: leg.callId,
  });
}

export function customChannelVars(leg: Leg, accountName?: string): Record<string, string> {
  const ccv: Record<string, string | undefined> = {
    account_id: leg.accountId,
    account_name: accountName,
    authorizing_id: authorizing(leg).authorizing_id,
    authorizing_type: authorizing(leg).authorizing_type,
    bridge_id: leg.bridgeId,
    call_interaction_id: leg.interactionId,
    channel_authorized: 'true',
    ecallmgr_node: 'ecallmgr@apps1.sip.example.com',
    global_resource: leg.resourceId ? 'true' : undefined,
    owner_id: leg.ownerId,
    realm: leg.realm,
    resource_id: leg.resourceId,
    username: leg.username,
  };
  return compact(ccv) as Record<string, string>;
}

/** `GET …/channels/{UUID}` data (to_api_props/1, normalised, same delete_keys). */
export function channelDetail(
  leg: Leg,
  resellerId: string | undefined,
  accountName?: string,
  nowMs = Date.now(),
): Record<string, unknown> {
  return compact({
    ...billing(leg),
    answered: leg.answered,
    ...authorizing(leg),
    call_direction: leg.direction,
    call_id: leg.callId,
    call_interaction_id: leg.interactionId,
    callee_id_name: leg.calleeIdName,
    callee_id_number: leg.calleeIdNumber,
    caller_id_name: leg.callerIdName,
    caller_id_number: leg.callerIdNumber,
    callflow_id: leg.callflowId,
    channel_authorized: true,
    custom_application_vars: {},
    custom_channel_vars: customChannelVars(leg, accountName),
    destination: leg.destination,
    elapsed_seconds: elapsedSeconds(leg, nowMs),
    from_tag: leg.fromTag,
    is_loopback: false,
    is_on_hold: leg.isOnHold,
    other_leg_call_id: leg.otherLeg,
    owner_id: leg.ownerId,
    presence_id: leg.presenceId,
    reseller_billing: billing(leg).reseller_billing,
    reseller_id: leg.resourceId ? resellerId : undefined,
    resource_id: leg.resourceId,
    timestamp: gregorianFromMs(leg.createdMs),
    to_tag: leg.toTag,
    username: leg.username,
  });
}

/** Normalised ecallmgr call event as Blackhole pushes it (§4.7). */
export function callEventPayload(
  leg: Leg,
  event: string,
  accountName?: string,
  nowMs = Date.now(),
): Record<string, unknown> {
  const uri = (user: string) => `sip:${user}@${leg.realm}`;
  const requestUser = leg.destination;
  const fromUser = leg.callerIdNumber;
  const withRequest = event === 'CHANNEL_CREATE' || event === 'CHANNEL_ANSWER' || event === 'CHANNEL_DESTROY';
  const destroy = event === 'CHANNEL_DESTROY';
  const durationS = leg.endedMs ? Math.floor((leg.endedMs - leg.createdMs) / 1000) : 0;
  const billingS = leg.endedMs && leg.answeredMs ? Math.floor((leg.endedMs - leg.answeredMs) / 1000) : 0;
  return compact({
    app_name: 'ecallmgr',
    app_version: APP_VERSION,
    call_direction: leg.direction,
    call_id: leg.callId,
    callee_id_name: leg.calleeIdName,
    callee_id_number: leg.calleeIdNumber,
    caller_id_name: leg.callerIdName,
    caller_id_number: leg.callerIdNumber,
    channel_call_state: leg.callState,
    channel_created_time: leg.createdMs * 1000,
    channel_is_loopback: false,
    channel_moving: false,
    channel_name: `sofia/sipinterface_1/${leg.username ?? requestUser}@${leg.realm}`,
    channel_state: leg.channelState,
    custom_application_vars: {},
    custom_channel_vars: customChannelVars(leg, accountName),
    disposition: destroy ? (leg.answeredMs ? 'ANSWER' : 'NO ANSWER') : undefined,
    event_category: 'call_event',
    event_name: event,
    from_tag: leg.fromTag,
    hangup_cause: destroy ? leg.hangupCause : undefined,
    hangup_code: destroy ? leg.hangupCode : undefined,
    media_server: SWITCH_HOST,
    msg_id: String(nowMs * 1000 + Math.floor(Math.random() * 1000)),
    other_leg_call_id: leg.otherLeg,
    other_leg_direction: leg.otherLeg ? (leg.direction === 'inbound' ? 'outbound' : 'inbound') : undefined,
    presence_id: leg.presenceId,
    switch_hostname: SWITCH_HOST,
    switch_nodename: `freeswitch@${SWITCH_HOST}`,
    switch_uri: `sip:${SWITCH_HOST}:5060`,
    switch_url: `sip:mod_sofia@${SWITCH_HOST}:5060`,
    timestamp: gregorianFromMs(nowMs),
    to_tag: leg.toTag,
    request: withRequest ? `${requestUser}@${leg.realm}` : undefined,
    to: withRequest ? `${requestUser}@${leg.realm}` : undefined,
    to_uri: withRequest ? uri(requestUser) : undefined,
    from: withRequest ? `${fromUser}@${leg.realm}` : undefined,
    from_uri: withRequest ? uri(fromUser) : undefined,
    duration_seconds: destroy ? durationS : undefined,
    billing_seconds: destroy ? billingS : undefined,
    ringing_seconds: destroy ? Math.max(0, durationS - billingS) : undefined,
    user_agent: destroy ? (leg.deviceId ? 'Zoiper rv2.10.20' : 'Carrier SBC') : undefined,
  });
}
