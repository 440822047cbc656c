/** Journal cursors: the decimal string of a row's `seq` (a PostgreSQL bigint). */
import { badInput } from '../../domain/errors';

const MAX_SEQ = 9223372036854775807n;
const CANONICAL = /^(0|[1-9][0-9]*)$/;

/**
 * Checks a cursor a client handed back and returns it as a bigint. Only the canonical form is
 * accepted ("7", not "07" or "+7"), so one event never has two spellings of its cursor.
 */
export function parseCursor(cursor: unknown, argument = 'after'): bigint {
  if (typeof cursor !== 'string' || !CANONICAL.test(cursor)) {
    throw badInput(`Invalid cursor for "${argument}": expected a non-negative decimal integer string`, {
      argument,
    });
  }
  const value = BigInt(cursor);
  if (value > MAX_SEQ) {
    throw badInput(`Invalid cursor for "${argument}": out of range`, { argument });
  }
  return value;
}

/** Compares two valid cursors numerically: <0, 0, >0. */
export function compareCursors(a: string, b: string): number {
  const [x, y] = [BigInt(a), BigInt(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
