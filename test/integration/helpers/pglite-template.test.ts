/** The migrated template (test/helpers/pglite-template.ts): copies open without initdb and stay apart. */
import { rmSync } from 'node:fs';
import { openDatabase, type Database } from '../../../src/store/database';
import { migratedDataDir } from '../../helpers/pglite-template';

describe('migratedDataDir', () => {
  const dirs: string[] = [];
  const open: Database[] = [];
  afterAll(async () => {
    await Promise.all(open.map((db) => db.close()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('gives each caller its own migrated database', async () => {
    dirs.push(await migratedDataDir('patchbay-template-a-'), await migratedDataDir('patchbay-template-b-'));
    const [a, b] = await Promise.all(dirs.map((dataDir) => openDatabase({ dataDir })));
    open.push(a, b);
    // Already migrated: opening a copy applies nothing.
    expect(a.migrations.applied).toEqual([]);
    expect(a.migrations.alreadyApplied.length).toBeGreaterThan(0);
    await a.query(`INSERT INTO "ingest_lease" (backend, owner, expires_at) VALUES ('pbx1', 'a', now())`);
    expect(await a.query('SELECT owner FROM "ingest_lease"')).toEqual([{ owner: 'a' }]);
    expect(await b.query('SELECT owner FROM "ingest_lease"')).toEqual([]);
  });
});
