/** jest globalSetup (integration project): build the migrated PGlite template once, before any worker. */
import { ensurePgliteTemplate } from './pglite-template';

export default async function globalSetup(): Promise<void> {
  await ensurePgliteTemplate();
}
