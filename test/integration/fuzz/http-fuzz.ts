/**
 * HTTP side of the fuzz: generated GraphQL requests (POST and GET) under the admin key, the
 * VIEWER key (for mutations: the call under protection must never be touched), a wrong key or
 * none; request bodies of the wrong shape, malformed JSON, wrong content types, bodies over the
 * 1 MB limit, bad GET parameters, other paths and methods, odd headers. Raw node:http, so
 * nothing is normalised on the way.
 */
import { Agent, request } from 'node:http';
import type { DocumentGenerator, GeneratedRequest } from './documents';
import type { Prng } from './prng';
import { randomAscii, randomJson, randomString } from './values';
import type { Tally } from './tally';

export interface RawRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface Keys {
  admin: string;
  viewer: string;
}

const JSON_TYPE = 'application/json';

function authHeader(rng: Prng, keys: Keys, mutation: boolean): Record<string, string> {
  const choice = rng.weighted<string>([
    [12, 'admin'],
    [3, 'viewer'],
    [3, 'wrong'],
    [2, 'none'],
    [1, 'malformed'],
  ]);
  // Mutations with the admin key could reach the protected call only through its id, which the
  // generators never produce; the VIEWER key is refused before any backend is touched.
  const key = choice === 'admin' && mutation && rng.chance(0.3) ? 'viewer' : choice;
  if (key === 'admin') return { authorization: `Bearer ${keys.admin}` };
  if (key === 'viewer') return { authorization: `Bearer ${keys.viewer}` };
  if (key === 'wrong')
    return {
      authorization: `Bearer ${rng.pick(['pb_nope', keys.admin.slice(0, -1) + 'X', 'x'.repeat(5000), randomAscii(rng, 60)])}`,
    };
  if (key === 'none') return {};
  return {
    authorization: rng.pick([
      'Bearer',
      'Bearer ',
      'Basic YXN0ZXJpc2s6YXN0ZXJpc2s=',
      'bearer lower',
      `Bearer ${keys.admin}, Bearer x`,
      'Token abc',
      '\t',
    ]),
  };
}

function postJson(g: GeneratedRequest, headers: Record<string, string>): RawRequest {
  return {
    kind: g.kind,
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': JSON_TYPE, ...headers },
    body: JSON.stringify({ query: g.query, variables: g.variables, operationName: g.operationName }),
  };
}

function getQuery(rng: Prng, g: GeneratedRequest, headers: Record<string, string>): RawRequest {
  const q = new URLSearchParams();
  q.set('query', g.query.slice(0, 6000));
  if (g.variables !== undefined) q.set('variables', rng.chance(0.8) ? JSON.stringify(g.variables) : '{not json');
  if (g.operationName) q.set('operationName', g.operationName);
  // Apollo's CSRF prevention wants a preflight-forcing header on GET; sometimes it is missing.
  const csrf: Record<string, string> = rng.chance(0.8) ? { 'apollo-require-preflight': 'true' } : {};
  return { kind: `GET ${g.kind}`, method: 'GET', path: `/graphql?${q}`, headers: { ...csrf, ...headers } };
}

/** Requests whose trouble is the HTTP envelope, not the document. */
function envelope(rng: Prng, keys: Keys, gen: DocumentGenerator): RawRequest {
  const auth = authHeader(rng, keys, false);
  const valid = JSON.stringify({ query: '{ me { id role } }' });
  return rng.weighted<() => RawRequest>([
    [
      4,
      () => ({
        kind: 'malformed JSON',
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': JSON_TYPE, ...auth },
        body: rng.pick([
          '{',
          '{"query": ',
          valid.slice(0, -3),
          '{"query": "{ me { id } }",}',
          "{'query': 1}",
          'nul',
          '\u0000',
          '[1,2',
          '"\\ud800"',
          randomString(rng),
        ]),
      }),
    ],
    [
      4,
      () => ({
        kind: 'wrong body shape',
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': JSON_TYPE, ...auth },
        body: JSON.stringify(
          rng.pick<unknown>([
            {},
            [],
            [{ query: '{ me { id } }' }],
            null,
            1,
            'x',
            { query: 1 },
            { query: null },
            { query: ['{ me { id } }'] },
            { query: '{ me { id } }', variables: 'x' },
            { query: '{ me { id } }', variables: [1] },
            { query: '{ me { id } }', operationName: 5 },
            { query: '{ me { id } }', extensions: 'x' },
            { query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } },
            { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
            randomJson(rng),
          ]),
        ),
      }),
    ],
    [
      3,
      () => ({
        kind: 'wrong content type',
        method: 'POST',
        path: '/graphql',
        headers: {
          'content-type': rng.pick([
            'text/plain',
            'application/graphql',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=utf-16',
            'application/jsonx',
            '',
            'image/png',
          ]),
          ...auth,
        },
        body: rng.pick([valid, '{ me { id } }', 'query=%7B%20me%20%7B%20id%20%7D%20%7D', randomString(rng)]),
      }),
    ],
    [1, () => ({ kind: 'no content type', method: 'POST', path: '/graphql', headers: { ...auth }, body: valid })],
    [
      3,
      () => ({
        kind: 'GET bad params',
        method: 'GET',
        path: `/graphql?${rng.pick(['', 'query=', 'query={', 'query=%7B%20me%20%7B%20id%20%7D%20%7D&variables=%7Bx', 'query=%7B%20me%20%7B%20id%20%7D%20%7D&extensions=nope', 'query=mutation%7BhangupChannel(input:%7Bid:%22pbx1:1%22%7D)%7D', 'query=a&query=b', '%%%', 'query=%E0%A4%A', `query=${'%7B'.repeat(3000)}`, 'variables=%7B%7D', 'operationName=X'])}`,
        headers: { 'apollo-require-preflight': 'true', ...auth },
      }),
    ],
    [
      2,
      () => ({
        kind: 'other method',
        method: rng.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']),
        path: '/graphql',
        headers: { 'content-type': JSON_TYPE, ...auth },
        body: valid,
      }),
    ],
    [
      2,
      () => ({
        kind: 'other path',
        method: rng.pick(['GET', 'POST']),
        path: rng.pick([
          '/',
          '/nope',
          '/graphql/',
          '/GRAPHQL',
          '/graphql/../healthz',
          '//graphql',
          '/healthz?x=1',
          '/metrics',
          '/%00',
          `/${'a'.repeat(5000)}`,
        ]),
        headers: { ...auth },
        body: undefined,
      }),
    ],
    [
      1,
      () => ({
        kind: 'ops path, wrong method',
        method: rng.pick(['POST', 'PUT', 'DELETE']),
        path: rng.pick(['/healthz', '/readyz', '/metrics']),
        headers: { ...auth },
        body: valid,
      }),
    ],
    [
      2,
      () => ({
        kind: 'odd headers',
        method: 'POST',
        path: '/graphql',
        headers: {
          'content-type': JSON_TYPE,
          ...auth,
          'x-request-id': rng.pick(['', 'a'.repeat(500), '../x', 'id with spaces', '\t']),
          accept: rng.pick([
            'text/html',
            'multipart/mixed; subscriptionSpec=1.0',
            'multipart/mixed; deferSpec=20220824',
            'application/graphql-response+json',
            '*/*',
            'nope',
          ]),
        },
        body: JSON.stringify({ query: gen.next().query }),
      }),
    ],
    [
      1,
      () => ({
        kind: 'subscription over HTTP',
        method: 'POST',
        path: '/graphql',
        headers: {
          'content-type': JSON_TYPE,
          accept: rng.pick(['multipart/mixed; subscriptionSpec=1.0', JSON_TYPE]),
          ...auth,
        },
        body: JSON.stringify({ query: 'subscription { channelEvents { __typename cursor } }' }),
      }),
    ],
  ])();
}

/** Bodies over the 1 MB limit: 413 below 16 MB, the connection cut above. */
export function oversized(keys: Keys): RawRequest[] {
  const auth = { authorization: `Bearer ${keys.admin}` };
  const big = (n: number) => JSON.stringify({ query: `{ me { id } } #${'x'.repeat(n)}` });
  return [
    {
      kind: 'oversized 1.1 MB',
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': JSON_TYPE, ...auth },
      body: big(1_100_000),
    },
    {
      kind: 'oversized 4 MB',
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': JSON_TYPE, ...auth },
      body: big(4_000_000),
    },
    {
      kind: 'oversized 1.5 MB no key',
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': JSON_TYPE },
      body: big(1_500_000),
    },
    {
      kind: 'oversized 1.2 MB text',
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'text/plain', ...auth },
      body: 'x'.repeat(1_200_000),
    },
    {
      kind: 'oversized 17 MB',
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': JSON_TYPE, ...auth },
      body: Buffer.alloc(17_000_000, 0x20),
    },
    {
      kind: 'exactly 1 MB',
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': JSON_TYPE, ...auth },
      body: JSON.stringify({ query: `{ me { id } } #${'x'.repeat(1_000_000 - 29)}` }),
    },
  ];
}

export function httpCase(rng: Prng, keys: Keys, gen: DocumentGenerator): RawRequest {
  const kind = rng.weighted<'post' | 'get' | 'envelope'>([
    [70, 'post'],
    [10, 'get'],
    [20, 'envelope'],
  ]);
  if (kind === 'envelope') return envelope(rng, keys, gen);
  const g = gen.next();
  const headers = authHeader(rng, keys, g.mutation);
  return kind === 'get' ? getQuery(rng, g, headers) : postJson(g, headers);
}

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

export function send(agent: Agent, origin: string, r: RawRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${origin}${r.path}`,
      {
        method: r.method,
        agent,
        headers:
          r.body !== undefined ? { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) } : r.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(20_000, () => req.destroy(new Error('no answer within 20 s')));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Records one answer: status counts, 5xx, and every GraphQL error's code. */
export function judge(t: Tally, r: RawRequest, a: Answer): void {
  t.count(t.byStatus, a.status);
  const input = `${r.method} ${r.path.slice(0, 300)} [${r.kind}] ${typeof r.body === 'string' ? r.body : r.body ? `<${r.body.length} bytes>` : ''}`;
  if (a.status >= 500) {
    t.http5xx++;
    t.find(`HTTP ${a.status}`, input, a.body);
  }
  if (!a.contentType.includes('json') || r.method === 'HEAD') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(a.body);
  } catch {
    return t.find('JSON content type but the body does not parse', input, a.body);
  }
  if (parsed && typeof parsed === 'object' && 'errors' in parsed)
    t.checkErrors((parsed as { errors: unknown }).errors, input, 'HTTP');
}
