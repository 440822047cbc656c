/**
 * Issue 5, limits: per-key rate limit (HTTP 429 + Retry-After, ws RATE_LIMITED), subscriptions
 * per connection, connections per key, query shape limits (QUERY_TOO_COMPLEX) and introspection
 * switched off, over HTTP and graphql-ws. One small gateway with tight `security` settings.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startHarness, subscribe, waitFor, type Harness } from '../../helpers/gateway-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    simulators: 1,
    security: {
      rateLimit: { burst: 5, perSecond: 1 },
      maxSubscriptionsPerConnection: 2,
      maxConnectionsPerKey: 2,
      introspection: false,
      maxDepth: 5,
      maxAliases: 3,
      maxCost: 300,
    },
  });
}, 20_000);
afterAll(() => h?.close());

const DEEP =
  '{ channels { backend { health { lastError } } dialplan { context } } events(first: 1) { edges { node { backend { health { connected } } } } } }';
const ALIASES = '{ a: me { id } b: me { id } c: me { id } d: me { id } }';
const COSTLY = '{ events(first: 500) { edges { cursor node { cursor raw occurredAt receivedAt } } } }';
const INTROSPECTION = '{ __schema { types { name } } }';

/** A client that reports its close code (connection refused → 4403). */
function client(key: string): { c: Client; closed: () => number | undefined } {
  let code: number | undefined;
  const c = createClient({
    url: h.gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    // Refusals are what these tests look for: reported through `closed`, not the console.
    onNonLazyError: () => undefined,
    connectionParams: { authorization: `Bearer ${key}` },
    on: { closed: (e) => void (code = (e as { code: number }).code) },
  });
  return { c, closed: () => code };
}

async function wsResult(
  c: Client,
  query: string,
): Promise<{ data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const s = subscribe(c, query);
  await waitFor(() => s.items.length > 0 || s.failure !== undefined || s.completed, `ws result of ${query}`);
  if (s.failure) return { errors: (Array.isArray(s.failure) ? s.failure : [s.failure]) as never };
  return s.items[0] as never;
}

describe('rate limit per key', () => {
  it('HTTP: past the burst, 429 RATE_LIMITED with Retry-After; other keys are unaffected', async () => {
    const key = await h.keyFor('VIEWER', { backends: ['pbx1'] });
    const auth = { authorization: `Bearer ${key}` };
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const res = await fetch(h.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ query: '{ me { role } }' }),
      });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
      else await res.text();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited!.json()).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^rate limit exceeded; retry after \d+ s$/),
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Number(limited!.headers.get('retry-after')) },
        },
      ],
    });
    expect((await h.gql('{ me { role } }')).status).toBe(200);
  });

  it('graphql-ws: operations past the burst are refused RATE_LIMITED', async () => {
    const key = await h.keyFor('VIEWER', { backends: ['pbx1'] });
    const { c } = client(key);
    const codes: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await wsResult(c, '{ me { role } }');
      codes.push(r.errors ? r.errors[0].extensions?.code : 'ok');
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED']);
    await c.dispose();
  });
});

describe('connection limits', () => {
  it('subscriptions per connection: the third is refused RATE_LIMITED, the first two keep running', async () => {
    const key = await h.keyFor('VIEWER', { backends: ['pbx1'] });
    const { c } = client(key);
    const subs = [0, 1, 2].map(() => subscribe(c, 'subscription { channelEvents { cursor } }'));
    await waitFor(() => subs[2].items.length > 0 || subs[2].failure !== undefined, 'third subscription answered');
    const refused = subs[2].failure ?? subs[2].items[0].errors;
    expect(refused).toEqual([
      expect.objectContaining({ message: 'at most 2 operations per connection', extensions: { code: 'RATE_LIMITED' } }),
    ]);
    expect([subs[0].failure, subs[0].items, subs[1].failure, subs[1].items]).toEqual([undefined, [], undefined, []]);
    await c.dispose();
  });

  it('connections per key: the third socket is refused with 4403; another key still connects', async () => {
    const key = await h.keyFor('VIEWER', { backends: ['pbx1'] });
    const open = [client(key), client(key)];
    for (const o of open) expect((await wsResult(o.c, '{ me { role } }')).data).toEqual({ me: { role: 'VIEWER' } });
    const third = client(key);
    await waitFor(() => third.closed(), 'third socket closed');
    expect(third.closed()).toBe(4403);
    const other = client(await h.keyFor('VIEWER', { backends: ['pbx1'] }));
    expect((await wsResult(other.c, '{ me { role } }')).data).toEqual({ me: { role: 'VIEWER' } });
    await Promise.all([...open, third, other].map((o) => o.c.dispose()));
  });

  it('graphql-ws without a valid key: connection refused with 4403', async () => {
    for (const key of ['', 'pbk_nosuchkey_0123456789abcdefghijklmnopqrstuvwxyz']) {
      const o = client(key);
      await waitFor(() => o.closed(), 'refused');
      expect(o.closed()).toBe(4403);
      await o.c.dispose();
    }
  });
});

describe('query shape limits and introspection', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['too deep', DEEP, /depth/i],
    ['too many aliases', ALIASES, /alias/i],
    ['too costly', COSTLY, /cost/i],
  ];

  it.each(cases)('graphql-ws: %s → QUERY_TOO_COMPLEX', async (_name, query, message) => {
    const { c } = client(await h.keyFor('ADMIN', { backends: ['pbx1'] }));
    const r = await wsResult(c, query);
    expect(r.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(message), extensions: { code: 'QUERY_TOO_COMPLEX' } }),
    ]);
    await c.dispose();
  });

  it('graphql-ws: introspection is refused when switched off', async () => {
    const { c } = client(await h.keyFor('ADMIN', { backends: ['pbx1'] }));
    const r = await wsResult(c, INTROSPECTION);
    expect(r.data).toBeUndefined();
    expect(r.errors![0].message).toMatch(/introspection/i);
    await c.dispose();
  });

  it('HTTP: introspection is refused when switched off', async () => {
    const r = await h.gql(INTROSPECTION, undefined, {
      authorization: `Bearer ${await h.keyFor('ADMIN', { backends: ['pbx1'] })}`,
    });
    expect(r.status).toBe(400);
    expect(r.data).toBeUndefined();
    expect(r.errors![0].message).toMatch(/introspection/i);
  });

  it.each(cases)('HTTP: %s → 400, refused before execution', async (_name, query, message) => {
    const r = await h.gql(query, undefined, {
      authorization: `Bearer ${await h.keyFor('ADMIN', { backends: ['pbx1'] })}`,
    });
    expect([r.status, r.data, r.errors?.length]).toEqual([400, undefined, 1]);
    expect(r.errors![0].message).toMatch(message);
  });

  it.each(cases)('HTTP: %s → code QUERY_TOO_COMPLEX', async (_name, query) => {
    const r = await h.gql(query, undefined, {
      authorization: `Bearer ${await h.keyFor('ADMIN', { backends: ['pbx1'] })}`,
    });
    expect(r.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX' });
  });
});
