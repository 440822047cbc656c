/**
 * Reads prisma/migrations the way Prisma does: every sub-folder is one migration, applied in
 * name order (the `<timestamp>_` prefix makes that chronological), whose `migration.sql`
 * checksum is the sha256 hex of the file's bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MigrationError } from './errors';

export interface MigrationFile {
  /** Folder name, e.g. `20261101120000_init`; the `migration_name` Prisma records. */
  name: string;
  sql: string;
  checksum: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Same tolerance as Prisma's schema engine: git may have rewritten line endings since the
 * migration was applied, which must not count as an edit.
 */
export function scriptMatchesChecksum(sql: string, checksum: string): boolean {
  const expected = checksum.toLowerCase();
  if (sha256Hex(sql) === expected) return true;
  const lf = sql.replace(/\r\n/g, '\n');
  return sha256Hex(lf) === expected || sha256Hex(lf.replace(/\n/g, '\r\n')) === expected;
}

export function readMigrations(migrationsDir: string): MigrationFile[] {
  if (!existsSync(migrationsDir) || !statSync(migrationsDir).isDirectory()) {
    throw new MigrationError('INVALID_MIGRATIONS_FOLDER', `Migrations folder not found: ${migrationsDir}`);
  }
  const names = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    // Byte order, as Prisma sorts them; localeCompare could reorder names with `_` or digits.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  return names.map((name) => {
    const file = path.join(migrationsDir, name, 'migration.sql');
    if (!existsSync(file)) {
      throw new MigrationError(
        'INVALID_MIGRATIONS_FOLDER',
        `Migration folder ${name} has no migration.sql (${file})`,
        name,
      );
    }
    const sql = readFileSync(file, 'utf8');
    return { name, sql, checksum: sha256Hex(sql) };
  });
}

/**
 * The checked-in prisma/migrations, found by walking up from this file so it resolves both
 * from src/store (ts run directly) and from dist/src/store (compiled).
 */
export function defaultMigrationsDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new MigrationError('INVALID_MIGRATIONS_FOLDER', `No prisma/migrations folder found above ${__dirname}`);
    }
    dir = parent;
  }
}
