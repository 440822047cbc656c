/**
 * The embedded store: PGlite on disk behind node-postgres (PGlite's in-process connection),
 * migrated at open. Booting PGlite costs seconds, so the tests walk one data dir through its
 * life in order.
 */
import path from 'node:path';
import { openDatabase, type Database } from '../../../src/store/database';
import { DatabaseError, MigrationError } from '../../../src/store/errors';
import { defaultMigrationsDir, readMigrations } from '../../../src/store/migration-files';
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
  removeMigration,
  removeDir,
  sha256,
  tempDir,
  writeMigration,
  type HistoryRow,
} from './store-fixtures';

describe('store on embedded PGlite', () => {
  const dataDir = tempDir('pglite');
  const migrationsDir = baseMigrations();
  let db: Database | undefined;

  const open = () => openDatabase({ dataDir, migrationsDir });
  const reopen = async () => {
    await db?.close();
    db = undefined;
    db = await open();
    return db;
  };

  afterAll(async () => {
    await db?.close();
    removeDir(dataDir);
    removeDir(migrationsDir);
  });

  test('first open applies every migration in order and records it like Prisma', async () => {
    db = await open();
    expect(db.kind).toBe('pglite');
    expect(db.location).toBe(`pglite:${path.join(dataDir, 'pglite')}`);
    expect(db.migrations).toEqual({ applied: [INIT, ADD_COLOUR], alreadyApplied: [] });

    const rows = await db.query<HistoryRow>(HISTORY_SQL);
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count, r.logs, r.rolled_back_at])).toEqual([
      [INIT, sha256(INIT_SQL), 1, null, null],
      [ADD_COLOUR, sha256(ADD_COLOUR_SQL), 1, null, null],
    ]);
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
    expect(await db.query(`SELECT name, colour FROM widget`)).toEqual([{ name: 'seeded', colour: 'red' }]);
  });

  test('the Prisma client works through the adapter ($queryRaw, $executeRaw, transactions)', async () => {
    const prisma = db!.prisma;
    const inserted = await prisma.$executeRaw`INSERT INTO widget (name, colour) VALUES (${'sprocket'}, ${'blue'})`;
    expect(inserted).toBe(1);
    const rows = await prisma.$queryRaw<{ name: string; colour: string }[]>`
      SELECT name, colour FROM widget WHERE colour = ${'blue'}`;
    expect(rows).toEqual([{ name: 'sprocket', colour: 'blue' }]);
    const [count] = await prisma.$transaction([
      prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM widget`,
    ]);
    expect(count).toEqual([{ n: 2 }]);
  });

  test('a statement issued during a transaction waits for it: PGlite is one session', async () => {
    let concurrent: Promise<unknown[]> | undefined;
    const rolledBack = await db!.prisma
      .$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO widget (name, colour) VALUES (${'uncommitted'}, ${'red'})`;
        concurrent = db!.query(`SELECT name FROM widget WHERE name = 'uncommitted'`);
        // Turns of the event loop in which the statement could run, were it not queued.
        for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    expect(rolledBack).toBe('roll back');
    // Had it run inside the transaction, it would have seen the row that was rolled back.
    expect(await concurrent).toEqual([]);
  });

  test('a client dropped inside a transaction leaves nothing open for the next', async () => {
    const client = await db!.pool!.connect();
    await client.query('BEGIN');
    await client.query(`INSERT INTO widget (name, colour) VALUES ('orphan', 'red')`);
    // pg-pool destroys a client released with an error and makes a new one for the next query.
    client.release(new Error('dropped'));
    expect(await db!.query(`SELECT name FROM widget WHERE name = 'orphan'`)).toEqual([]);
    expect(await db!.query(`SELECT count(*)::int AS n FROM widget`)).toEqual([{ n: 2 }]);
  });

  test('a failed statement leaves the store usable', async () => {
    await expect(db!.query(`INSERT INTO widget (id, name) VALUES (1, 'duplicate id')`)).rejects.toThrow(
      /duplicate key/,
    );
    expect(await db!.query(`SELECT count(*)::int AS n FROM widget`)).toEqual([{ n: 2 }]);
  });

  test('a second open of the same data dir while it is open is refused', async () => {
    const failure = await open().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(DatabaseError);
    expect(failure).toMatchObject({ code: 'DATA_DIR_IN_USE' });
    expect((failure as Error).message).toContain(
      `The embedded database in ${dataDir} is already open by process ${process.pid}`,
    );
    // The refused attempt must not have disturbed the open database.
    expect(await db!.query(`SELECT count(*)::int AS n FROM widget`)).toEqual([{ n: 2 }]);
  });

  test('reopening applies nothing again and keeps the data', async () => {
    await reopen();
    expect(db!.migrations).toEqual({ applied: [], alreadyApplied: [INIT, ADD_COLOUR] });
    expect(await db!.query(HISTORY_SQL)).toHaveLength(2);
    expect(await db!.query(`SELECT name FROM widget ORDER BY id`)).toEqual([{ name: 'seeded' }, { name: 'sprocket' }]);
  });

  test('a failing migration is rolled back whole and recorded as rolled back', async () => {
    await db!.close();
    db = undefined;
    writeMigration(migrationsDir, BROKEN, BROKEN_SQL);

    const failure = await open().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure).toMatchObject({ code: 'MIGRATION_FAILED', migration: BROKEN });
    expect((failure as Error).message).toContain(`Migration ${BROKEN} failed and was rolled back`);
    expect((failure as Error).message).toContain('relation "no_such_table" does not exist (SQLSTATE 42P01)');

    // Look at the database without the broken migration in the folder.
    removeMigration(migrationsDir, BROKEN);
    db = await open();
    expect(db.migrations).toEqual({ applied: [], alreadyApplied: [INIT, ADD_COLOUR] });
    expect(await db.query(`SELECT to_regclass('gadget') AS t`)).toEqual([{ t: null }]);
    const attempt = (await db.query<HistoryRow>(HISTORY_SQL)).filter((r) => r.migration_name === BROKEN);
    expect(attempt).toHaveLength(1);
    expect(attempt[0]).toMatchObject({ checksum: sha256(BROKEN_SQL), finished_at: null, applied_steps_count: 0 });
    expect(attempt[0].rolled_back_at).toBeInstanceOf(Date);
    expect(attempt[0].logs).toContain('relation "no_such_table" does not exist');
  });

  test('once fixed, the rolled-back migration is applied on the next open', async () => {
    await db!.close();
    db = undefined;
    writeMigration(migrationsDir, BROKEN, FIXED_SQL);
    db = await open();
    expect(db.migrations).toEqual({ applied: [BROKEN], alreadyApplied: [INIT, ADD_COLOUR] });
    const attempts = (await db.query<HistoryRow>(HISTORY_SQL)).filter((r) => r.migration_name === BROKEN);
    expect(
      attempts.map((r) => [r.checksum, r.finished_at === null, r.rolled_back_at === null, r.applied_steps_count]),
    ).toEqual([
      [sha256(BROKEN_SQL), true, false, 0],
      [sha256(FIXED_SQL), false, true, 1],
    ]);
    expect(await db.query(`SELECT to_regclass('gadget')::text AS t`)).toEqual([{ t: 'gadget' }]);
  });

  test('an applied migration whose file changed stops the open with a clear error', async () => {
    await db!.close();
    db = undefined;
    writeMigration(migrationsDir, INIT, INIT_SQL.replace('"name" TEXT', '"title" TEXT'));

    const failure = await open().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure).toMatchObject({ code: 'CHECKSUM_MISMATCH', migration: INIT });
    expect((failure as Error).message).toContain(`Migration ${INIT} was modified after it was applied`);
    expect((failure as Error).message).toContain(`recorded checksum ${sha256(INIT_SQL)}`);
  });

  test('line endings rewritten by git are not a change; the data dir is free again after a failed open', async () => {
    writeMigration(migrationsDir, INIT, INIT_SQL.replace(/\n/g, '\r\n'));
    db = await open();
    expect(db.migrations).toEqual({ applied: [], alreadyApplied: [INIT, ADD_COLOUR, BROKEN] });
  });

  test('close() is idempotent and releases the data dir', async () => {
    const current = db!;
    db = undefined;
    await Promise.all([current.close(), current.close()]);
    await current.close();
    db = await open();
    expect(db.migrations.applied).toEqual([]);
  });

  test('without migrationsDir the checked-in prisma/migrations is used', async () => {
    await db!.close();
    db = undefined;
    const checkedIn = readMigrations(defaultMigrationsDir())
      .map((m) => m.name)
      .sort();
    for (const fromTemplate of [false, true]) {
      const freshDir = tempDir('pglite-default');
      try {
        const fresh = await openDatabase({ dataDir: freshDir, fromTemplate });
        try {
          // Created in place, every migration is applied now; copied from the template
          // (src/store/template.ts), every one is already there.
          expect(fromTemplate ? fresh.migrations.alreadyApplied : fresh.migrations.applied).toEqual(checkedIn);
          expect(fromTemplate ? fresh.migrations.applied : fresh.migrations.alreadyApplied).toEqual([]);
          const rows = await fresh.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations"`);
          expect(rows.map((r) => r.migration_name).sort()).toEqual(checkedIn);
        } finally {
          await fresh.close();
        }
      } finally {
        removeDir(freshDir);
      }
    }
  });
});
