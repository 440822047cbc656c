/** The shared access policy, CORS origin matching and ETag validators, without sockets. */
import type { IncomingMessage } from 'node:http';
import { AccessPolicy, introspectionOnly } from '../../../src/api/policy';
import type { Authenticator } from '../../../src/auth/authenticator';
import type { Principal } from '../../../src/auth/principal';
import { RateLimiter } from '../../../src/auth/rate-limit';
import { defaultSecurity, type SecurityConfig } from '../../../src/config';
import { CorsPolicy } from '../../../src/http/cors';
import { etagOf, notModified } from '../../../src/http/etag';
import { GatewayMetrics } from '../../../src/observability/metrics';

const admin: Principal = {
  id: 'k1',
  name: 'a',
  role: 'ADMIN',
  scope: { all: true, accountIds: [], backends: [] },
  recipientId: null,
};
const auth: Authenticator = {
  authenticate: async (key) => (key === 'good' ? admin : null),
  isActive: async () => true,
  onRevoked: () => () => undefined,
};

function policy(security: Partial<SecurityConfig> = {}, burst = 2) {
  const metrics = new GatewayMetrics();
  const limiter = new RateLimiter({ capacity: burst, refillPerSecond: 1, now: () => 0 });
  return {
    metrics,
    p: new AccessPolicy({ auth, limiter, security: { ...defaultSecurity({}), ...security }, metrics }),
  };
}

describe('access policy', () => {
  it('authenticates: missing, malformed and unknown keys are refused 401 UNAUTHENTICATED alike', async () => {
    const { p } = policy();
    expect(await p.authenticate('Bearer good')).toEqual({ principal: admin });
    const refusals = await Promise.all([undefined, 'Basic abc', 'Bearer bad'].map((h) => p.authenticate(h)));
    expect(refusals.map((r) => ('refusal' in r ? [r.refusal.status, r.refusal.code, r.missing] : r))).toEqual([
      [401, 'UNAUTHENTICATED', true],
      [401, 'UNAUTHENTICATED', false],
      [401, 'UNAUTHENTICATED', false],
    ]);
  });

  it('rate limits per key (keyless requests per address) and counts each refusal once', async () => {
    const { p, metrics } = policy();
    expect([await p.rateLimit(admin, '1.2.3.4'), await p.rateLimit(admin, '5.6.7.8')]).toEqual([null, null]);
    expect(await p.rateLimit(admin, '1.2.3.4')).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      extensions: { retryAfterSeconds: 1 },
      headers: { 'retry-after': '1' },
    });
    expect(await p.rateLimit(null, '1.2.3.4')).toBeNull();
    expect(
      (await metrics.registry.getSingleMetric('patchbay_rate_limit_rejections_total')!.get()).values[0].value,
    ).toBe(1);
  });

  it('limits operations per connection and connections per key', async () => {
    const { p } = policy({ maxSubscriptionsPerConnection: 2, maxConnectionsPerKey: 1 }, 100);
    expect(await p.operationLimit(admin, 1)).toBeNull();
    expect(await p.operationLimit(admin, 2)).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'at most 2 operations per connection',
    });
    expect(p.connectionLimit(0)).toBeNull();
    expect(p.connectionLimit(1)).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('refuses deep nesting on both transports and subscriptions over HTTP only', () => {
    const { p } = policy();
    expect(p.documentRefusal(`{ a ${'{ b '.repeat(150)}${'}'.repeat(151)}`, 'ws')).toMatchObject({
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
    });
    expect(p.documentRefusal('subscription { channelEvents { type } }', 'http')).toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
    });
    expect(p.documentRefusal('subscription { channelEvents { type } }', 'ws')).toBeNull();
    expect(p.documentRefusal('{ channels { id } } # subscription', 'http')).toBeNull();
  });

  it('lets keyless introspection-only documents through only when config makes introspection public', () => {
    expect(policy().p.isPublicDocument('{ __typename }')).toBe(false);
    expect(policy({ publicIntrospection: true }).p.isPublicDocument('{ __typename }')).toBe(true);
    expect(policy({ publicIntrospection: true, introspection: false }).p.isPublicDocument('{ __typename }')).toBe(
      false,
    );
  });

  it('knows introspection-only documents, through fragments', () => {
    const yes = [
      '{ __typename }',
      '{ __schema { types { name } } }',
      'query { ...F } fragment F on Query { __type(name: "Channel") { name } }',
      '{ ... on Query { __typename } }',
    ];
    const no = [
      '{ __typename channels { id } }',
      'query { ...F } fragment F on Query { me { id } }',
      'mutation { __typename }',
      '{ ...Missing }',
      '{',
      '',
    ];
    for (const q of yes) expect([q, introspectionOnly(q)]).toEqual([q, true]);
    for (const q of no) expect([q, introspectionOnly(q)]).toEqual([q, false]);
  });
});

describe('CORS origins', () => {
  it('matches exact origins and :* ports, nothing looser', () => {
    const c = new CorsPolicy({ origins: ['https://app.example.com', 'http://localhost:*'] });
    expect(['https://app.example.com', 'http://localhost', 'http://localhost:5173'].map((o) => c.allows(o))).toEqual([
      true,
      true,
      true,
    ]);
    const refused = [
      'http://app.example.com',
      'https://app.example.com:8443',
      'http://localhost.evil.example',
      'http://localhost:5173.evil',
      'https://localhost:5173',
      'null',
    ];
    expect(refused.map((o) => c.allows(o))).toEqual(refused.map(() => false));
    expect(new CorsPolicy({ origins: '*' }).allows('https://anything.example')).toBe(true);
    expect(new CorsPolicy(undefined).enabled).toBe(false);
  });
});

describe('ETag', () => {
  const req = (h?: string) => ({ headers: h === undefined ? {} : { 'if-none-match': h } }) as IncomingMessage;
  it('a weak validator of the bytes; If-None-Match compares weakly, lists and * included', () => {
    const tag = etagOf(Buffer.from('{"data":{}}'));
    expect(tag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(etagOf(Buffer.from('{"data":{}}'))).toBe(tag);
    expect(etagOf(Buffer.from('{"data":{"a":1}}'))).not.toBe(tag);
    expect([req(tag), req(tag.slice(2)), req(`W/"x", ${tag}`), req('*')].map((r) => notModified(r, tag))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([req(), req('W/"x"'), req('')].map((r) => notModified(r, tag))).toEqual([false, false, false]);
  });
});
