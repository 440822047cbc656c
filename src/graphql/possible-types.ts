/**
 * Interfaces and unions with their concrete types, as Apollo Client's `possibleTypes` (and
 * urql Graphcache's schema awareness) need them to match fragments on abstract types. Written
 * next to schema.graphql by `npm run schema` as possible-types.json.
 */
import { isAbstractType, type GraphQLSchema } from 'graphql';

export type PossibleTypes = Record<string, string[]>;

export function possibleTypes(schema: GraphQLSchema): PossibleTypes {
  const out: PossibleTypes = {};
  const abstract = Object.values(schema.getTypeMap())
    .filter(isAbstractType)
    .filter((t) => !t.name.startsWith('__'))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const t of abstract)
    out[t.name] = schema
      .getPossibleTypes(t)
      .map((p) => p.name)
      .sort();
  return out;
}

/** The file's text: stable order, so diffs show real changes only. */
export function printedPossibleTypes(schema: GraphQLSchema): string {
  return `${JSON.stringify(possibleTypes(schema), null, 2)}\n`;
}
