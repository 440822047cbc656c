/**
 * Small encodings KAZOO uses on the wire (docs/wire/kazoo.md §6): 32-hex ids, Gregorian seconds,
 * the base64url node name, AMQP routing-key escaping, and key normalisation.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Seconds between 0000-01-01 and 1970-01-01 (?UNIX_EPOCH_IN_GREGORIAN). */
export const UNIX_EPOCH_IN_GREGORIAN = 62167219200;

export const KAZOO_VERSION = '4.3.142';
export const APP_VERSION = '4.3.0';

export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** Stable 32-hex id for seed data, so the demo world has the same ids on every start. */
export function stableId(...parts: string[]): string {
  return md5Hex(parts.join(':'));
}

export function md5Hex(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

export function sha1Hex(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

export function base64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export function gregorianNow(nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000) + UNIX_EPOCH_IN_GREGORIAN;
}

export function gregorianFromMs(ms: number): number {
  return Math.floor(ms / 1000) + UNIX_EPOCH_IN_GREGORIAN;
}

/** Crossbar envelope timestamp: ISO-8601 UTC, whole seconds, `Z`. */
export function isoSeconds(nowMs: number = Date.now()): string {
  return new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `kz_base64url:encode(md5(node()))`: 22 chars, no padding. */
export function encodeNode(nodeName: string): string {
  return base64url(createHash('md5').update(nodeName).digest());
}

/** kz_amqp_util:encode/1 for one routing-key segment. */
export function amqpEncode(segment: string): string {
  let out = '';
  for (const ch of segment) {
    if (/[A-Za-z0-9\-~_]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else
      out += Buffer.from(ch, 'utf8').reduce((acc, b) => acc + '%' + b.toString(16).toUpperCase().padStart(2, '0'), '');
  }
  return out;
}

/** `account%2Fab%2Fcd%2F<rest>`: the encoded account database name used in object bindings. */
export function encodedAccountDb(accountId: string): string {
  return `account%2F${accountId.slice(0, 2)}%2F${accountId.slice(2, 4)}%2F${accountId.slice(4)}`;
}

export function accountDbName(accountId: string): string {
  return `account/${accountId.slice(0, 2)}/${accountId.slice(2, 4)}/${accountId.slice(4)}`;
}

export function isAccountId(s: string): boolean {
  return /^[0-9a-f]{32}$/.test(s);
}

/** CouchDB-style revision `<n>-<32 hex>`. */
export function nextRev(prev?: string): string {
  const n = prev ? Number.parseInt(prev.split('-')[0], 10) + 1 : 1;
  return `${n}-${newId()}`;
}

/** Microseconds since the unix epoch as FreeSWITCH reports them. */
export function microsNow(nowMs: number = Date.now()): number {
  return nowMs * 1000 + Math.floor(Math.random() * 1000);
}
