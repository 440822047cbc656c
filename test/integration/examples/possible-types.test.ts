/** possible-types.json (the client kit's possibleTypes) is what the schema says. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObjectType } from 'graphql';
import { getSchema } from '../../../src/graphql/schema';
import { possibleTypes, printedPossibleTypes } from '../../../src/graphql/possible-types';

describe('possible-types.json', () => {
  it('is what the code emits (run `npm run schema` after changing src/graphql)', async () => {
    const onDisk = readFileSync(join(__dirname, '..', '..', '..', 'possible-types.json'), 'utf8');
    expect(onDisk).toBe(printedPossibleTypes(await getSchema()));
  });

  it('lists every interface and union with only concrete object types', async () => {
    const schema = await getSchema();
    const map = possibleTypes(schema);
    expect(Object.keys(map).length).toBeGreaterThan(0);
    for (const [name, members] of Object.entries(map)) {
      expect(members.length).toBeGreaterThan(0);
      for (const m of members) expect(isObjectType(schema.getType(m))).toBe(true);
      expect(
        schema
          .getPossibleTypes(schema.getType(name) as never)
          .map((t) => t.name)
          .sort(),
      ).toEqual(members);
    }
  });
});
