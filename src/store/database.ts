/**
 * Opens the gateway's database: embedded PGlite under `dataDir` by default, PostgreSQL when a
 * url is given. Either way Prisma talks through @prisma/adapter-pg over a pg Pool, and the
 * schema is migrated before the promise resolves.
 */
import { Pool, type PoolConfig } from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { componentLogger } from '../log';
import { connectionError, parseDatabaseUrl, type DatabaseTarget } from './database-url';
import { startEmbeddedPglite, type EmbeddedPglite } from './embedded-pglite';
import { runMigrations, type MigrationReport } from './migrate';
import { seedFromTemplate } from './template';

export interface OpenDatabaseOptions {
  /** postgresql://user:password@host:port/db. Absent: embedded PGlite under dataDir. */
  url?: string;
  /** Folder for the embedded database (PGlite files go in `<dataDir>/pglite`). */
  dataDir: string;
  /** Defaults to the checked-in prisma/migrations. */
  migrationsDir?: string;
  /** Wait for another instance's migration run at most this long. Default 60 s. */
  migrationLockTimeoutMs?: number;
  /** Give up on the first connection after this long. Default 10 s. */
  connectTimeoutMs?: number;
  /** pg pool size (PostgreSQL). Default 10. */
  poolSize?: number;
  /**
   * A new embedded database starts as a copy of the migrated template (src/store/template.ts).
   * Default: on when migrationsDir is the checked-in one (the template holds those migrations).
   */
  fromTemplate?: boolean;
}

export interface Database {
  kind: 'pglite' | 'postgresql';
  prisma: PrismaClient;
  /** Plain SQL for the migration runner, health checks and tests. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** What start-up migration did. */
  migrations: MigrationReport;
  /** The pg pool under Prisma; absent on a cluster worker, whose statements go through the primary. */
  pool?: Pool;
  /** Where the data lives, safe to log (no password). */
  location: string;
  /** Releases pool, Prisma and PGlite; the data dir can then be reopened. */
  close(): Promise<void>;
}

const log = componentLogger('store');

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const kind = options.url ? 'postgresql' : 'pglite';
  let target: DatabaseTarget | undefined;
  let poolConfig: PoolConfig;
  let embedded: EmbeddedPglite | undefined;
  let location: string;

  if (options.url) {
    const parsed = parseDatabaseUrl(options.url);
    target = parsed.target;
    poolConfig = { ...parsed.config, max: options.poolSize ?? 10 };
    location = target.display;
  } else {
    const fromTemplate = options.fromTemplate ?? options.migrationsDir === undefined;
    embedded = await startEmbeddedPglite(
      options.dataDir,
      fromTemplate ? (dir) => seedFromTemplate(dir, buildTemplate) : undefined,
    );
    // PGlite is ONE session: two pool clients would interleave their transactions (one
    // client's BEGIN would swallow the other's statements). One client makes the pool queue
    // everything, so a transaction holds the database until it ends.
    poolConfig = { ...embedded.poolConfig, max: 1 };
    location = `pglite:${embedded.pgDataDir}`;
  }

  const pool = new Pool({ ...poolConfig, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000 });
  // Without a listener, an idle client dropped by the server would crash the process.
  pool.on('error', (err) => log.warn({ location, error: err.message }, 'idle database connection failed'));
  const release = async (): Promise<void> => {
    await pool.end().catch(() => undefined);
    await embedded?.stop();
  };

  let migrations: MigrationReport;
  try {
    await checkConnection(pool, target);
    migrations = await runMigrations(pool, {
      migrationsDir: options.migrationsDir,
      lockTimeoutMs: options.migrationLockTimeoutMs,
      logger: componentLogger('store.migrate', { location }),
    });
  } catch (err) {
    await release();
    throw err;
  }

  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closing: Promise<void> | undefined;
  log.info({ kind, location, applied: migrations.applied }, 'database open');

  return {
    kind,
    prisma,
    migrations,
    pool,
    location,
    async query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]> {
      const result = await pool.query(sql, params);
      return result.rows as R[];
    },
    close() {
      // Idempotent: shutdown paths often close twice.
      closing ??= (async () => {
        try {
          await prisma.$disconnect();
        } finally {
          await release();
          log.info({ kind, location }, 'database closed');
        }
      })();
      return closing;
    },
  };
}

/** What the template is: a new embedded database with the checked-in migrations applied. */
async function buildTemplate(into: string): Promise<void> {
  const db = await openDatabase({ dataDir: into, fromTemplate: false });
  await db.close();
}

async function checkConnection(pool: Pool, target: DatabaseTarget | undefined): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    throw target ? connectionError(err, target) : err;
  }
}
