/**
 * Client binding → internal subscription keys (docs/wire/kazoo.md §4.6, §5.5). A binding either
 * fails validation (an error string), names no module ('unavailable'), or yields the AMQP
 * binding keys the session is registered under (one reply entry per key).
 */
import { amqpEncode, encodedAccountDb } from '../wire';

export const CALL_EVENTS = [
  'CHANNEL_CREATE',
  'CHANNEL_ANSWER',
  'CHANNEL_DESTROY',
  'CHANNEL_HOLD',
  'CHANNEL_UNHOLD',
  'CHANNEL_BRIDGE',
  'PARK_PARKED',
  'PARK_RETRIEVED',
  'PARK_ABANDONED',
] as const;

export const OBJECT_ACTIONS = ['doc_created', 'doc_edited', 'doc_deleted'] as const;
export const OBJECT_TYPES = [
  'account',
  'callflow',
  'device',
  'faxbox',
  'media',
  'user',
  'vmbox',
  'fax',
  'mailbox_message',
  'call_recording',
] as const;
/** Types stored in the monthly database (MODB) rather than the account database. */
const MODB_TYPES = new Set(['fax', 'mailbox_message']);

export type BindingResult =
  { kind: 'ok'; keys: string[] } | { kind: 'invalid'; error: string } | { kind: 'unavailable' };

/** The binding catalogue `GET /v2/websockets` serves (system_config blackhole.bindings). */
export function bindingCatalogue(): Record<string, string[]> {
  const object: string[] = [];
  for (const action of OBJECT_ACTIONS) for (const type of OBJECT_TYPES) object.push(`object.${action}.${type}`);
  return {
    call: CALL_EVENTS.map((e) => `call.${e}.{CALL_ID}`),
    conference: ['conference.event.{CONFERENCE_ID}.{CALL_ID}', 'conference.command.{CONFERENCE_ID}'],
    fax: ['fax.status.{FAX_ID}', 'fax.object.{ACTION}'],
    object,
  };
}

function modbSuffix(now = new Date()): string {
  return `-${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function resolveBinding(binding: string, accountId: string): BindingResult {
  const segs = binding.split('.');
  const account = accountId === '*' ? '*' : accountId;
  switch (segs[0]) {
    case 'call':
      return callBinding(binding, segs, account);
    case 'object':
      return objectBinding(binding, segs, account);
    case 'conference':
      return conferenceBinding(binding, segs, account);
    case 'fax':
      return faxBinding(binding, segs, account);
    case 'qubicle':
      return qubicleBinding(binding, segs, account);
    default:
      return { kind: 'unavailable' };
  }
}

function callBinding(binding: string, segs: string[], account: string): BindingResult {
  if (segs.length !== 3 || segs[1] === '' || segs[2] === '') {
    return { kind: 'invalid', error: `invalid format for call subscription : ${segs.slice(1).join(', ')}` };
  }
  const [, event, callId] = segs;
  if (event !== '*' && !(CALL_EVENTS as readonly string[]).includes(event)) {
    return { kind: 'invalid', error: `event ${event} not supported` };
  }
  const encodedCall = callId === '*' ? '*' : amqpEncode(callId);
  const events = event === '*' ? [...CALL_EVENTS] : [event];
  return { kind: 'ok', keys: events.map((e) => `call.${account}.${e}.${encodedCall}`) };
}

function objectBinding(binding: string, segs: string[], account: string): BindingResult {
  if (segs.length !== 3 || segs[1] === '' || segs[2] === '') {
    return { kind: 'invalid', error: `invalid format for object subscription : ${segs.slice(1).join(', ')}` };
  }
  const [, action, type] = segs;
  if (action !== '*' && !(OBJECT_ACTIONS as readonly string[]).includes(action)) {
    return { kind: 'invalid', error: `event ${action}.* not supported` };
  }
  if (type !== '*' && !(OBJECT_TYPES as readonly string[]).includes(type)) {
    return { kind: 'invalid', error: `event ${action}.${type} not supported` };
  }
  const accountDb = account === '*' ? '*' : encodedAccountDb(account);
  const modb = account === '*' ? '*' : `${accountDb}${modbSuffix()}`;
  if (type === '*') return { kind: 'ok', keys: [`${action}.${accountDb}.*.*`, `${action}.${modb}.*.*`] };
  const db = MODB_TYPES.has(type) ? modb : accountDb;
  return { kind: 'ok', keys: [`${action}.${db}.${type}.*`] };
}

function conferenceBinding(binding: string, segs: string[], account: string): BindingResult {
  if (segs[1] === 'command' && segs.length === 3 && segs[2] !== '') {
    return { kind: 'ok', keys: [`conference.command.${segs[2]}`] };
  }
  if (segs[1] === 'event' && segs.length === 4) {
    if (segs[2] === '*' || segs[2] === '') return { kind: 'invalid', error: 'ConferenceId required' };
    return { kind: 'ok', keys: [`conference.event.*.${account}.${segs[2]}.${segs[3]}`] };
  }
  return { kind: 'invalid', error: `invalid format for conference subscription : ${segs.slice(1).join(', ')}` };
}

function faxBinding(binding: string, segs: string[], account: string): BindingResult {
  if (segs.length !== 3 || segs[2] === '') {
    return { kind: 'invalid', error: `invalid format for fax subscription : ${segs.slice(1).join(', ')}` };
  }
  if (segs[1] === 'status') return { kind: 'ok', keys: [`fax.status.${account}.${segs[2]}`] };
  if (segs[1] === 'object') {
    const modb = account === '*' ? '*' : `${encodedAccountDb(account)}${modbSuffix()}`;
    return { kind: 'ok', keys: [`${segs[2]}.${modb}.fax.*`] };
  }
  return { kind: 'invalid', error: `invalid format for fax subscription : ${segs.slice(1).join(', ')}` };
}

/** Qubicle (commercial bh_qubicle): `qubicle.{recipient|queue|session}` with an optional id or `*`. */
function qubicleBinding(binding: string, segs: string[], account: string): BindingResult {
  const kinds = ['recipient', 'queue', 'session'];
  if (segs.length < 2 || segs.length > 3 || !kinds.includes(segs[1]) || segs[2] === '') {
    return { kind: 'invalid', error: `invalid format for qubicle subscription : ${segs.slice(1).join(', ')}` };
  }
  const id = segs[2] ?? '*';
  return { kind: 'ok', keys: [`qubicle.${segs[1]}.${account}.${id}`] };
}
