/** KazooClient/CrossbarHttp against a raw node:http server: auth, renewal, paging, errors, transport. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KazooClient } from '../../../src/backends/kazoo/client';
import { BackendError } from '../../../src/domain/errors';
import { invalidCredentials, jwt, ok, send, startFakeCrossbar, type FakeCrossbar, type Seen } from './fake-crossbar';

const ACCOUNT = 'a'.repeat(32);
const API_KEY = 'k'.repeat(64);

let fake: FakeCrossbar;
let client: KazooClient;
let issued: string[];

function issue(expSeconds = Math.floor(Date.now() / 1000) + 3600): string {
  const t = jwt({ account_id: ACCOUNT, exp: expSeconds, n: issued.length + 1 });
  issued.push(t);
  return t;
}

function authCalls(): Seen[] {
  return fake.seen.filter((s) => s.path === '/v2/api_auth' || s.path === '/v2/user_auth');
}

function apiCalls(): Seen[] {
  return fake.seen.filter((s) => !s.path.endsWith('_auth'));
}

/** Default handler: api_auth issues tokens; the channels list accepts any issued token in `valid`. */
function standard(valid: (token: string) => boolean = (t) => issued.includes(t)) {
  return (req: Seen, res: http.ServerResponse) => {
    if (req.path === '/v2/api_auth') return ok(res, { account_id: ACCOUNT }, { auth_token: issue() }, 201);
    if (!valid(String(req.headers['x-auth-token']))) return send(res, 401, invalidCredentials);
    return ok(res, [{ uuid: 'c1' }]);
  };
}

function newClient(extra: Partial<ConstructorParameters<typeof KazooClient>[0]> = {}): KazooClient {
  return new KazooClient({ backend: 'kz1', baseUrl: fake.url, timeoutMs: 2000, apiKey: API_KEY, ...extra });
}

beforeEach(async () => {
  issued = [];
  fake = await startFakeCrossbar(standard());
  client = newClient();
});

afterEach(async () => {
  client.close();
  await fake.close();
});

describe('token acquisition and reuse', () => {
  it('PUT /v2/api_auth with the key, then the token on each request, reused', async () => {
    await client.accountChannels(ACCOUNT, {});
    await client.accountChannels(ACCOUNT, {});
    expect(fake.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'PUT /v2/api_auth',
      `GET /v2/accounts/${ACCOUNT}/channels`,
      `GET /v2/accounts/${ACCOUNT}/channels`,
    ]);
    expect(fake.seen[0].body).toEqual({ data: { api_key: API_KEY } });
    expect(fake.seen[0].headers['content-type']).toBe('application/json');
    expect(fake.seen[1].headers['x-auth-token']).toBe(issued[0]);
    expect(fake.seen[2].headers['x-auth-token']).toBe(issued[0]);
    expect(client.http.tokens.acquisitions).toBe(1);
  });

  it('PUT /v2/user_auth with md5("user:password", lower-cased user) and the account name', async () => {
    client.close();
    fake.handle = (req, res) => {
      if (req.path === '/v2/user_auth')
        return ok(res, { account_id: ACCOUNT, owner_id: 'o'.repeat(32) }, { auth_token: issue() }, 201);
      return ok(res, []);
    };
    client = newClient({
      apiKey: undefined,
      credentials: { username: 'Alice', password: 'Secret1', accountName: 'Acme Corp' },
    });
    await client.recipients(ACCOUNT, {});
    expect(fake.seen[0].method).toBe('PUT');
    expect(fake.seen[0].path).toBe('/v2/user_auth');
    expect(fake.seen[0].body).toEqual({
      data: { credentials: 'f8c12b1e983d177dbe72e32bd384c791', account_name: 'Acme Corp', method: 'md5' },
    });
    expect(client.http.tokens.tokenAccountId).toBe(ACCOUNT);
  });

  it('renews before exp: a token whose refresh time passed is not used again', async () => {
    client.close();
    let now = Date.now();
    client = newClient({ now: () => now, refreshMarginMs: 60_000 });
    await client.accountChannels(ACCOUNT, {});
    now += 3_600_000 - 59_000; // inside the last minute of the hour-long token
    await client.accountChannels(ACCOUNT, {});
    expect(authCalls()).toHaveLength(2);
    expect(apiCalls().map((s) => s.headers['x-auth-token'])).toEqual([issued[0], issued[1]]);
  });

  it('concurrent requests share one in-flight auth', async () => {
    const base = fake.handle;
    fake.handle = async (req, res) => {
      if (req.path === '/v2/api_auth') await new Promise((r) => setTimeout(r, 30));
      return base(req, res);
    };
    await Promise.all(Array.from({ length: 10 }, () => client.accountChannels(ACCOUNT, {})));
    expect(authCalls()).toHaveLength(1);
    expect(apiCalls()).toHaveLength(10);
    expect(new Set(apiCalls().map((s) => s.headers['x-auth-token']))).toEqual(new Set([issued[0]]));
  });
});

describe('401 handling', () => {
  it('renews once on a 401 and retries with the new token', async () => {
    fake.handle = standard((t) => t !== issued[0] && issued.includes(t));
    const list = await client.accountChannels(ACCOUNT, {});
    expect(list).toEqual([{ uuid: 'c1' }]);
    expect(fake.seen.map((s) => `${s.method} ${s.path} ${s.headers['x-auth-token'] ?? '-'}`)).toEqual([
      'PUT /v2/api_auth -',
      `GET /v2/accounts/${ACCOUNT}/channels ${issued[0]}`,
      'PUT /v2/api_auth -',
      `GET /v2/accounts/${ACCOUNT}/channels ${issued[1]}`,
    ]);
  });

  it('a second 401 surfaces as BACKEND_AUTH_FAILED (no loop)', async () => {
    fake.handle = standard(() => false);
    const err = await client.accountChannels(ACCOUNT, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toMatchObject({
      code: 'BACKEND_AUTH_FAILED',
      backendStatus: 401,
      backendMessage: 'invalid_credentials',
      backend: 'kz1',
    });
    expect(authCalls()).toHaveLength(2);
    expect(apiCalls()).toHaveLength(2);
  });

  it('concurrent 401s on one token renew once', async () => {
    fake.handle = standard((t) => t !== issued[0] && issued.includes(t));
    await client.accountChannels(ACCOUNT, {}); // acquires #1, 401, renews to #2
    expect(authCalls()).toHaveLength(2);
    fake.seen.length = 0;
    fake.handle = standard((t) => t !== issued[1] && issued.includes(t));
    await Promise.all(Array.from({ length: 5 }, () => client.accountChannels(ACCOUNT, {})));
    expect(authCalls()).toHaveLength(1);
  });

  it('a refused api key is BACKEND_AUTH_FAILED and the key is not echoed', async () => {
    fake.handle = (req, res) =>
      send(res, 404, { data: [API_KEY], error: '404', message: 'bad identifier', status: 'error' });
    const err = (await client.accountChannels(ACCOUNT, {}).catch((e: unknown) => e)) as BackendError;
    expect(err.code).toBe('BACKEND_AUTH_FAILED');
    expect(err.backendStatus).toBe(404);
    expect(err.backendMessage).toBe('bad identifier');
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(API_KEY);
    expect(apiCalls()).toHaveLength(0);
  });

  it('GET /v2/websockets goes without a token and without auth', async () => {
    fake.handle = (req, res) => ok(res, { call: ['call.CHANNEL_CREATE.{CALL_ID}'] });
    expect(await client.websocketCatalogue({})).toEqual({ call: ['call.CHANNEL_CREATE.{CALL_ID}'] });
    expect(fake.seen).toHaveLength(1);
    expect(fake.seen[0].headers['x-auth-token']).toBeUndefined();
  });
});

describe('envelope errors over the wire', () => {
  it('400 validation → BAD_USER_INPUT with field messages; body sent as {data:{...}}', async () => {
    fake.handle = (req, res) => {
      if (req.path === '/v2/api_auth') return ok(res, {}, { auth_token: issue() }, 201);
      send(res, 400, {
        data: { target: { required: { message: 'No target destination specified' } } },
        error: '400',
        message: 'validation error',
        status: 'error',
      });
    };
    const err = (await client
      .channelAction(ACCOUNT, 'c@1', { action: 'transfer' }, {})
      .catch((e: unknown) => e)) as BackendError;
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.backendStatus).toBe(400);
    expect(err.backendMessage).toBe('validation error');
    expect(err.details.validation).toEqual([
      { field: 'target', rule: 'required', message: 'No target destination specified' },
    ]);
    const post = apiCalls()[0];
    expect(post.method).toBe('POST');
    expect(post.path).toBe(`/v2/accounts/${ACCOUNT}/channels/c%401`);
    expect(post.body).toEqual({ data: { action: 'transfer' } });
  });

  it('404 → NOT_FOUND; 409 → CONFLICT; 503 → BACKEND_UNAVAILABLE', async () => {
    const answers = [
      [404, { data: ['c1'], error: '404', message: 'bad identifier', status: 'error' }],
      [409, { data: {}, error: '409', message: 'conflicting documents', status: 'error' }],
      [503, { data: {}, error: '503', message: 'datastore timeout', status: 'error' }],
    ] as const;
    let i = 0;
    fake.handle = (req, res) => {
      if (req.path === '/v2/api_auth') return ok(res, {}, { auth_token: issue() }, 201);
      const [status, body] = answers[i++];
      send(res, status, body);
    };
    const codes: string[] = [];
    for (let k = 0; k < 3; k++) {
      const e = (await client.channel(ACCOUNT, 'c1', {}).catch((x: unknown) => x)) as BackendError;
      codes.push(`${e.code} ${e.backendStatus} ${e.backendMessage}`);
    }
    expect(codes).toEqual([
      'NOT_FOUND 404 bad identifier',
      'CONFLICT 409 conflicting documents',
      'BACKEND_UNAVAILABLE 503 datastore timeout',
    ]);
  });
});

describe('request details', () => {
  it('X-Request-ID from the call context on auth and API requests', async () => {
    await client.accountChannels(ACCOUNT, { requestId: 'req-123' });
    expect(fake.seen.map((s) => s.headers['x-request-id'])).toEqual(['req-123', 'req-123']);
  });

  it('follows next_start_key until it is absent', async () => {
    fake.handle = (req, res) => {
      if (req.path === '/v2/api_auth') return ok(res, {}, { auth_token: issue() }, 201);
      const start = req.query.get('start_key');
      if (start === null) return ok(res, [{ id: '1' }, { id: '2' }], { page_size: 2, next_start_key: 'g2wAAA-x' });
      if (start === 'g2wAAA-x')
        return ok(res, [{ id: '3' }, { id: '4' }], { page_size: 2, start_key: start, next_start_key: 'g2wAAA-y' });
      return ok(res, [{ id: '5' }], { page_size: 1, start_key: start });
    };
    const all = await client.recipients(ACCOUNT, {});
    expect(all.map((r) => r.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(apiCalls().map((s) => s.query.get('start_key'))).toEqual([null, 'g2wAAA-x', 'g2wAAA-y']);
    // The recipients listing asks for no paging; this server pages anyway and still comes back whole.
    expect(apiCalls().map((s) => s.query.get('paginate'))).toEqual(['false', 'false', 'false']);
  });

  it('recipients: one GET with paginate=false when the server honours it', async () => {
    fake.handle = (req, res) => {
      if (req.path === '/v2/api_auth') return ok(res, {}, { auth_token: issue() }, 201);
      if (req.query.get('paginate') !== 'false')
        return ok(res, [{ id: '1' }], { page_size: 1, next_start_key: 'more' });
      return ok(res, [{ id: '1' }, { id: '2' }, { id: '3' }]);
    };
    expect((await client.recipients(ACCOUNT, {})).map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(apiCalls().map((s) => `${s.method} ${s.path}?${s.query.toString()}`)).toEqual([
      `GET /v2/accounts/${ACCOUNT}/qubicle_recipients?paginate=false`,
    ]);
  });

  it('channel listings (not view-backed) send no paging parameters', async () => {
    await client.accountChannels(ACCOUNT, {});
    expect(apiCalls().map((s) => s.query.toString())).toEqual(['']);
  });

  it('stops after maxPages when every page names a new next_start_key', async () => {
    client.close();
    client = newClient({ maxPages: 3 });
    let n = 0;
    fake.handle = (req, res) => {
      if (req.path === '/v2/api_auth') return ok(res, {}, { auth_token: issue() }, 201);
      n++;
      ok(res, [{ id: String(n) }], { page_size: 1, next_start_key: `k${n}` });
    };
    expect((await client.recipients(ACCOUNT, {})).map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(apiCalls()).toHaveLength(3);
  });

  it('a server that repeats next_start_key does not loop', async () => {
    fake.handle = (req, res) => {
      if (req.path === '/v2/api_auth') return ok(res, {}, { auth_token: issue() }, 201);
      ok(res, [{ id: 'x' }], { next_start_key: 'same' });
    };
    expect(await client.recipients(ACCOUNT, {})).toHaveLength(2);
    expect(apiCalls()).toHaveLength(2);
  });

  it('keeps one connection alive across sequential requests', async () => {
    for (let i = 0; i < 5; i++) await client.accountChannels(ACCOUNT, {});
    expect(fake.connections).toBe(1);
  });
});

describe('transport failures', () => {
  it('a pooled socket the server dropped is retried once on a fresh one', async () => {
    await client.accountChannels(ACCOUNT, {}); // auth + GET on one kept-alive socket
    const base = fake.handle;
    let dropped = 0;
    fake.handle = (req, res) => {
      // The next request arrives on the reused socket: reset it without answering, once.
      if (dropped === 0) {
        dropped++;
        res.socket?.destroy();
        return;
      }
      return base(req, res);
    };
    expect(await client.accountChannels(ACCOUNT, {})).toEqual([{ uuid: 'c1' }]);
    expect(dropped).toBe(1);
    expect(fake.connections).toBe(2);
  });

  it('timeout → BACKEND_UNAVAILABLE without a backend status', async () => {
    client.close();
    client = newClient({ timeoutMs: 100 });
    fake.handle = (req, res) => {
      if (req.path === '/v2/api_auth') return ok(res, {}, { auth_token: issue() }, 201);
      // never answer
    };
    const err = (await client.accountChannels(ACCOUNT, {}).catch((e: unknown) => e)) as BackendError;
    expect(err.code).toBe('BACKEND_UNAVAILABLE');
    expect(err.backendStatus).toBeUndefined();
    expect(err.message).toBe(`KAZOO GET /accounts/${ACCOUNT}/channels failed: no answer within 100 ms`);
  });

  it('connection refused → BACKEND_UNAVAILABLE', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const c = new KazooClient({
      backend: 'kz1',
      baseUrl: `http://127.0.0.1:${port}/v2`,
      timeoutMs: 1000,
      apiKey: API_KEY,
    });
    const err = (await c.accountChannels(ACCOUNT, {}).catch((e: unknown) => e)) as BackendError;
    c.close();
    expect(err.code).toBe('BACKEND_UNAVAILABLE');
    expect(err.message).toBe('KAZOO PUT /api_auth failed: connection refused');
  });

  it('a 2xx that is not JSON → BACKEND_UNAVAILABLE', async () => {
    fake.handle = (req, res) => {
      if (req.path === '/v2/api_auth') return ok(res, {}, { auth_token: issue() }, 201);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy</html>');
    };
    const err = (await client.accountChannels(ACCOUNT, {}).catch((e: unknown) => e)) as BackendError;
    expect(err.code).toBe('BACKEND_UNAVAILABLE');
    expect(err.backendStatus).toBe(200);
  });
});
