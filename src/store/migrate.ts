/**
 * Applies prisma/migrations at start-up, because Prisma's own schema engine (native) cannot
 * be installed offline. Records history in `_prisma_migrations` exactly as Prisma does, so
 * `prisma migrate deploy` / `migrate status` can take over the same database later.
 *
 * Differences from Prisma, on purpose: each migration runs in one transaction (a failure
 * leaves the schema untouched and is recorded as rolled back, so the next start retries it),
 * and an edited migration stops start-up instead of being ignored.
 */
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { componentLogger, type Logger } from '../log';
import { MigrationError } from './errors';
import { defaultMigrationsDir, readMigrations, scriptMatchesChecksum, type MigrationFile } from './migration-files';

/** Prisma's own lock key: runs of this runner and of `prisma migrate` exclude each other. */
export const MIGRATION_LOCK_KEY = 72707369;

// Same DDL as Prisma's schema engine for PostgreSQL.
const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateOptions {
  /** Defaults to the checked-in prisma/migrations. */
  migrationsDir?: string;
  /** How long to wait for another process's migration run. Default 60 s. */
  lockTimeoutMs?: number;
  logger?: Logger;
}

export interface MigrationReport {
  /** Applied by this run, in order. */
  applied: string[];
  /** Found already applied (checksum verified). */
  alreadyApplied: string[];
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
}

/** Minimal pool shape: pg.Pool, or anything handing out dedicated pg clients. */
export type ConnectionSource = Pick<Pool, 'connect'>;

export async function runMigrations(source: ConnectionSource, options: MigrateOptions = {}): Promise<MigrationReport> {
  const log = options.logger ?? componentLogger('store.migrate');
  const migrations = readMigrations(options.migrationsDir ?? defaultMigrationsDir());
  // Lock, history and each migration must share one session: advisory locks are per session.
  const client = await source.connect();
  try {
    await acquireLock(client, options.lockTimeoutMs ?? 60_000);
    try {
      await client.query(CREATE_HISTORY_TABLE);
      const history = await readHistory(client);
      const pending = planMigrations(migrations, history, log);
      const report: MigrationReport = {
        applied: [],
        alreadyApplied: migrations.filter((m) => !pending.includes(m)).map((m) => m.name),
      };
      for (const migration of pending) {
        await applyMigration(client, migration, log);
        report.applied.push(migration.name);
      }
      log.info({ applied: report.applied, alreadyApplied: report.alreadyApplied.length }, 'migrations up to date');
      return report;
    } finally {
      // A failure here must not hide the run's own error; a dropped session frees the lock anyway.
      await client
        .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
        .catch((err: unknown) => log.warn({ error: String(err) }, 'could not release the migration lock'));
    }
  } finally {
    client.release();
  }
}

async function acquireLock(client: PoolClient, timeoutMs: number): Promise<void> {
  // lock_timeout bounds the wait; reset right after because the session outlives this run
  // (pooled connection, or PGlite's single shared session).
  await client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${Math.max(1, Math.round(timeoutMs))}ms`]);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  } catch (err) {
    if (pgCode(err) === '55P03') {
      throw new MigrationError(
        'LOCK_TIMEOUT',
        `Timed out after ${timeoutMs} ms waiting for the migration lock (pg_advisory_lock(${MIGRATION_LOCK_KEY})): ` +
          'another gateway or `prisma migrate` is migrating this database',
        undefined,
        { cause: err },
      );
    }
    throw err;
  } finally {
    await client.query(`SELECT set_config('lock_timeout', '0', false)`);
  }
}

async function readHistory(client: PoolClient): Promise<HistoryRow[]> {
  const result = await client.query<HistoryRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at, started_at
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return result.rows;
}

/** Checks the recorded history against the folder and returns what still needs applying. */
function planMigrations(migrations: MigrationFile[], history: HistoryRow[], log: Logger): MigrationFile[] {
  const live = history.filter((row) => row.rolled_back_at === null);

  const unresolved = live.find((row) => row.finished_at === null);
  if (unresolved) {
    throw new MigrationError(
      'UNRESOLVED_FAILED_MIGRATION',
      `Migration ${unresolved.migration_name} started at ${unresolved.started_at.toISOString()} and never finished ` +
        '(it failed under `prisma migrate`, or that run was interrupted). Check the database by hand, then run ' +
        `\`prisma migrate resolve --rolled-back ${unresolved.migration_name}\` (or --applied) before starting again.`,
      unresolved.migration_name,
    );
  }

  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of live) {
    const file = byName.get(row.migration_name);
    if (!file) {
      // A newer gateway version migrated this database (e.g. mid rolling deploy): not ours to undo.
      log.warn({ migration: row.migration_name }, 'database has a migration this version does not know');
      continue;
    }
    if (!scriptMatchesChecksum(file.sql, row.checksum)) {
      throw new MigrationError(
        'CHECKSUM_MISMATCH',
        `Migration ${row.migration_name} was modified after it was applied: recorded checksum ${row.checksum}, ` +
          `migration.sql now has ${file.checksum}. Restore the original file and put the change in a new migration.`,
        row.migration_name,
      );
    }
  }

  const applied = new Set(live.map((row) => row.migration_name));
  return migrations.filter((m) => !applied.has(m.name));
}

async function applyMigration(client: PoolClient, migration: MigrationFile, log: Logger): Promise<void> {
  const id = randomUUID();
  log.info({ migration: migration.name }, 'applying migration');
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    // No parameters: pg sends a simple query, which may hold many statements.
    await client.query(migration.sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    const logs = describeSqlError(err);
    await recordRolledBack(client, migration, logs, log);
    log.error({ migration: migration.name, error: logs }, 'migration failed and was rolled back');
    throw new MigrationError(
      'MIGRATION_FAILED',
      `Migration ${migration.name} failed and was rolled back (nothing of it was applied): ${logs}`,
      migration.name,
      { cause: err },
    );
  }
}

/**
 * Prisma's own convention for "failed, nothing left behind": a row with logs and
 * rolled_back_at set. Both this runner and `prisma migrate deploy` then retry it.
 */
async function recordRolledBack(
  client: PoolClient,
  migration: MigrationFile,
  logs: string,
  log: Logger,
): Promise<void> {
  try {
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, rolled_back_at, applied_steps_count)
       VALUES ($1, $2, $3, $4, now(), now(), 0)`,
      [randomUUID(), migration.checksum, migration.name, logs],
    );
  } catch (err) {
    log.warn({ migration: migration.name, error: String(err) }, 'could not record the failed migration');
  }
}

function pgCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function describeSqlError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = pgCode(err);
  const position = (err as { position?: string }).position;
  const parts = [code ? `${err.message} (SQLSTATE ${code})` : err.message];
  if (position) parts.push(`at character ${position} of migration.sql`);
  return parts.join(' ');
}
