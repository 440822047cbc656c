/** Argument checks done before any KAZOO call (DESIGN: invalid argument → BAD_USER_INPUT). */
import { badInput } from '../../domain/errors';

const HEX32 = /^[0-9a-f]{32}$/;

/** Account, user, device, callflow and queue ids are 32 lowercase hex. */
export function requireHexId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !HEX32.test(value)) {
    throw badInput(`${what} must be 32 lowercase hex characters`, {
      field: what,
      value: typeof value === 'string' ? value : String(value),
    });
  }
  return value;
}

/** Call-ids are opaque (SIP Call-IDs included): only emptiness and absurd lengths are refused. */
export function requireCallId(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) {
    throw badInput('call id must be a non-empty string', { field: 'callId' });
  }
  return value;
}

export function requireNonEmpty(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw badInput(`${what} must be a non-empty string`, { field: what });
  return value;
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw badInput(`${what} must be one of ${allowed.join(', ')}`, { field: what, value: String(value) });
  }
  return value as T;
}
