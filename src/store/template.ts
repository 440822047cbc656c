/**
 * A migrated embedded database, made once and copied. Creating a PGlite data dir runs initdb
 * (seconds of WASM work and hundreds of MB of memory) and then every migration; copying a
 * finished one takes a fraction of that. The template lives under
 * node_modules/.cache/patchbay (made at `npm install` by scripts/make-db-template.ts, or by the
 * first start that finds none), named by the PGlite version and the migrations it holds, so a
 * new migration or PGlite release makes a new one instead of reusing a stale copy.
 */
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { componentLogger } from '../log';
import { INITDB_PARAMS } from './embedded-pglite';
import { defaultMigrationsDir, readMigrations } from './migration-files';

const log = componentLogger('store.template');

/** Where the template for the checked-in migrations lives (it may not exist yet). */
export function templateDir(migrationsDir = defaultMigrationsDir()): string {
  const root = path.dirname(path.dirname(migrationsDir));
  return path.join(root, 'node_modules', '.cache', 'patchbay', `pglite-${templateKey(migrationsDir)}`);
}

function templateKey(migrationsDir: string): string {
  const hash = createHash('sha256');
  hash.update(pgliteVersion());
  hash.update(INITDB_PARAMS.join(' '));
  for (const m of readMigrations(migrationsDir)) hash.update(`\n${m.name}:${m.checksum}`);
  return hash.digest('hex').slice(0, 16);
}

function pgliteVersion(): string {
  // Its exports map hides package.json; the entry point sits in <package>/dist.
  const manifest = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Builds a data dir in `into` (initdb + migrations); openDatabase supplies this. */
export type BuildDataDir = (into: string) => Promise<void>;

/**
 * Makes the template if it is missing. Built in a private folder and renamed into place, so a
 * concurrent builder or a crash halfway never leaves a half-made template behind.
 */
export async function ensureTemplate(build: BuildDataDir, dir = templateDir()): Promise<string> {
  if (existsSync(dir)) return dir;
  const scratch = `${dir}.${randomUUID()}.tmp`;
  mkdirSync(scratch, { recursive: true });
  try {
    await build(scratch);
    try {
      renameSync(path.join(scratch, 'pglite'), dir);
      log.info({ dir }, 'embedded database template made');
    } catch (err) {
      // Another process finished first: its template is as good as ours.
      if (!existsSync(dir)) throw err;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return dir;
}

/**
 * Fills an absent `pgDataDir` from the template; true when it did. Any failure leaves no partial
 * copy behind and returns false, so the caller falls back to creating the database itself.
 */
export async function seedFromTemplate(pgDataDir: string, build: BuildDataDir, dir?: string): Promise<boolean> {
  if (existsSync(pgDataDir)) return false;
  try {
    const source = await ensureTemplate(build, dir);
    // cpSync, not fs/promises' cp: for the template's ~1,000 files the promise version spends
    // ~0.4 s of CPU (a promise per file operation) against ~0.1 s, and a fresh `npm start`
    // answered ~0.6 s sooner with cpSync (bench/RESULTS.md, 2026-12-08, template copy A/B).
    cpSync(source, pgDataDir, { recursive: true, errorOnExist: true, force: false });
    return true;
  } catch (err) {
    rmSync(pgDataDir, { recursive: true, force: true });
    log.warn({ error: (err as Error).message }, 'no embedded database template; creating the database in place');
    return false;
  }
}
