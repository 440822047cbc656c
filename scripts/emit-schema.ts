/** Writes schema.graphql from the code (npm run schema). A test fails when the file is stale. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printedSchema } from '../src/graphql/schema';

printedSchema()
  .then((sdl) => {
    writeFileSync(join(__dirname, '..', 'schema.graphql'), sdl);
    process.stdout.write('schema.graphql written\n');
  })
  .catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  });
