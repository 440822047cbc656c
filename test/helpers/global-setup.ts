/**
 * jest globalSetup (integration project): make the migrated database template
 * (src/store/template.ts) once, before any worker, as scripts/make-db-template.ts does at
 * install. Otherwise the first harnesses of both workers would each build it inside a hook's
 * timeout. It also points the run's scratch space at memory (test/helpers/scratch-dir.ts) and
 * makes key hashes cheap (test/helpers/key-hash-cost.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/store/database';
import { TEST_KEY_HASH_COST } from './key-hash-cost';
import { useMemoryScratch } from './scratch-dir';

export default async function globalSetup(): Promise<void> {
  useMemoryScratch();
  process.env.PATCHBAY_KEY_HASH_COST = String(TEST_KEY_HASH_COST);
  const scratch = mkdtempSync(path.join(tmpdir(), 'patchbay-jest-template-'));
  try {
    // A new data dir copies the template, making it first when it is missing.
    const db = await openDatabase({ dataDir: scratch });
    await db.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
