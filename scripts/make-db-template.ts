/**
 * Run at `npm install` (postinstall): makes the migrated embedded database template
 * (src/store/template.ts) so the first `npm start` copies it instead of creating a database.
 * Never fails the install: without a template the first start creates its database itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/store/database';
import { templateDir } from '../src/store/template';

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'patchbay-template-'));
  try {
    // Opening a new data dir with the template on makes the template (once) and copies it.
    const db = await openDatabase({ dataDir: scratch });
    await db.close();
    process.stdout.write(`patchbay: embedded database template ready in ${templateDir()}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `patchbay: no embedded database template (${(err as Error).message}); the first start will create its database\n`,
  );
});
