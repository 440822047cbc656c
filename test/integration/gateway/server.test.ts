/** HTTP surface: GraphiQL, health, malformed requests, request ids, schema file freshness. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printedSchema } from '../../../src/graphql/schema';
import { startHarness, type Harness } from '../../helpers/gateway-harness';

describe('HTTP surface', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('GET /graphql in a browser serves GraphiQL, self-contained and speaking graphql-ws', async () => {
    const res = await fetch(h.gateway.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/<script[^>]+src="https?:\/\//);
    expect(html).not.toMatch(/<link[^>]+href="https?:\/\//);
  });

  it('/healthz answers; unknown paths are JSON 404s', async () => {
    const ok = await fetch(h.gateway.url.replace('/graphql', '/healthz'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok' });
    const nf = await fetch(h.gateway.url.replace('/graphql', '/nope'));
    expect(nf.status).toBe(404);
    expect((await nf.json()).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('malformed JSON and oversized bodies get clear errors with codes', async () => {
    const bad = await fetch(h.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
    const big = await fetch(h.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ backends { name } } #${'x'.repeat(1_100_000)}` }),
    });
    expect(big.status).toBe(413);
    const parse = await h.gql('{ channels { id ');
    expect(parse.errors![0].extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknownField = await h.gql('{ channels { nope } }');
    expect(unknownField.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('echoes a given X-Request-ID and makes one otherwise', async () => {
    const given = await fetch(h.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-123' },
      body: '{"query":"{ backends { name } }"}',
    });
    expect(given.headers.get('x-request-id')).toBe('req-123');
    const made = await fetch(h.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ backends { name } }"}',
    });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('errors never carry stack traces', async () => {
    const r = await h.gql('{ channel(id: "pbx1:1.999") { id variable(name: "X") } }');
    expect(JSON.stringify(r)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });
});

describe('schema.graphql', () => {
  it('is the schema the code emits (run `npm run schema` after changing src/graphql)', async () => {
    const onDisk = readFileSync(join(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8');
    expect(onDisk).toBe(await printedSchema());
  });
});
