-- One statement per journal append (src/events/journal/journal.ts). The lock, the lease fence
-- and the INSERT ran as five round trips of an interactive transaction (BEGIN, lock, fence,
-- INSERT, COMMIT); in a function they run in the caller's single statement, so in its one
-- transaction, with the same guarantees:
--   * the transaction-scoped advisory lock is taken before any sequence value, so appenders
--     take seq values and commit one after the other (cursor order = commit order);
--   * with a fence, the lease row is read FOR SHARE (a takeover waits for this commit) and
--     nothing is written when the fence's owner does not hold an unexpired lease: the function
--     then returns no rows, which the caller reports as FencedAppendError.
-- `events` is a JSON array of rows named like the columns; seqs come back in array order.
CREATE FUNCTION "journal_append"(lock_key BIGINT, fence_backend TEXT, fence_owner TEXT, events JSONB)
RETURNS TABLE ("seq" BIGINT)
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    IF fence_backend IS NOT NULL THEN
        PERFORM 1 FROM "ingest_lease" AS l
         WHERE l."backend" = fence_backend AND l."owner" = fence_owner AND l."expires_at" > now()
           FOR SHARE;
        IF NOT FOUND THEN
            RETURN;
        END IF;
    END IF;
    RETURN QUERY
    INSERT INTO "event_journal" AS j ("backend", "backend_kind", "category", "type", "occurred_at",
        "received_at", "reconciled", "channel_id", "account_id", "user_id", "device_id",
        "recipient_id", "queue_id", "payload")
    SELECT e."backend", e."backend_kind", e."category", e."type", e."occurred_at",
        e."received_at", e."reconciled", e."channel_id", e."account_id", e."user_id", e."device_id",
        e."recipient_id", e."queue_id", e."payload"
      FROM jsonb_array_elements(events) WITH ORDINALITY AS a(row, n)
     CROSS JOIN LATERAL jsonb_to_record(a.row) AS e("backend" TEXT, "backend_kind" TEXT,
        "category" TEXT, "type" TEXT, "occurred_at" TIMESTAMPTZ, "received_at" TIMESTAMPTZ,
        "reconciled" BOOLEAN, "channel_id" TEXT, "account_id" TEXT, "user_id" TEXT,
        "device_id" TEXT, "recipient_id" TEXT, "queue_id" TEXT, "payload" JSONB)
     ORDER BY a.n
    RETURNING j."seq";
END;
$$;
