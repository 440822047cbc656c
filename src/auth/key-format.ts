/**
 * The API key string: `pbk_<id>_<secret>`. The id is public (it names the key in lists, logs
 * and the audit trail); the secret is 32 random bytes in base64url and is only ever shown once.
 */
import { createHash, randomBytes } from 'node:crypto';

export const KEY_PREFIX = 'pbk_';
/** Generated ids: 10 characters of lowercase RFC 4648 base32 (50 random bits). */
export const KEY_ID_LENGTH = 10;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/**
 * Ids a key may carry: generated ones, plus fixed ones such as `bootstrap` and `demo`. No `_`,
 * so the first `_` after the id ends it whatever the secret contains (base64url has `_`).
 */
export const KEY_ID_PATTERN = /^[a-z0-9]{3,40}$/;
/** Secrets we accept at all; generated ones are 43 characters. */
export const MIN_SECRET_LENGTH = 32;
const MAX_SECRET_LENGTH = 512;

export interface ParsedKey {
  id: string;
  secret: string;
}

export function generateKeyId(): string {
  // 256 is a multiple of 32, so masking a random byte is unbiased.
  return [...randomBytes(KEY_ID_LENGTH)].map((b) => BASE32[b & 31]).join('');
}

export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatKey(id: string, secret: string): string {
  return `${KEY_PREFIX}${id}_${secret}`;
}

/** Splits a presented key; null when it is not in our format (never throws). */
export function parseKey(key: string): ParsedKey | null {
  if (typeof key !== 'string' || !key.startsWith(KEY_PREFIX)) return null;
  const rest = key.slice(KEY_PREFIX.length);
  const sep = rest.indexOf('_');
  if (sep < 0) return null;
  const id = rest.slice(0, sep);
  const secret = rest.slice(sep + 1);
  if (!KEY_ID_PATTERN.test(id)) return null;
  if (secret.length < MIN_SECRET_LENGTH || secret.length > MAX_SECRET_LENGTH || /\s/.test(secret)) return null;
  return { id, secret };
}

/** Cache key for a presented key string: the secret itself never sits in memory maps. */
export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The id of the key PATCHBAY_ADMIN_KEY provides when its value is a bare secret. */
export const BOOTSTRAP_KEY_ID = 'bootstrap';
/** The id of the local demo admin key (ensureDemoKey). */
export const DEMO_KEY_ID = 'demo';

/**
 * What a presented credential names: a key in our format, or else a bare secret of at least
 * MIN_SECRET_LENGTH characters, which is the bootstrap key's (so the value of
 * PATCHBAY_ADMIN_KEY works as a bearer exactly as set). Null: not a credential at all.
 */
export function resolvePresentedKey(value: string): ParsedKey | null {
  if (typeof value !== 'string') return null;
  const parsed = parseKey(value);
  if (parsed) return parsed;
  if (value.startsWith(KEY_PREFIX)) return null;
  if (value.length < MIN_SECRET_LENGTH || value.length > MAX_SECRET_LENGTH || /\s/.test(value)) return null;
  return { id: BOOTSTRAP_KEY_ID, secret: value };
}
