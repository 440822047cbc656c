/**
 * Label values with bounded cardinality: a Prometheus series per channel id or per client-chosen
 * operation name would grow without limit.
 */

/** Words that sit where an id usually does (`/channels/create`, `/qubicle_recipients/status`). */
const STATIC_AT_ID_POSITION = new Set(['create', 'externalMedia', 'status']);

/**
 * A backend request path as a route template: ARI and Crossbar paths alternate collection and
 * id (`/accounts/{A}/channels/{id}/...`), so every second segment becomes `:id` unless it is one
 * of the few fixed words found there. `/channels/1700.12/hold` → `/channels/:id/hold`.
 */
export function routeTemplate(path: string): string {
  const clean = path.split('?')[0];
  const segments = clean.split('/').filter((s) => s.length > 0);
  return '/' + segments.map((s, i) => (i % 2 === 1 && !STATIC_AT_ID_POSITION.has(s) ? ':id' : s)).join('/');
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/** Admits at most `limit` distinct values; later newcomers are reported as `other`. */
export class LabelCap {
  private readonly seen = new Set<string>();

  constructor(private readonly limit: number) {}

  admit(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit) return 'other';
    this.seen.add(value);
    return value;
  }
}

/** GraphQL operation names are client-chosen: anything that is not a plain name is `invalid`. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return GRAPHQL_NAME.test(name) ? name : 'invalid';
}
