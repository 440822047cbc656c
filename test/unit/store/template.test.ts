/**
 * The template's life without PGlite: `build` stands in for initdb + migrations, so these check
 * only what template.ts decides (make once, copy, never leave half a copy).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureTemplate, seedFromTemplate, templateDir } from '../../../src/store/template';

describe('embedded database template', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'patchbay-template-test-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const fakeBuild = (calls: string[]) => async (into: string) => {
    calls.push(into);
    mkdirSync(path.join(into, 'pglite', 'base'), { recursive: true });
    writeFileSync(path.join(into, 'pglite', 'base', 'table'), 'migrated');
  };

  test('is built once, into place by rename, and reused after', async () => {
    const calls: string[] = [];
    const dir = path.join(root, 'pglite-abc');
    await expect(
      Promise.all([ensureTemplate(fakeBuild(calls), dir), ensureTemplate(fakeBuild(calls), dir)]),
    ).resolves.toEqual([dir, dir]);
    await ensureTemplate(fakeBuild(calls), dir);
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(readFileSync(path.join(dir, 'base', 'table'), 'utf8')).toBe('migrated');
    // No scratch folder is left next to it.
    expect(readdirSync(root)).toEqual(['pglite-abc']);
  });

  test('a failed build leaves no template and no scratch folder', async () => {
    const dir = path.join(root, 'pglite-abc');
    await expect(ensureTemplate(async () => Promise.reject(new Error('initdb failed')), dir)).rejects.toThrow(
      'initdb failed',
    );
    expect(readdirSync(root)).toEqual([]);
  });

  test('is named by the PGlite version and the migrations it holds', () => {
    const migrations = path.join(root, 'prisma', 'migrations');
    mkdirSync(path.join(migrations, '001_init'), { recursive: true });
    writeFileSync(path.join(migrations, '001_init', 'migration.sql'), 'CREATE TABLE a (id int);');
    const first = templateDir(migrations);
    expect(path.dirname(first)).toBe(path.join(root, 'node_modules', '.cache', 'patchbay'));
    writeFileSync(path.join(migrations, '001_init', 'migration.sql'), 'CREATE TABLE a (id bigint);');
    expect(templateDir(migrations)).not.toBe(first);
  });

  test('seeding copies into an absent data dir only', async () => {
    const dir = path.join(root, 'pglite-abc');
    const target = path.join(root, 'data', 'pglite');
    mkdirSync(path.dirname(target));
    await expect(seedFromTemplate(target, fakeBuild([]), dir)).resolves.toBe(true);
    expect(readFileSync(path.join(target, 'base', 'table'), 'utf8')).toBe('migrated');
    writeFileSync(path.join(target, 'base', 'table'), 'in use');
    await expect(seedFromTemplate(target, fakeBuild([]), dir)).resolves.toBe(false);
    expect(readFileSync(path.join(target, 'base', 'table'), 'utf8')).toBe('in use');
  });

  test('a template that cannot be made leaves the data dir absent (created in place instead)', async () => {
    const target = path.join(root, 'data', 'pglite');
    await expect(
      seedFromTemplate(target, async () => Promise.reject(new Error('disk full')), path.join(root, 'pglite-x')),
    ).resolves.toBe(false);
    expect(existsSync(target)).toBe(false);
  });
});
