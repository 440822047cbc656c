/**
 * Writes schema.graphql and possible-types.json from the code (npm run schema). Tests fail when
 * either file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getSchema, printedSchema } from '../src/graphql/schema';
import { printedPossibleTypes } from '../src/graphql/possible-types';

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  writeFileSync(join(root, 'schema.graphql'), await printedSchema());
  writeFileSync(join(root, 'possible-types.json'), printedPossibleTypes(await getSchema()));
  process.stdout.write('schema.graphql and possible-types.json written\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
