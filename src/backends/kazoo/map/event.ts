/** Blackhole event frames → KazooEvent. */
import type { RecipientEvent } from '../../../domain/recipient';
import type { KazooEvent } from '../operations';
import { gregorianToDate, kazooSecondsToDate } from '../time';
import type { BlackholeEventMessage, WireCallEvent, WireObjectEvent, WireRecipientEvent } from '../wire';
import { channelFromCallEvent } from './channel';
import { mapAvailabilityState } from './recipient';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Routing keys are `call.{account}.{event}.{call id}`; segment values are AMQP-encoded. */
function routingSegment(routingKey: string, index: number): string | undefined {
  const seg = routingKey.split('.')[index];
  if (!seg) return undefined;
  try {
    return decodeURIComponent(seg.replace(/\+/g, ' '));
  } catch {
    return seg;
  }
}

function kindOf(msg: BlackholeEventMessage): 'call' | 'object' | 'recipient' | 'other' {
  const sub = msg.subscribed_key ?? '';
  const category = str(msg.data?.event_category);
  if (sub.startsWith('call.') || category === 'call_event') return 'call';
  if (sub.startsWith('object.') || category === 'configuration') return 'object';
  if (sub.startsWith('qubicle.recipient') || category === 'qubicle-recipient') return 'recipient';
  return 'other';
}

/**
 * `defaultAccountId` is the account the subscription was made for; events name their own
 * account where they can (custom_channel_vars.account_id, account_id, routing key).
 */
export function mapBlackholeEvent(
  backend: string,
  defaultAccountId: string,
  msg: BlackholeEventMessage,
  receivedAt: Date = new Date(),
): KazooEvent {
  const raw = (msg.data ?? {}) as Record<string, unknown>;
  const base = {
    backend,
    name: msg.name ?? str(raw.event_name) ?? '',
    routingKey: msg.routing_key ?? '',
    subscribedKey: msg.subscribed_key ?? '',
    receivedAt,
    raw,
  };
  switch (kindOf(msg)) {
    case 'call': {
      const e = raw as WireCallEvent;
      const accountId =
        str(e.custom_channel_vars?.account_id) ?? routingSegment(base.routingKey, 1) ?? defaultAccountId;
      const callId = str(e.call_id) ?? routingSegment(base.routingKey, 3) ?? '';
      const channel = channelFromCallEvent(
        backend,
        { ...e, call_id: callId, event_name: e.event_name ?? base.name },
        accountId,
      );
      return {
        ...base,
        type: 'call',
        accountId,
        callId,
        at: typeof e.timestamp === 'number' ? gregorianToDate(e.timestamp) : receivedAt,
        channel,
        hangupCause: str(e.hangup_cause) ?? null,
      };
    }
    case 'object': {
      const e = raw as WireObjectEvent;
      return {
        ...base,
        type: 'object',
        accountId: str(e.account_id) ?? defaultAccountId,
        action: str(e.event_name) ?? base.name,
        docType: str(e.type) ?? null,
        docId: str(e.id) ?? null,
        at: receivedAt,
      };
    }
    case 'recipient': {
      const e = raw as WireRecipientEvent;
      const accountId = str(e.account_id) ?? routingSegment(base.routingKey, 2) ?? defaultAccountId;
      const recipientId = str(e.recipient_id) ?? routingSegment(base.routingKey, 3) ?? '';
      const at = kazooSecondsToDate(e.event_timestamp) ?? receivedAt;
      const recipient: RecipientEvent = {
        backend,
        accountId,
        recipientId,
        name: base.name,
        availabilityState:
          base.name === 'delete' ? 'NOT_LOGGED_IN' : e.state !== undefined ? mapAvailabilityState(e.state) : null,
        at,
        raw,
      };
      return { ...base, type: 'recipient', recipient, at };
    }
    default:
      return { ...base, type: 'other', at: receivedAt };
  }
}
