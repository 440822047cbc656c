/** Which documents the response cache may keep, its version rule, and Accept-Encoding parsing. */
import { gunzipSync } from 'node:zlib';
import type { GraphQLObjectType } from 'graphql';
import type { Principal } from '../../../src/auth/principal';
import type { Channel } from '../../../src/domain/channel';
import { getSchema } from '../../../src/graphql/schema';
import {
  acceptsGzip,
  CACHEABLE_FIELDS,
  documentQualifies,
  encodedBody,
  requestPartsOf,
  requestPartsOfSearch,
  ResponseCache,
  UNCACHEABLE_CHANNEL_FIELDS,
} from '../../../src/graphql/response-cache';

const admin: Principal = {
  id: 'k1',
  name: 'a',
  role: 'ADMIN',
  scope: { all: true, accountIds: [], backends: [] },
  recipientId: null,
};

describe('response cache', () => {
  it('every Channel field is classified: cacheable (from the snapshot) or not (read from the backend)', async () => {
    const schema = await getSchema();
    const fields = Object.keys((schema.getType('Channel') as GraphQLObjectType).getFields());
    const unclassified = fields.filter(
      (f) => !CACHEABLE_FIELDS.has(`Channel.${f}`) && !UNCACHEABLE_CHANNEL_FIELDS.has(f),
    );
    expect(unclassified).toEqual([]);
    for (const f of UNCACHEABLE_CHANNEL_FIELDS) expect(CACHEABLE_FIELDS.has(`Channel.${f}`)).toBe(false);
  });

  it('qualifies only queries whose every field comes from the live view or config', async () => {
    const schema = await getSchema();
    const yes = [
      '{ channels { id name state caller { name number } backend { name kind url } } }',
      'query Q($id: ID!) { channel(id: $id) { id __typename dialplan { context exten } } }',
      'query { channels { ...F } } fragment F on Channel { id capabilities otherLeg { id } }',
      '{ channels { id name @include(if: true) } }',
    ];
    const no = [
      '{ channels { id rtpStats { rxCount } } }',
      '{ channels { id variable(name: "X") } }',
      '{ channels { id backend { health { connected } } } }',
      '{ backends { name } }',
      '{ channels { id } backends { name } }',
      'mutation { hangupChannel(input: { id: "pbx1:1" }) { hungUpChannelId } }',
      'subscription { channelEvents { type } }',
      '{ channels { id } ',
      'query { channels { ...F } } fragment F on Channel { id rtpStats { rxCount } }',
    ];
    for (const q of yes) expect([q, documentQualifies(schema, q)]).toEqual([q, true]);
    for (const q of no) expect([q, documentQualifies(schema, q)]).toEqual([q, false]);
  });

  it('an answer is kept only when the live view did not change while it ran, and served until it changes', async () => {
    const schema = await getSchema();
    let view: ReadonlyMap<string, Channel> | null = new Map();
    const cache = new ResponseCache({
      live: () => view,
      backends: () => ['pbx1'],
      schema,
      maxEntries: 10,
      maxBytes: 1 << 20,
    });
    const query = '{ channels { id } }';
    const key = cache.keyOf(admin, { query, operationName: null, variables: undefined }, '*/*')!;
    const answer = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"data":{"channels":[]}}'),
      operationName: null,
      etag: 'W/"x"',
    };

    const before = cache.version();
    view = new Map(); // an event arrived during execution
    expect(cache.store(key, query, before, answer)).toBe(false);

    expect(cache.store(key, query, cache.version(), answer)).toBe(true);
    expect(cache.lookup(key)?.body.toString()).toBe('{"data":{"channels":[]}}');
    view = new Map(); // the next event
    expect(cache.lookup(key)).toBeNull();
    expect(cache.stats().entries).toBe(0);

    view = null; // live view not trusted (disconnected, reconciling, not leader)
    expect(cache.store(key, query, cache.version(), answer)).toBe(false);
  });

  it('keys by role, reach, recipient, Accept, operation, variables and text; never by key id', async () => {
    const schema = await getSchema();
    const cache = new ResponseCache({
      live: () => null,
      backends: () => [],
      schema,
      maxEntries: 10,
      maxBytes: 1 << 20,
    });
    const parts = { query: '{ channels { id } }', operationName: null, variables: { a: 1 } };
    const k = (p: Principal, accept = '*/*', v: unknown = parts.variables) =>
      cache.keyOf(p, { ...parts, variables: v }, accept);
    expect(k({ ...admin, id: 'other key' })).toBe(k(admin));
    const viewer: Principal = { ...admin, role: 'VIEWER' };
    const scoped: Principal = { ...admin, scope: { all: false, accountIds: [], backends: ['pbx1'] } };
    const agent: Principal = { ...admin, role: 'AGENT', recipientId: 'kz:a/u' };
    const keys = [
      k(admin),
      k(viewer),
      k(scoped),
      k(agent),
      k(admin, 'application/graphql-response+json'),
      k(admin, '*/*', { a: 2 }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('evicts the oldest entries past maxEntries or maxBytes', async () => {
    const schema = await getSchema();
    const view = new Map();
    const cache = new ResponseCache({
      live: () => view,
      backends: () => ['pbx1'],
      schema,
      maxEntries: 2,
      maxBytes: 1 << 20,
    });
    const answer = { status: 200, headers: {}, body: Buffer.alloc(100), operationName: null, etag: 'W/"x"' };
    const keys = ['a', 'b', 'c'].map((v) =>
      cache.keyOf(admin, { query: '{ channels { id } }', operationName: null, variables: { v } }, '')!,
    );
    for (const key of keys) cache.store(key, '{ channels { id } }', cache.version(), answer);
    expect([cache.lookup(keys[0]), cache.lookup(keys[1]) !== null, cache.lookup(keys[2]) !== null]).toEqual([
      null,
      true,
      true,
    ]);
  });

  it('reads only plain POST bodies: query text, no persisted-query extensions', () => {
    expect(requestPartsOf({ query: '{ a }', variables: { x: 1 }, operationName: 'A' })).toEqual({
      query: '{ a }',
      variables: { x: 1 },
      operationName: 'A',
    });
    expect(requestPartsOf({ query: '{ a }', extensions: { persistedQuery: {} } })).toBeNull();
    expect(requestPartsOf({ query: 1 })).toBeNull();
    expect(requestPartsOf([{ query: '{ a }' }])).toBeNull();
    expect(requestPartsOf({ query: '{ a }', variables: [1] })).toBeNull();
    expect(requestPartsOf('{ a }')).toBeNull();
  });

  it('gzips for clients that accept it, once per kept answer', () => {
    expect(['gzip', 'gzip, deflate, br', 'br;q=1, GZIP;q=0.5', '*'].map(acceptsGzip)).toEqual([true, true, true, true]);
    expect([undefined, '', 'br', 'gzip;q=0', 'identity', 'deflate, gzip;q=0.0'].map(acceptsGzip)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    const answer = {
      status: 200,
      headers: {},
      body: Buffer.from(JSON.stringify({ data: { channels: Array(50).fill({ id: 'pbx1:1', name: 'PJSIP/alice' }) } })),
      operationName: null,
      etag: 'W/"x"',
      version: [],
    };
    const first = encodedBody(answer, 'gzip');
    expect(first.encoding).toBe('gzip');
    expect(gunzipSync(first.body).equals(answer.body)).toBe(true);
    expect(encodedBody(answer, 'gzip').body).toBe(first.body);
    expect(encodedBody(answer, 'br')).toEqual({ body: answer.body, encoding: null });
    const small = { ...answer, body: Buffer.from('{"data":{}}'), gzipped: undefined };
    expect(encodedBody(small, 'gzip').encoding).toBeNull();
  });

  it('reads GET query strings as POST bodies: query, operationName, variables as JSON', () => {
    const q = (s: string) => requestPartsOfSearch(new URLSearchParams(s));
    expect(q('query=%7B%20a%20%7D&operationName=A&variables=%7B%22x%22%3A1%7D')).toEqual({
      query: '{ a }',
      operationName: 'A',
      variables: { x: 1 },
    });
    expect(q('query=%7B%20a%20%7D')).toEqual({ query: '{ a }', operationName: null, variables: undefined });
    expect(q('query=%7B%20a%20%7D&variables=%7Bnope')).toBeNull();
    expect(q('query=%7B%20a%20%7D&extensions=%7B%7D')).toBeNull();
    expect(q('operationName=A')).toBeNull();
  });
});
