/**
 * Event bodies in the key order Asterisk emits them (see the capture): most events are
 * `type, timestamp, <fields>, asterisk_id, application`; ChannelVarset and ChannelHangupRequest put
 * their blob fields first; DeviceStateChanged puts `application` second.
 */
import type { SimChannel } from './channel';
import { astTimestamp } from '../util/time';

export type EventBody = Record<string, unknown> & { type: string };

export function channelEvent(type: string, ch: SimChannel, fields: Record<string, unknown> = {}): EventBody {
  return { type, timestamp: astTimestamp(), ...fields, channel: ch.toJSON() };
}

export function varsetEvent(ch: SimChannel | null, variable: string, value: string): EventBody {
  const ev: EventBody = { variable, value, type: 'ChannelVarset', timestamp: astTimestamp() };
  if (ch) ev.channel = ch.toJSON();
  return ev;
}

export function hangupRequestEvent(ch: SimChannel, cause: number, soft: boolean, techCause = 0): EventBody {
  const blob: Record<string, unknown> = { cause };
  if (soft) blob.soft = true;
  if (techCause) blob.tech_cause = techCause;
  return { ...blob, type: 'ChannelHangupRequest', timestamp: astTimestamp(), channel: ch.toJSON() } as EventBody;
}

export function destroyedEvent(ch: SimChannel, cause: number, causeTxt: string, techCause: number): EventBody {
  const fields: Record<string, unknown> = { cause, cause_txt: causeTxt };
  if (techCause) fields.tech_cause = techCause;
  return channelEvent('ChannelDestroyed', ch, fields);
}

export function dialEvent(peer: SimChannel, dialstatus: string, dialstring: string): EventBody {
  return {
    type: 'Dial',
    timestamp: astTimestamp(),
    dialstatus,
    forward: '',
    dialstring,
    peer: peer.toJSON(),
  };
}

export function deviceStateEvent(name: string, state: string, eid: string): EventBody {
  return {
    type: 'DeviceStateChanged',
    application: '',
    timestamp: astTimestamp(),
    device_state: { name, state },
    asterisk_id: eid,
  };
}

export function plainEvent(type: string, fields: Record<string, unknown> = {}): EventBody {
  return { type, timestamp: astTimestamp(), ...fields };
}

/** Adds the delivery fields; `application` is overwritten in place when the body already has it. */
export function serializeFor(ev: EventBody, app: string, eid: string): string {
  const out: Record<string, unknown> = { ...ev };
  if (!('asterisk_id' in out)) out.asterisk_id = eid;
  out.application = app;
  return JSON.stringify(out);
}
