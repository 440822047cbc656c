/**
 * Browser HTTP conventions over real sockets: CORS (preflight, allowed and refused origins),
 * GET queries with a key, 401 for missing and bad keys alike, public introspection by config,
 * and ETag / If-None-Match → 304 for pollers.
 */
import { originate } from '../../helpers/channels';
import { startHarness, waitFor, type Harness } from '../../helpers/gateway-harness';

const APP = 'http://localhost:5173';
const LIST = '{ channels { id state } }';

function getUrl(h: Harness, query: string, extra = ''): string {
  return `${h.gateway.url}?query=${encodeURIComponent(query)}${extra}`;
}

describe('browser HTTP conventions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ cors: { origins: ['http://localhost:*', 'https://app.example.com'] } });
    await waitFor(() => h.gateway.events.liveChannels('pbx1'), 'live view');
  });
  afterAll(() => h?.close());

  it('answers a preflight from an allowed origin: 204 with the methods, headers and origin', async () => {
    const res = await fetch(h.gateway.url, {
      method: 'OPTIONS',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-request-id',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')!.split(', ')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-request-id']),
    );
    expect(res.headers.get('vary')).toMatch(/\borigin\b/i);
    expect(await res.text()).toBe('');
  });

  it('refuses a preflight from another origin (403, no CORS headers)', async () => {
    const res = await fetch(h.gateway.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect((await res.json()).errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('every answer to an allowed origin carries Access-Control-Allow-Origin and exposes x-request-id; others get none', async () => {
    const post = (origin: string) =>
      fetch(h.gateway.url, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${h.adminKey}` },
        body: JSON.stringify({ query: '{ backends { name } }' }),
      });
    const ok = await post('https://app.example.com');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('access-control-expose-headers')).toMatch(/\bx-request-id\b/);
    expect(ok.headers.get('vary')).toMatch(/\borigin\b/i);
    const other = await post('https://evil.example');
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // Errors too: a refused key's 401 is readable by the allowed page.
    const refused = await fetch(h.gateway.url, {
      method: 'POST',
      headers: { origin: APP, 'content-type': 'application/json' },
      body: '{"query":"{ backends { name } }"}',
    });
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([401, APP]);
  });

  it('GET runs a query for a request with a key; a mutation over GET is 405', async () => {
    const res = await fetch(getUrl(h, '{ backends { name } }'), {
      headers: { authorization: `Bearer ${h.adminKey}`, accept: 'application/graphql-response+json' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { backends: [{ name: 'pbx1' }] } });
    const mutation = await fetch(
      getUrl(h, 'mutation { hangupChannel(input: { id: "pbx1:nope" }) { hungUpChannelId } }'),
      { headers: { authorization: `Bearer ${h.adminKey}` } },
    );
    expect(mutation.status).toBe(405);
    expect(mutation.headers.get('allow')).toBe('POST');
  });

  it('missing and invalid keys get the same 401 UNAUTHENTICATED, over GET and POST, before anything runs', async () => {
    const answers = [
      await fetch(getUrl(h, '{ backends { name } }')),
      await fetch(h.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ backends { name } }"}',
      }),
      await fetch(h.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer pb_nope_nope' },
        body: '{"query":"{ backends { name } }"}',
      }),
      await fetch(getUrl(h, '{ __typename }')),
      await fetch(h.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __schema { queryType { name } } }"}',
      }),
    ];
    for (const res of answers) {
      expect([res.status, res.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
      const body = await res.json();
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    }
  });

  it('ETag on query answers; If-None-Match with it gets 304 and no body (GET and POST, cached or executed)', async () => {
    const made = await originate(h, { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay' });
    // Settled first: a state change between two reads rightly changes the answer and its tag.
    await waitFor(
      () => h.gateway.events.liveChannels('pbx1')?.get(made.id.split(':')[1])?.state === 'UP',
      'the channel Up',
    );
    const headers = { authorization: `Bearer ${h.adminKey}`, accept: 'application/json' };
    const first = await fetch(getUrl(h, LIST), { headers });
    const etag = first.headers.get('etag')!;
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    const body = await first.text();
    const again = await fetch(getUrl(h, LIST), { headers: { ...headers, 'if-none-match': etag } });
    expect([again.status, again.headers.get('etag'), await again.text()]).toEqual([304, etag, '']);
    const executed = await fetch(getUrl(h, LIST), {
      headers: { ...headers, 'if-none-match': etag, 'cache-control': 'no-cache' },
    });
    expect(executed.status).toBe(304);
    const post = await fetch(h.gateway.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'if-none-match': `W/"other", ${etag}` },
      body: JSON.stringify({ query: LIST }),
    });
    expect(post.status).toBe(304);
    const stale = await fetch(getUrl(h, LIST), { headers: { ...headers, 'if-none-match': 'W/"other"' } });
    expect([stale.status, stale.headers.get('etag'), await stale.text()]).toEqual([200, etag, body]);
    // Mutations carry no validator.
    const mutation = await h.gql('mutation { hangupChannel(input: { id: "pbx1:nope" }) { hungUpChannelId } }');
    expect(mutation.errors![0].extensions!.code).toBe('NOT_FOUND');
  });
});

describe('public introspection (security.publicIntrospection: true)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ security: { publicIntrospection: true } });
  });
  afterAll(() => h?.close());

  it('introspection-only documents run without a key; anything else still gets 401', async () => {
    const post = (query: string) =>
      fetch(h.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
    const typename = await post('{ __typename }');
    expect([typename.status, await typename.json()]).toEqual([200, { data: { __typename: 'Query' } }]);
    const schema = await post('query { ...Q } fragment Q on Query { __schema { queryType { name } } }');
    expect((await schema.json()).data.__schema.queryType.name).toBe('Query');
    const mixed = await post('{ __typename backends { name } }');
    expect(mixed.status).toBe(401);
  });

  it('CSRF prevention still applies to keyless GETs (no preflight-forcing header: 400)', async () => {
    const simple = await fetch(getUrl(h, '{ __typename }'));
    expect(simple.status).toBe(400);
    const preflighted = await fetch(getUrl(h, '{ __typename }'), { headers: { 'apollo-require-preflight': 'true' } });
    expect([preflighted.status, await preflighted.json()]).toEqual([200, { data: { __typename: 'Query' } }]);
  });
});
