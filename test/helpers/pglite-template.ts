/**
 * One migrated PGlite data dir per migration set, copied into every test's data dir.
 *
 * A new PGlite runs initdb (10–19 s on a 2-core machine); opening a copy of an existing, cleanly
 * closed one takes ~2 s. The template is built once (jest globalSetup, or lazily by the first
 * test that needs it) under node_modules/.cache, keyed by a hash of prisma/migrations and the
 * PGlite version, so a changed migration builds a new one. Only the `pglite/` folder is copied:
 * the data-dir lock (src/store/dataDirLock.ts) lives beside it and is never part of a copy.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/database';
import { defaultMigrationsDir } from '../../src/store/migrationFiles';

const ROOT = join(__dirname, '..', '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'patchbay');
/** PGlite keeps its files here inside a gateway data dir (src/store/embeddedPglite.ts). */
const PGLITE_SUBDIR = 'pglite';

function templateKey(): string {
  const hash = createHash('sha256');
  const migrations = defaultMigrationsDir();
  for (const name of readdirSync(migrations, { recursive: true }).map(String).sort()) {
    const file = join(migrations, name);
    if (!name.endsWith('.sql') && !name.endsWith('.toml')) continue;
    hash.update(name).update(readFileSync(file));
  }
  const pglite = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
  hash.update(pglite.version);
  return hash.digest('hex').slice(0, 16);
}

function templatePath(): string {
  return join(CACHE, `pglite-template-${templateKey()}`);
}

/** Builds the template if it is missing; concurrent builders race to one atomic rename. */
export async function ensurePgliteTemplate(): Promise<string> {
  const target = templatePath();
  if (existsSync(target)) return target;
  mkdirSync(CACHE, { recursive: true });
  const building = mkdtempSync(join(CACHE, 'building-'));
  try {
    const db = await openDatabase({ dataDir: building });
    await db.close();
    try {
      renameSync(join(building, PGLITE_SUBDIR), target);
    } catch (err) {
      // Another process finished first: its template is as good as ours.
      if (!existsSync(target)) throw err;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return target;
}

/** Puts a migrated copy of the template into `dataDir` (created if missing), so opening it skips initdb. */
export async function copyPgliteTemplate(dataDir: string): Promise<void> {
  const template = await ensurePgliteTemplate();
  cpSync(template, join(dataDir, PGLITE_SUBDIR), { recursive: true });
}

/** mkdtempSync under the OS temp dir, holding a migrated database. The caller removes it. */
export async function migratedDataDir(prefix: string): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  await copyPgliteTemplate(dataDir);
  return dataDir;
}
