/**
 * The audit log: who did what through the API, with what result. `record` is fire-and-forget
 * (a request never fails or waits because auditing did): entries are buffered and written in
 * batches, in the order recorded, each batch one plain SQL statement (Prisma's createMany
 * compiled its query on the gateway's thread for every batch: docs/operations-performance.md).
 * `query` pages through them by `seq` cursor, oldest first.
 */
import type { Prisma, AuditLog as AuditLogRow } from '../generated/prisma/client';
import type { Database } from '../store/database';
import { badInput } from '../domain/errors';
import { parseCursor } from '../events/journal/cursor';
import { componentLogger } from '../log';
import type { Principal } from './principal';
import { redactArguments, type JsonValue } from './redact';

export { redactArguments, isSecretKey, REDACTED, type JsonValue } from './redact';

export interface AuditEntry {
  /** Default: when record() is called. */
  at?: Date;
  principalId: string;
  principalName: string;
  role: string;
  /** The GraphQL field name, e.g. `hangupChannel`. */
  operation: string;
  /** Global id acted on. */
  target?: string | null;
  backend?: string | null;
  accountId?: string | null;
  /** The field's arguments as received; secrets are removed here (redactArguments). */
  arguments?: unknown;
  /** 'OK' or the GraphQL error code. */
  resultCode: string;
  /** HTTP status the backend answered with, when a backend was called. */
  backendStatus?: number | null;
  durationMs: number;
}

export interface AuditRecord {
  /** The cursor: `seq` as a decimal string. */
  seq: string;
  at: Date;
  principalId: string;
  principalName: string;
  role: string;
  operation: string;
  target: string | null;
  backend: string | null;
  accountId: string | null;
  arguments: JsonValue;
  resultCode: string;
  backendStatus: number | null;
  durationMs: number;
}

/** All fields AND-ed. */
export interface AuditFilter {
  principalId?: string;
  operation?: string;
  backend?: string;
  /**
   * Scoping (a SUPERVISOR sees its accounts and backends): given `accountIds` and/or
   * `backends`, only entries whose account_id is in accountIds OR whose backend is in
   * backends match. A missing list counts as empty.
   */
  accountIds?: readonly string[];
  backends?: readonly string[];
  /** Inclusive. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
}

export interface AuditQuery {
  /** Cursor of the last entry already seen (exclusive). */
  after?: string;
  /** 1 to MAX_AUDIT_PAGE. */
  first: number;
  filter?: AuditFilter;
}

export interface AuditPage {
  entries: AuditRecord[];
  hasNextPage: boolean;
}

export interface AuditLogOptions {
  /** Entries per INSERT. Default 100. */
  batchSize?: number;
  /**
   * How long an entry may wait for its batch to fill. Default 1 ms: what a crash can lose is
   * what waits here plus the batch being written, and a batch is one plain statement, so waiting
   * longer saves little.
   * Under load batches still form: entries recorded while a batch is written go in the next.
   */
  flushDelayMs?: number;
  /** Entries held while the database is slow; newer ones are dropped (and counted) beyond. Default 10,000. */
  maxBuffered?: number;
}

export interface AuditStats {
  written: number;
  dropped: number;
}

export const MAX_AUDIT_PAGE = 1000;
const MAX_INT4 = 2_147_483_647;
const log = componentLogger('auth.audit');

/** The filter part that limits a principal to its scope; empty for an all-scope principal. */
export function auditScopeFilter(principal: Pick<Principal, 'scope'>): Pick<AuditFilter, 'accountIds' | 'backends'> {
  if (principal.scope.all) return {};
  return { accountIds: [...principal.scope.accountIds], backends: [...principal.scope.backends] };
}

export class AuditLog {
  private buffer: AuditRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** A write is queued that has not taken its batch yet. */
  private queued = false;
  private closed = false;
  private readonly counts: AuditStats = { written: 0, dropped: 0 };
  private readonly batchSize: number;
  private readonly flushDelayMs: number;
  private readonly maxBuffered: number;

  constructor(
    private readonly db: Pick<Database, 'prisma' | 'query'>,
    options: AuditLogOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.flushDelayMs = options.flushDelayMs ?? 1;
    this.maxBuffered = options.maxBuffered ?? 10_000;
  }

  /** Queues one entry. Never throws and never waits; failures are logged and counted. */
  record(entry: AuditEntry): void {
    try {
      if (this.closed || this.buffer.length >= this.maxBuffered) {
        this.counts.dropped++;
        log.warn({ operation: entry?.operation, closed: this.closed }, 'audit entry dropped');
        return;
      }
      this.buffer.push(toRow(entry));
      if (this.buffer.length >= this.batchSize) this.startWrite();
      else this.timer ??= setTimeout(() => this.startWrite(), this.flushDelayMs).unref();
    } catch (err) {
      this.counts.dropped++;
      log.error({ error: (err as Error).message }, 'audit entry could not be recorded');
    }
  }

  /** Resolves when everything recorded so far is written (or given up on). */
  async flush(): Promise<void> {
    while (this.buffer.length > 0 || this.timer || this.queued) {
      this.startWrite();
      await this.writing;
    }
  }

  /** Flushes, then drops whatever is recorded afterwards. Call before closing the database. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  stats(): AuditStats {
    return { ...this.counts };
  }

  async query({ after, first, filter = {} }: AuditQuery): Promise<AuditPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE) {
      throw badInput(`first must be an integer from 1 to ${MAX_AUDIT_PAGE}`, { argumentName: 'first' });
    }
    for (const [k, v] of Object.entries(filter)) {
      const texts = Array.isArray(v) ? v : [v];
      if (texts.some((t) => typeof t === 'string' && t.includes('\u0000')))
        throw badInput(`filter.${k} must not contain NUL characters`, { argumentName: `filter.${k}` });
    }
    const where: Prisma.AuditLogWhereInput = {};
    if (after !== undefined) where.seq = { gt: parseCursor(after, 'after') };
    if (filter.principalId !== undefined) where.principalId = filter.principalId;
    if (filter.operation !== undefined) where.operation = filter.operation;
    if (filter.backend !== undefined) where.backend = filter.backend;
    if (filter.since !== undefined || filter.until !== undefined) where.at = { gte: filter.since, lt: filter.until };
    if (filter.accountIds !== undefined || filter.backends !== undefined) {
      where.OR = [
        { accountId: { in: [...(filter.accountIds ?? [])] } },
        { backend: { in: [...(filter.backends ?? [])] } },
      ];
    }
    const rows = await this.db.prisma.auditLog.findMany({ where, orderBy: { seq: 'asc' }, take: first + 1 });
    return { entries: rows.slice(0, first).map(fromRow), hasNextPage: rows.length > first };
  }

  /**
   * Queues one write; the batch is taken when its turn comes, so entries recorded while the
   * previous batch was being written go together (one INSERT at a time keeps seq in record order).
   */
  private startWrite(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0 || this.queued) return;
    this.queued = true;
    this.writing = this.writing.then(async () => {
      this.queued = false;
      const batch = this.buffer.splice(0, this.batchSize);
      try {
        await this.insert(batch);
        this.counts.written += batch.length;
      } catch (err) {
        // One bad entry must not take its batch with it: write them one by one.
        log.warn(
          { entries: batch.length, error: (err as Error).message },
          'audit batch failed; writing entries one by one',
        );
        for (const row of batch) {
          try {
            await this.insert([row]);
            this.counts.written++;
          } catch (one) {
            this.counts.dropped++;
            log.error({ operation: row.operation, error: (one as Error).message }, 'audit entry could not be written');
          }
        }
      }
      // What was recorded meanwhile has waited long enough: it goes next.
      if (this.buffer.length > 0) this.startWrite();
    });
  }

  private async insert(rows: AuditRow[]): Promise<void> {
    await this.db.query(INSERT_SQL, [JSON.stringify(rows)]);
  }
}

/** One entry as a row of `audit_log`, named like its columns (what INSERT_SQL reads). */
interface AuditRow {
  at: Date;
  principal_id: string;
  principal_name: string;
  role: string;
  operation: string;
  target: string | null;
  backend: string | null;
  account_id: string | null;
  arguments: JsonValue;
  result_code: string;
  backend_status: number | null;
  duration_ms: number;
}

/** A JSON array of AuditRow in, rows inserted in array order (so `seq` follows record order). */
const INSERT_SQL = `
INSERT INTO "audit_log" ("at", "principal_id", "principal_name", "role", "operation", "target", "backend",
  "account_id", "arguments", "result_code", "backend_status", "duration_ms")
SELECT r."at", r."principal_id", r."principal_name", r."role", r."operation", r."target", r."backend",
  r."account_id", COALESCE(r."arguments", 'null'::jsonb), r."result_code", r."backend_status", r."duration_ms"
  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS a("row", "n")
 CROSS JOIN LATERAL jsonb_to_record(a."row") AS r("at" TIMESTAMPTZ, "principal_id" TEXT, "principal_name" TEXT,
  "role" TEXT, "operation" TEXT, "target" TEXT, "backend" TEXT, "account_id" TEXT, "arguments" JSONB,
  "result_code" TEXT, "backend_status" INTEGER, "duration_ms" INTEGER)
 ORDER BY a."n"`;

function toRow(entry: AuditEntry): AuditRow {
  const args = redactArguments(entry.arguments ?? {});
  return {
    at: entry.at ?? new Date(),
    principal_id: requireText(entry.principalId, 'principalId'),
    principal_name: requireText(entry.principalName, 'principalName'),
    role: requireText(entry.role, 'role'),
    operation: requireText(entry.operation, 'operation'),
    target: storableText(entry.target),
    backend: storableText(entry.backend),
    account_id: storableText(entry.accountId),
    arguments: args === null ? null : storableJson(args),
    result_code: requireText(entry.resultCode, 'resultCode'),
    backend_status: entry.backendStatus == null ? null : clampInt(entry.backendStatus),
    duration_ms: clampInt(entry.durationMs),
  };
}

/** Index-friendly: PostgreSQL text refuses NUL, and btree keys must stay small. */
const MAX_INDEXED_TEXT = 512;

function storableText(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  return storableString(value).slice(0, MAX_INDEXED_TEXT);
}

/** Arguments as jsonb takes them: every key and string made storable (storableString). */
function storableJson(value: JsonValue): JsonValue {
  if (typeof value === 'string') return storableString(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableString(k), storableJson(v)]));
  return value;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** PostgreSQL's text and json refuse NUL and lone UTF-16 surrogates (those become U+FFFD). */
function storableString(value: string): string {
  return value.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new Error(`audit entry ${field} must be a string`);
  return value;
}

function clampInt(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.max(-MAX_INT4, Math.min(MAX_INT4, Math.round(value)));
}

function fromRow(row: AuditLogRow): AuditRecord {
  return {
    seq: row.seq.toString(),
    at: row.at,
    principalId: row.principalId,
    principalName: row.principalName,
    role: row.role,
    operation: row.operation,
    target: row.target,
    backend: row.backend,
    accountId: row.accountId,
    arguments: row.arguments as JsonValue,
    resultCode: row.resultCode,
    backendStatus: row.backendStatus,
    durationMs: row.durationMs,
  };
}
