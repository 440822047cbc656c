/**
 * The event journal: every normalised event is appended here, and so gets its cursor, before
 * anyone sees it. Readers page through it by cursor; a client that reconnects with
 * `after: <cursor>` reads exactly what it missed, whichever gateway instance wrote it.
 */
import type { Database } from '../../store/database';
import type { Journaled, NormalizedEvent } from '../../domain/events';
import { badInput } from '../../domain/errors';
import { componentLogger } from '../../log';
import { decodeEvent, encodeEvent } from './codec';
import { parseCursor } from './cursor';
import { filterConditions, type JournalFilter } from './filter';
import { PRUNE_SQL, pruneParams, type RetentionOptions } from './retention';

export type { JournalFilter } from './filter';
export type { RetentionOptions } from './retention';

/**
 * Who may append: only the current, unexpired holder of the backend's ingest lease
 * (events/lease.ts). Checked in the append's own transaction.
 */
export interface AppendFence {
  backend: string;
  owner: string;
}

/** The append was refused because the writer no longer holds the lease it named. */
export class FencedAppendError extends Error {
  constructor(readonly fence: AppendFence) {
    super(`ingest lease of "${fence.backend}" is no longer held by "${fence.owner}"; append refused`);
    this.name = 'FencedAppendError';
  }
}

export interface EventJournalOptions {
  retention: RetentionOptions;
}

export interface ReadOptions {
  filter?: JournalFilter;
  /** At most this many events (a non-negative integer). */
  limit: number;
  /** Inclusive upper bound: only events with cursor <= upTo. */
  upTo?: string;
}

/**
 * Key of the advisory lock every append takes. Arbitrary, but fixed forever: every instance
 * sharing a database must use the same one ("pbjournal" in ASCII, trimmed to fit an int4).
 */
export const JOURNAL_APPEND_LOCK_KEY = 0x70626a6f;

const APPEND_SQL = 'SELECT "seq"::text AS seq FROM journal_append($1, $2, $3, $4::jsonb)';

const log = componentLogger('events.journal');

export class EventJournal {
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning: Promise<unknown> | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: EventJournalOptions,
  ) {
    // Bad retention settings fail at construction, not at the first prune an hour later.
    pruneParams(options.retention, new Date());
  }

  /**
   * Appends events in one transaction and returns them with their cursors, in input order.
   *
   * Cursor order equals commit order, across processes: `seq` comes from a sequence, and
   * sequence values are handed out at INSERT time, not at commit. Without the lock, appender A
   * could take seq 10, appender B seq 11, B commit first, and a reader polling
   * `read(after: 9)` would see 11, move its cursor to 11 and never see 10 once A commits. The
   * transaction-scoped advisory lock, taken before the INSERT, makes appenders take sequence
   * values and commit one after the other; it is released only after the commit is visible.
   *
   * With a fence, the append happens only if the fence's owner holds the backend's lease at
   * that moment; otherwise nothing is written and FencedAppendError is thrown.
   *
   * All of it is one statement, the `journal_append` SQL function (its migration says how):
   * one round trip instead of an interactive transaction's five. On the embedded store every
   * round trip runs on the gateway's own thread, so this is what keeps ingest from holding up
   * requests (docs/operations-performance.md).
   */
  async append(events: readonly NormalizedEvent[], fence?: AppendFence): Promise<Journaled[]> {
    if (events.length === 0) return [];
    const rows = await this.db.query<{ seq: string }>(APPEND_SQL, [
      JOURNAL_APPEND_LOCK_KEY,
      fence?.backend ?? null,
      fence?.owner ?? null,
      JSON.stringify(events.map(rowOf)),
    ]);
    if (rows.length !== events.length) {
      if (fence && rows.length === 0) throw new FencedAppendError(fence);
      throw new Error(`journal_append returned ${rows.length} cursors for ${events.length} events`);
    }
    // The function inserts in array order, and one INSERT takes nextval() row by row in that
    // order; sorting does not rely on RETURNING's row order.
    const seqs = rows.map((r) => BigInt(r.seq)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return events.map((event, i) => ({ ...event, cursor: seqs[i].toString() }));
  }

  /** Events with cursor > after (all when null), ordered by cursor. */
  async read(after: string | null, options: ReadOptions): Promise<Journaled[]> {
    const afterSeq = after === null ? null : parseCursor(after, 'after');
    const upTo = options.upTo === undefined ? undefined : parseCursor(options.upTo, 'upTo');
    if (!Number.isSafeInteger(options.limit) || options.limit < 0) {
      throw badInput('Invalid limit: expected a non-negative integer', { argument: 'limit' });
    }
    if (options.limit === 0) return [];

    const params: unknown[] = [];
    const conditions: string[] = [];
    if (afterSeq !== null) {
      params.push(afterSeq.toString());
      conditions.push(`"seq" > $${params.length}::bigint`);
    }
    if (upTo !== undefined) {
      params.push(upTo.toString());
      conditions.push(`"seq" <= $${params.length}::bigint`);
    }
    filterConditions(options.filter, conditions, params);
    params.push(options.limit);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = await this.db.query<{ cursor: string; payload: unknown }>(
      `SELECT "seq"::text AS cursor, "payload" FROM "event_journal" ${where} ORDER BY "seq" LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({ ...decodeEvent(row.payload), cursor: row.cursor }));
  }

  /** Cursor of the newest event, null when the journal is empty. */
  async latestCursor(): Promise<string | null> {
    const [row] = await this.db.query<{ seq: string | null }>(`SELECT max("seq")::text AS seq FROM "event_journal"`);
    return row?.seq ?? null;
  }

  /** Cursor of the oldest retained event, null when the journal is empty. */
  async oldestCursor(): Promise<string | null> {
    const [row] = await this.db.query<{ seq: string | null }>(`SELECT min("seq")::text AS seq FROM "event_journal"`);
    return row?.seq ?? null;
  }

  /**
   * True when pruning has deleted an event that came after `cursor`, so reading after it can
   * no longer return everything the client missed. Precisely: cursor < the highest seq ever
   * pruned. A cursor equal to that seq (the seq just before the oldest retained row, when the
   * sequence has no gap there) is not expired: nothing after it is gone.
   *
   * Check it after reading, not before: if the cursor is still not expired after a read, that
   * read was complete, even when a prune ran concurrently.
   */
  async isExpired(cursor: string): Promise<boolean> {
    const seq = parseCursor(cursor, 'after');
    const [row] = await this.db.query<{ through: string }>(
      `SELECT "through_seq"::text AS through FROM "event_journal_pruned" WHERE "id" = 1`,
    );
    return row !== undefined && seq < BigInt(row.through);
  }

  /**
   * Deletes events past the retention (older than maxAgeMs before `now`, beyond the newest
   * maxEvents) and returns how many. Always deletes a prefix of the journal, so no retained
   * event is ever preceded by a gap that a reader could not tell from "nothing happened".
   */
  async prune(now: Date = new Date()): Promise<number> {
    const params = pruneParams(this.options.retention, now);
    if (!params) return 0;
    const [row] = await this.db.query<{ deleted: string }>(PRUNE_SQL, params);
    const deleted = Number(row?.deleted ?? 0);
    if (deleted > 0) log.info({ deleted }, 'journal pruned');
    return deleted;
  }

  /** Prunes every intervalMs until stop(). Failures are logged and retried next time. */
  startPruning(intervalMs: number): void {
    if (this.pruneTimer) return;
    this.pruneTimer = setInterval(() => {
      if (this.pruning) return;
      this.pruning = this.prune()
        .catch((err: unknown) => log.warn({ error: String(err) }, 'journal pruning failed'))
        .finally(() => {
          this.pruning = undefined;
        });
    }, intervalMs);
    this.pruneTimer.unref();
  }

  /** Stops pruning and waits for a prune in flight. Does not close the database. */
  async stop(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
    await this.pruning;
  }
}

/** One row of the journal, named like its columns (what `journal_append` reads). */
function rowOf(event: NormalizedEvent): Record<string, unknown> {
  const payload = encodeEvent(event);
  const ids = event.ids;
  return {
    backend: event.backend,
    backend_kind: event.backendKind,
    category: event.category,
    type: event.type,
    occurred_at: payload.occurredAt,
    received_at: payload.receivedAt,
    reconciled: event.reconciled,
    channel_id: ids.channelId ?? null,
    account_id: ids.accountId ?? null,
    user_id: ids.userId ?? null,
    device_id: ids.deviceId ?? null,
    recipient_id: ids.recipientId ?? null,
    queue_id: ids.queueId ?? null,
    payload,
  };
}
