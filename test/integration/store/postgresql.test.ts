/**
 * The store against a real PostgreSQL: same migration guarantees as the embedded one, plus
 * what only a shared server brings: concurrent gateways migrating at once, and bad urls.
 */
import type { Client } from 'pg';
import { openDatabase, type Database } from '../../../src/store/database';
import { DatabaseError, MigrationError } from '../../../src/store/errors';
import { MIGRATION_LOCK_KEY } from '../../../src/store/migrate';
import { connect, createTestDatabase, databaseUrl, dropTestDatabase } from './local-postgres';
import {
  ADD_COLOUR,
  ADD_COLOUR_SQL,
  BROKEN,
  BROKEN_SQL,
  FIXED_SQL,
  HISTORY_SQL,
  INIT,
  INIT_SQL,
  baseMigrations,
  removeDir,
  sha256,
  tempDir,
  writeMigration,
  type HistoryRow,
} from './store-fixtures';

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err as Error,
  );
}

describe('store on PostgreSQL', () => {
  const dataDir = tempDir('pg-unused');
  const migrationsDir = baseMigrations();
  const databases: string[] = [];
  let database: string;
  let db: Database | undefined;

  const open = (name = database, extra: { migrationLockTimeoutMs?: number } = {}) =>
    openDatabase({ url: databaseUrl(name), dataDir, migrationsDir, ...extra });
  const closeDb = async () => {
    await db?.close();
    db = undefined;
  };

  beforeAll(async () => {
    database = await createTestDatabase('main');
    databases.push(database);
  });

  afterAll(async () => {
    await db?.close();
    for (const name of databases) await dropTestDatabase(name);
    removeDir(migrationsDir);
    removeDir(dataDir);
  });

  test('first open applies every migration and records it like Prisma', async () => {
    db = await open();
    expect(db.kind).toBe('postgresql');
    expect(db.location).toBe(databaseUrl(database));
    expect(db.migrations).toEqual({ applied: [INIT, ADD_COLOUR], alreadyApplied: [] });
    const rows = await db.query<HistoryRow>(HISTORY_SQL);
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count, r.logs, r.rolled_back_at])).toEqual([
      [INIT, sha256(INIT_SQL), 1, null, null],
      [ADD_COLOUR, sha256(ADD_COLOUR_SQL), 1, null, null],
    ]);
    for (const row of rows) expect(row.finished_at).toBeInstanceOf(Date);
    // Same columns and types as the table Prisma's schema engine creates.
    const columns = await db.query(
      `SELECT column_name, data_type, is_nullable, character_maximum_length AS len
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', is_nullable: 'NO', len: 36 },
      { column_name: 'checksum', data_type: 'character varying', is_nullable: 'NO', len: 64 },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', is_nullable: 'YES', len: null },
      { column_name: 'migration_name', data_type: 'character varying', is_nullable: 'NO', len: 255 },
      { column_name: 'logs', data_type: 'text', is_nullable: 'YES', len: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', is_nullable: 'YES', len: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', is_nullable: 'NO', len: null },
      { column_name: 'applied_steps_count', data_type: 'integer', is_nullable: 'NO', len: null },
    ]);
  });

  test('the Prisma client works through the adapter', async () => {
    const prisma = db!.prisma;
    expect(await prisma.$executeRaw`INSERT INTO widget (name) VALUES (${'cog'})`).toBe(1);
    const rows = await prisma.$queryRaw<
      { name: string; colour: string }[]
    >`SELECT name, colour FROM widget ORDER BY id`;
    expect(rows).toEqual([
      { name: 'seeded', colour: 'red' },
      { name: 'cog', colour: 'red' },
    ]);
  });

  test('reopening applies nothing again', async () => {
    await closeDb();
    db = await open();
    expect(db.migrations).toEqual({ applied: [], alreadyApplied: [INIT, ADD_COLOUR] });
    expect(await db.query(HISTORY_SQL)).toHaveLength(2);
  });

  test('a failing migration is rolled back whole, reported, and recorded as rolled back', async () => {
    await closeDb();
    writeMigration(migrationsDir, BROKEN, BROKEN_SQL);
    const failure = await failureOf(open());
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure).toMatchObject({ code: 'MIGRATION_FAILED', migration: BROKEN });
    expect(failure.message).toContain('relation "no_such_table" does not exist (SQLSTATE 42P01)');

    const outside = await connect(database);
    try {
      expect((await outside.query(`SELECT to_regclass('gadget') AS t`)).rows).toEqual([{ t: null }]);
      const attempt = (await outside.query<HistoryRow>(HISTORY_SQL)).rows.filter((r) => r.migration_name === BROKEN);
      expect(attempt).toHaveLength(1);
      expect(attempt[0]).toMatchObject({ checksum: sha256(BROKEN_SQL), finished_at: null, applied_steps_count: 0 });
      expect(attempt[0].rolled_back_at).toBeInstanceOf(Date);
      expect(attempt[0].logs).toContain('relation "no_such_table" does not exist');
    } finally {
      await outside.end();
    }

    writeMigration(migrationsDir, BROKEN, FIXED_SQL);
    db = await open();
    expect(db.migrations).toEqual({ applied: [BROKEN], alreadyApplied: [INIT, ADD_COLOUR] });
  });

  test('an applied migration whose file changed stops the open with a clear error', async () => {
    await closeDb();
    writeMigration(migrationsDir, ADD_COLOUR, ADD_COLOUR_SQL.replace("'red'", "'green'"));
    try {
      const failure = await failureOf(open());
      expect(failure).toBeInstanceOf(MigrationError);
      expect(failure).toMatchObject({ code: 'CHECKSUM_MISMATCH', migration: ADD_COLOUR });
      expect(failure.message).toBe(
        `Migration ${ADD_COLOUR} was modified after it was applied: recorded checksum ${sha256(ADD_COLOUR_SQL)}, ` +
          `migration.sql now has ${sha256(ADD_COLOUR_SQL.replace("'red'", "'green'"))}. ` +
          'Restore the original file and put the change in a new migration.',
      );
    } finally {
      writeMigration(migrationsDir, ADD_COLOUR, ADD_COLOUR_SQL);
    }
  });

  test('two gateways opening one fresh database at once apply each migration exactly once', async () => {
    const raceMigrations = baseMigrations();
    // Slow enough that the second open reaches the lock while the first still migrates.
    writeMigration(raceMigrations, BROKEN, `SELECT pg_sleep(0.2);\n${FIXED_SQL}`);
    const fresh = await createTestDatabase('race');
    databases.push(fresh);

    const openFresh = () => openDatabase({ url: databaseUrl(fresh), dataDir, migrationsDir: raceMigrations });
    const [a, b] = await Promise.all([openFresh(), openFresh()]);
    try {
      const all = [INIT, ADD_COLOUR, BROKEN];
      const applied = [...a.migrations.applied, ...b.migrations.applied];
      expect(applied.sort()).toEqual([...all].sort());
      // One did the work, the other found it done.
      expect([a.migrations.applied.length, b.migrations.applied.length].sort()).toEqual([0, 3]);
      const rows = await a.query<HistoryRow>(HISTORY_SQL);
      expect(rows.map((r) => [r.migration_name, r.rolled_back_at, r.applied_steps_count])).toEqual(
        all.map((name) => [name, null, 1]),
      );
      expect(await b.query(`SELECT count(*)::int AS n FROM widget`)).toEqual([{ n: 1 }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
      removeDir(raceMigrations);
    }
  });

  test('waiting for another process holding the migration lock is bounded', async () => {
    const holder: Client = await connect(database);
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const failure = await failureOf(open(database, { migrationLockTimeoutMs: 150 }));
      expect(failure).toBeInstanceOf(MigrationError);
      expect(failure).toMatchObject({ code: 'LOCK_TIMEOUT' });
      expect(failure.message).toContain(
        `Timed out after 150 ms waiting for the migration lock (pg_advisory_lock(${MIGRATION_LOCK_KEY}))`,
      );
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      db = await open();
      expect(db.migrations.applied).toEqual([]);
    } finally {
      await holder.end();
    }
  });

  describe('bad database urls give errors that name the host and never the password', () => {
    const SECRET = 's3cr3t-pw';

    test('unreachable server', async () => {
      const failure = await failureOf(
        openDatabase({ url: `postgresql://gw:${SECRET}@127.0.0.1:1/patchbay`, dataDir, migrationsDir }),
      );
      expect(failure).toBeInstanceOf(DatabaseError);
      expect(failure).toMatchObject({ code: 'DATABASE_UNREACHABLE' });
      expect(failure.message).toBe(
        'Cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED): is the server running and the url right? ' +
          '(postgresql://gw@127.0.0.1:1/patchbay)',
      );
    });

    test('unknown host', async () => {
      const failure = await failureOf(
        openDatabase({ url: `postgresql://gw:${SECRET}@no-such-host.invalid:5432/patchbay`, dataDir, migrationsDir }),
      );
      expect(failure).toMatchObject({ name: 'DatabaseError', code: 'DATABASE_UNREACHABLE' });
      expect(failure.message).toContain('"no-such-host.invalid"');
      expect(failure.message).not.toContain(SECRET);
    });

    test('database that does not exist', async () => {
      const withPassword = databaseUrl('patchbay_store_missing_db').replace(/:\/\/([^@]+)@/, `://$1:${SECRET}@`);
      const failure = await failureOf(openDatabase({ url: withPassword, dataDir, migrationsDir }));
      expect(failure).toMatchObject({ name: 'DatabaseError', code: 'DATABASE_NOT_FOUND' });
      expect(failure.message).toContain('has no database "patchbay_store_missing_db": create it first');
      expect(failure.message).not.toContain(SECRET);
    });

    test('not a url, or not postgresql', async () => {
      const garbled = await failureOf(openDatabase({ url: `gw:${SECRET}@db:5432`, dataDir, migrationsDir }));
      expect(garbled).toMatchObject({ name: 'DatabaseError', code: 'INVALID_DATABASE_URL' });
      expect(garbled.message).not.toContain(SECRET);

      const mysql = await failureOf(openDatabase({ url: `mysql://gw:${SECRET}@db/x`, dataDir, migrationsDir }));
      expect(mysql).toMatchObject({ code: 'INVALID_DATABASE_URL' });
      expect(mysql.message).toBe('Invalid database url: scheme "mysql" is not postgresql:// (the only provider)');
    });
  });
});
