/** How long the journal keeps events, and the one statement that enforces it. */

export interface RetentionOptions {
  /** Delete events received more than this long ago. */
  maxAgeMs?: number;
  /** Keep at most this many (the newest). */
  maxEvents?: number;
}

/**
 * $1 = maxEvents (null: no count limit), $2 = age cutoff (null: no age limit).
 *
 * The bound is a seq: everything at or below it goes. By count it is the (maxEvents+1)th
 * newest row. By age it is just below the oldest row received at or after the cutoff (all
 * rows when none is), so a row received out of order by a few milliseconds never leaves a
 * hole behind it. The highest deleted seq is recorded for isExpired().
 */
export const PRUNE_SQL = `
WITH bound AS (
  SELECT GREATEST(
    (SELECT "seq" FROM "event_journal" WHERE $1::int IS NOT NULL
      ORDER BY "seq" DESC OFFSET COALESCE($1::int, 0) LIMIT 1),
    (SELECT CASE WHEN $2::timestamptz IS NULL THEN NULL ELSE COALESCE(
      (SELECT min("seq") - 1 FROM "event_journal" WHERE "received_at" >= $2::timestamptz),
      (SELECT max("seq") FROM "event_journal")) END)
  ) AS seq
),
deleted AS (
  DELETE FROM "event_journal" WHERE "seq" <= (SELECT seq FROM bound) RETURNING "seq"
),
marked AS (
  UPDATE "event_journal_pruned" SET "through_seq" = GREATEST("through_seq", (SELECT max("seq") FROM deleted))
   WHERE "id" = 1 AND EXISTS (SELECT 1 FROM deleted)
)
SELECT count(*)::text AS deleted FROM deleted`;

/** The parameters of PRUNE_SQL, or null when nothing is limited. */
export function pruneParams(retention: RetentionOptions, now: Date): [number | null, string | null] | null {
  const { maxAgeMs, maxEvents } = retention;
  if (maxEvents !== undefined && (!Number.isSafeInteger(maxEvents) || maxEvents < 0 || maxEvents > 2 ** 31 - 1)) {
    throw new Error(`journal retention maxEvents must be a non-negative integer, got ${maxEvents}`);
  }
  if (maxAgeMs !== undefined && (!Number.isFinite(maxAgeMs) || maxAgeMs < 0)) {
    throw new Error(`journal retention maxAgeMs must be a non-negative number, got ${maxAgeMs}`);
  }
  if (maxEvents === undefined && maxAgeMs === undefined) return null;
  const cutoff = maxAgeMs === undefined ? null : new Date(now.getTime() - maxAgeMs).toISOString();
  return [maxEvents ?? null, cutoff];
}
