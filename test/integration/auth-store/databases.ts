/**
 * A migrated database for the auth store tests: a PGlite data dir per test file, or a
 * throwaway database on the machine's PostgreSQL (dropped afterwards; a stopped server fails
 * loudly with the command that starts it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../../src/store/database';
import { createTestDatabase, databaseUrl, dropTestDatabase } from '../store/local-postgres';

export type DatabaseKind = 'pglite' | 'postgresql';

export interface TestDatabase {
  db: Database;
  cleanup(): Promise<void>;
}

export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'patchbay-auth-'));
  if (kind === 'pglite') {
    const db = await openDatabase({ dataDir });
    return {
      db,
      async cleanup() {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = await createTestDatabase('auth');
  let db: Database;
  try {
    db = await openDatabase({ url: databaseUrl(name), dataDir });
  } catch (err) {
    await dropTestDatabase(name);
    throw err;
  }
  return {
    db,
    async cleanup() {
      await db.close();
      await dropTestDatabase(name);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function resetAuthTables(db: Database): Promise<void> {
  await db.query('DELETE FROM "api_key"');
  await db.query('DELETE FROM "audit_log"');
}
