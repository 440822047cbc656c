/**
 * Databases for the event-store tests, migrated with the checked-in prisma/migrations: a
 * PGlite data dir per test file, or a throwaway database on the machine's PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../../src/store/database';
import { createTestDatabase, databaseUrl, dropTestDatabase } from '../store/local-postgres';

export interface TestDatabase {
  db: Database;
  /** PostgreSQL only: for opening more pools on the same database. */
  url?: string;
  /** Opens another Database (its own pg Pool and Prisma client) on the same PostgreSQL. */
  openAnother(): Promise<Database>;
  cleanup(): Promise<void>;
}

export type DatabaseKind = 'pglite' | 'postgresql';

export async function openTestDatabase(kind: DatabaseKind, label: string): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `patchbay-events-${label}-`));
  const others: Database[] = [];
  if (kind === 'pglite') {
    const db = await openDatabase({ dataDir });
    return {
      db,
      async openAnother() {
        throw new Error('PGlite serves one process: no second pool');
      },
      async cleanup() {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = await createTestDatabase(`events_${label}`);
  const url = databaseUrl(name);
  let db: Database;
  try {
    db = await openDatabase({ url, dataDir });
  } catch (err) {
    await dropTestDatabase(name);
    throw err;
  }
  return {
    db,
    url,
    async openAnother() {
      const other = await openDatabase({ url, dataDir });
      others.push(other);
      return other;
    },
    async cleanup() {
      for (const other of others) await other.close();
      await db.close();
      await dropTestDatabase(name);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Empties the journal tables between tests (seq keeps counting, as in production). */
export async function resetJournal(db: Database): Promise<void> {
  await db.query('DELETE FROM "event_journal"');
  await db.query('UPDATE "event_journal_pruned" SET "through_seq" = 0');
  await db.query('DELETE FROM "ingest_lease"');
}
