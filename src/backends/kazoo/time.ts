/** KAZOO time conventions (docs/wire/kazoo.md §6.2). */

/** Seconds between 0000-01-01 (Gregorian, as KAZOO counts) and 1970-01-01. */
export const UNIX_EPOCH_IN_GREGORIAN = 62_167_219_200;

export function gregorianToDate(seconds: number): Date {
  return new Date((seconds - UNIX_EPOCH_IN_GREGORIAN) * 1000);
}

export function dateToGregorian(d: Date): number {
  return Math.floor(d.getTime() / 1000) + UNIX_EPOCH_IN_GREGORIAN;
}

/**
 * For fields documented inconsistently (Qubicle `login_time` is "a unix timestamp" in the docs,
 * KAZOO elsewhere uses Gregorian seconds): a value past the Gregorian epoch offset cannot be a
 * plausible unix time (it would be year 3940), so the magnitude tells them apart.
 * 0/absent means "never" → null.
 */
export function kazooSecondsToDate(seconds: unknown): Date | null {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return null;
  return seconds >= UNIX_EPOCH_IN_GREGORIAN ? gregorianToDate(seconds) : new Date(seconds * 1000);
}
