/**
 * NormalizedEvent ↔ JSON, for the journal's payload column and the Redis bus.
 *
 * The Date fields the domain declares (occurredAt, receivedAt, channel.createdAt) travel as
 * ISO strings in place, so the payload stays readable from SQL. Any other Date found outside
 * the backend's `raw` data (a field added to the domain later) is tagged `{"$date": iso}` so it
 * still comes back as a Date; a plain object whose only key starts with `$` is wrapped as
 * `{"$object": {...}}` so it is never mistaken for a tag. `raw` is the backend's JSON as received: copied, never rewritten,
 * so a string that merely looks like a date stays a string.
 */
import type { Journaled, NormalizedEvent } from '../../domain/events';

/** A JSON value as stored. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type EncodedEvent = { [key: string]: JsonValue };

const DATE_TAG = '$date';
/** Wraps a plain object that would otherwise read as a tag (a lone `$`-key). */
const OBJECT_TAG = '$object';
/** Subtrees holding the backend's own JSON, kept verbatim. */
const RAW_KEYS = new Set(['raw']);

export function encodeEvent(event: NormalizedEvent): EncodedEvent {
  const encoded = encodeValue(event, 'event') as EncodedEvent;
  encoded.occurredAt = isoOf(event.occurredAt, 'occurredAt');
  encoded.receivedAt = isoOf(event.receivedAt, 'receivedAt');
  if (event.category === 'channel' && event.channel) {
    (encoded.channel as EncodedEvent).createdAt = isoOf(event.channel.createdAt, 'channel.createdAt');
  }
  return encoded;
}

export function decodeEvent(payload: unknown): NormalizedEvent {
  if (!isPlainObject(payload)) throw new Error('journal payload is not a JSON object');
  const decoded = decodeValue(payload) as Record<string, unknown>;
  decoded.occurredAt = dateOf(payload.occurredAt, 'occurredAt');
  decoded.receivedAt = dateOf(payload.receivedAt, 'receivedAt');
  const channel = payload.channel;
  if (decoded.category === 'channel' && isPlainObject(channel)) {
    (decoded.channel as Record<string, unknown>).createdAt = dateOf(channel.createdAt, 'channel.createdAt');
  }
  return decoded as unknown as NormalizedEvent;
}

/** The bus's wire form: the encoded event plus its cursor. */
export function encodeJournaled(event: Journaled): EncodedEvent {
  const { cursor, ...rest } = event;
  return { ...encodeEvent(rest as NormalizedEvent), cursor };
}

export function decodeJournaled(payload: unknown): Journaled {
  if (!isPlainObject(payload) || typeof payload.cursor !== 'string') {
    throw new Error('journaled event has no cursor');
  }
  const { cursor, ...rest } = payload;
  return { ...decodeEvent(rest), cursor };
}

function encodeValue(value: unknown, path: string): JsonValue {
  if (value instanceof Date) return { [DATE_TAG]: isoOf(value, path) };
  if (Array.isArray(value)) return value.map((item, i) => encodeValue(item, `${path}[${i}]`));
  if (isPlainObject(value)) {
    const out: EncodedEvent = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      out[key] = RAW_KEYS.has(key) ? copyJson(item) : encodeValue(item, `${path}.${key}`);
    }
    // A map with user-chosen keys (channel variables) could look like a tag: wrap it.
    return looksTagged(out) ? { [OBJECT_TAG]: out } : out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new Error(`cannot encode ${path}: ${value} is not representable in JSON`);
  }
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  throw new Error(`cannot encode ${path}: unsupported ${typeof value}`);
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (isPlainObject(value)) {
    if (looksTagged(value)) {
      if (typeof value[DATE_TAG] === 'string') return dateOf(value[DATE_TAG], DATE_TAG);
      if (isPlainObject(value[OBJECT_TAG])) return decodeFields(value[OBJECT_TAG]);
    }
    return decodeFields(value);
  }
  return value;
}

function decodeFields(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = RAW_KEYS.has(key) ? copyJson(item) : decodeValue(item);
  }
  return out;
}

function looksTagged(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0].startsWith('$');
}

/** Deep copy of backend JSON (JSON.parse output, so no Dates to care about). */
function copyJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

function isoOf(value: unknown, path: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new Error(`cannot encode ${path}: not a valid Date`);
  }
  return value.toISOString();
}

function dateOf(value: unknown, path: string): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new Error(`journal payload ${path} is not an ISO date`);
  return date;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
