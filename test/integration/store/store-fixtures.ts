/** Temporary migration folders and data dirs for the store tests. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `patchbay-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function writeMigration(migrationsDir: string, name: string, sql: string): string {
  const folder = path.join(migrationsDir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'migration.sql'), sql);
  return sql;
}

export function removeMigration(migrationsDir: string, name: string): void {
  rmSync(path.join(migrationsDir, name), { recursive: true, force: true });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export const INIT = '20260101000000_init';
export const INIT_SQL = `-- CreateTable
CREATE TABLE "widget" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "widget_pkey" PRIMARY KEY ("id")
);
`;
export const ADD_COLOUR = '20260102000000_add_colour';
export const ADD_COLOUR_SQL = `ALTER TABLE "widget" ADD COLUMN "colour" TEXT NOT NULL DEFAULT 'red';
INSERT INTO "widget" ("name") VALUES ('seeded');
`;
export const BROKEN = '20260103000000_broken';
/** First statement succeeds, second fails: only a transaction keeps the first one out. */
export const BROKEN_SQL = `CREATE TABLE "gadget" ("id" INTEGER);
INSERT INTO "no_such_table" VALUES (1);
`;
export const FIXED_SQL = `CREATE TABLE "gadget" ("id" INTEGER);
`;

/** A folder holding INIT and ADD_COLOUR. */
export function baseMigrations(): string {
  const dir = tempDir('migrations');
  writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  writeMigration(dir, INIT, INIT_SQL);
  writeMigration(dir, ADD_COLOUR, ADD_COLOUR_SQL);
  return dir;
}

export interface HistoryRow {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
  applied_steps_count: number;
}

export const HISTORY_SQL = `SELECT id, migration_name, checksum, finished_at, rolled_back_at, started_at, logs,
  applied_steps_count FROM "_prisma_migrations" ORDER BY started_at, migration_name`;
