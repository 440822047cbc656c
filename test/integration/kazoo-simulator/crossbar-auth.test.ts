import { fromBase64url } from '../../../src/simulators/kazoo/wire';
import { type KazooSimulator, startKazooSimulator } from '../../../src/simulators/kazoo';
import { HEX32, ISO_SECONDS, apiToken, call } from './helpers';

describe('KAZOO simulator: Crossbar envelope and authentication', () => {
  let sim: KazooSimulator;
  beforeAll(async () => {
    sim = await startKazooSimulator({ tokenTtlSeconds: 600 });
  });
  afterAll(() => sim.close());

  const acme = () => sim.world.customerAccount!;
  const master = () => sim.world.superduperAccount;

  describe('PUT /v2/api_auth', () => {
    it('answers 201 with a JWT-shaped token and the account data', async () => {
      const r = await call(sim, 'PUT', '/api_auth', { body: { data: { api_key: acme().apiKey } } });
      expect(r.status).toBe(201);
      expect(r.body.status).toBe('success');
      expect(r.body.auth_token.split('.')).toHaveLength(3);
      expect(r.headers.get('x-auth-token')).toBe(r.body.auth_token);
      expect(r.body.data).toEqual({
        account_id: acme().id,
        account_name: 'Acme Corp',
        apps: [],
        is_master_account: false,
        is_reseller: false,
        language: 'en-us',
        reseller_id: master().id,
      });
      expect(r.body.data.owner_id).toBeUndefined();
      const claims = JSON.parse(fromBase64url(r.body.auth_token.split('.')[1]).toString());
      expect(claims).toMatchObject({ account_id: acme().id, method: 'cb_api_auth', iss: 'kazoo' });
      const now = Math.floor(Date.now() / 1000);
      expect(claims.exp).toBeGreaterThanOrEqual(now + 598);
      expect(claims.exp).toBeLessThanOrEqual(now + 601);
    });

    it('answers 404 bad identifier with the key in a data array for an unknown key', async () => {
      const key = 'f'.repeat(64);
      const r = await call(sim, 'PUT', '/api_auth', { body: { data: { api_key: key } } });
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({
        error: '404',
        message: 'bad identifier',
        status: 'error',
        data: [key],
        auth_token: 'undefined',
      });
    });

    it('answers a 400 validation error for a key of the wrong length', async () => {
      const r = await call(sim, 'PUT', '/api_auth', { body: { data: { api_key: 'short' } } });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('400');
      expect(r.body.message).toBe('validation error');
      expect(r.body.data).toEqual({
        api_key: { minLength: { message: 'String must be at least 64 characters', target: 64, value: 'short' } },
      });
    });

    it('answers 400 required when api_key is missing', async () => {
      const r = await call(sim, 'PUT', '/api_auth', { body: { data: {} } });
      expect(r.status).toBe(400);
      expect(r.body.data).toEqual({ api_key: { required: { message: 'Field is required but missing' } } });
    });
  });

  describe('PUT /v2/user_auth', () => {
    it('accepts md5 of the lower-cased "user:password" with the account name', async () => {
      const olivia = sim.world.users.find((u) => u.username === 'olivia.owner')!;
      const credentials = sim.credentialsFor('Olivia.Owner', olivia.password);
      const r = await call(sim, 'PUT', '/user_auth', { body: { data: { credentials, account_name: 'Acme Corp' } } });
      expect(r.status).toBe(201);
      expect(r.body.data).toMatchObject({ account_id: acme().id, owner_id: olivia.id, language: 'en-us' });
      const claims = JSON.parse(fromBase64url(r.body.auth_token.split('.')[1]).toString());
      expect(claims).toMatchObject({ account_id: acme().id, owner_id: olivia.id, method: 'cb_user_auth' });
    });

    it('normalises the account name (only [a-z0-9] kept, lower-cased)', async () => {
      const olivia = sim.world.users.find((u) => u.username === 'olivia.owner')!;
      const credentials = sim.credentialsFor(olivia.username, olivia.password);
      const r = await call(sim, 'PUT', '/user_auth', { body: { data: { credentials, account_name: 'ACME-corp' } } });
      expect(r.status).toBe(201);
    });

    it('answers 401 invalid_credentials for a wrong hash', async () => {
      const r = await call(sim, 'PUT', '/user_auth', {
        body: { data: { credentials: 'a'.repeat(32), account_name: 'Acme Corp' } },
      });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({
        error: '401',
        message: 'invalid_credentials',
        data: { message: 'invalid credentials' },
        status: 'error',
      });
    });

    it('answers 400 not_found for an unknown account name', async () => {
      const r = await call(sim, 'PUT', '/user_auth', {
        body: { data: { credentials: 'a'.repeat(32), account_name: 'Nope Inc' } },
      });
      expect(r.status).toBe(400);
      expect(r.body.data).toEqual({
        account_name: { not_found: { message: 'The provided account name could not be found', cause: 'nopeinc' } },
      });
    });

    it('answers 401 when no account locator is given', async () => {
      const r = await call(sim, 'PUT', '/user_auth', { body: { data: { credentials: 'a'.repeat(32) } } });
      expect(r.status).toBe(401);
      expect(r.body.message).toBe('invalid_credentials');
    });
  });

  describe('tokens on protected endpoints', () => {
    it('401 with the exact body for a missing token', async () => {
      const r = await call(sim, 'GET', `/accounts/${acme().id}/channels`);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({
        auth_token: 'undefined',
        data: { message: 'invalid credentials' },
        error: '401',
        message: 'invalid_credentials',
        status: 'error',
      });
    });

    it('401 for a garbage token', async () => {
      const r = await call(sim, 'GET', `/accounts/${acme().id}/channels`, { token: 'not-a-jwt' });
      expect(r.status).toBe(401);
      expect(r.body.auth_token).toBe('not-a-jwt');
    });

    it('accepts Authorization: Bearer and ?auth_token=', async () => {
      const token = await apiToken(sim, acme());
      const bearer = await call(sim, 'GET', `/accounts/${acme().id}/channels`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(bearer.status).toBe(200);
      const q = await call(sim, 'GET', `/accounts/${acme().id}/channels?auth_token=${encodeURIComponent(token)}`);
      expect(q.status).toBe(200);
    });

    it('401 when X-Auth-Account-ID differs from the token account', async () => {
      const token = await apiToken(sim, acme());
      const r = await call(sim, 'GET', `/accounts/${acme().id}/channels`, {
        token,
        headers: { 'X-Auth-Account-ID': master().id },
      });
      expect(r.status).toBe(401);
    });

    it('expireAllTokens makes earlier tokens answer 401; a new api_auth works', async () => {
      const token = await apiToken(sim, acme());
      expect((await call(sim, 'GET', `/accounts/${acme().id}`, { token })).status).toBe(200);
      sim.expireAllTokens();
      const r = await call(sim, 'GET', `/accounts/${acme().id}`, { token });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({
        error: '401',
        message: 'invalid_credentials',
        data: { message: 'invalid credentials' },
      });
      const fresh = await apiToken(sim, acme());
      expect((await call(sim, 'GET', `/accounts/${acme().id}`, { token: fresh })).status).toBe(200);
    });

    it('403 forbidden for an account outside the caller tree; the master sees its descendants', async () => {
      const acmeToken = await apiToken(sim, acme());
      const r = await call(sim, 'GET', `/accounts/${master().id}/channels`, { token: acmeToken });
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ error: '403', message: 'forbidden', data: { message: 'forbidden' } });
      const masterToken = await apiToken(sim, master());
      expect((await call(sim, 'GET', `/accounts/${acme().id}/channels`, { token: masterToken })).status).toBe(200);
    });
  });

  describe('envelope and transport quirks', () => {
    it('success envelope carries auth_token, node, request_id, revision, status, timestamp, version', async () => {
      const token = await apiToken(sim, acme());
      const r = await call(sim, 'GET', `/accounts/${acme().id}`, { token });
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual([
        'auth_token',
        'data',
        'node',
        'request_id',
        'revision',
        'status',
        'timestamp',
        'version',
      ]);
      expect(r.body.auth_token).toBe(token);
      expect(r.body.node).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(r.body.request_id).toMatch(HEX32);
      expect(r.body.timestamp).toMatch(ISO_SECONDS);
      expect(r.body.version).toBe('4.3.142');
      expect(r.body.revision).toMatch(/^\d+-[0-9a-f]{32}$/);
      expect(r.headers.get('etag')).toBe(`"${r.body.revision}"`);
      expect(r.body.data).toMatchObject({ id: acme().id, name: 'Acme Corp', realm: acme().realm });
    });

    it('echoes X-Request-ID in the body and the x-request-id header, and logs it', async () => {
      sim.resetRequestLog();
      const r = await call(sim, 'GET', '/websockets', { headers: { 'X-Request-ID': 'my-req-1' } });
      expect(r.body.request_id).toBe('my-req-1');
      expect(r.headers.get('x-request-id')).toBe('my-req-1');
      expect(sim.requests).toEqual([{ method: 'GET', path: '/v2/websockets', query: '', requestId: 'my-req-1' }]);
      const gen = await call(sim, 'GET', '/websockets');
      expect(gen.headers.get('x-request-id')).toBe(gen.body.request_id);
      expect(gen.body.request_id).toMatch(HEX32);
    });

    it('sends CORS headers on every response and answers OPTIONS without auth', async () => {
      const err = await call(sim, 'GET', `/accounts/${acme().id}/channels`);
      expect(err.headers.get('access-control-allow-origin')).toBe('*');
      expect(err.headers.get('access-control-allow-headers')).toContain('x-auth-token');
      expect(err.headers.get('access-control-expose-headers')).toContain('x-request-id');
      expect(err.headers.get('access-control-max-age')).toBe('86400');
      const res = await fetch(`${sim.crossbarUrl}/accounts/${acme().id}/channels/abc`, { method: 'OPTIONS' });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, OPTIONS');
      expect(await res.text()).toBe('');
    });

    it('answers 410 for /v1', async () => {
      const r = await fetch(`${sim.crossbarUrl.replace('/v2', '/v1')}/accounts`);
      expect(r.status).toBe(410);
      expect((await r.json()).error).toBe('410');
    });

    it('checks the account id before authentication', async () => {
      const bad = await call(sim, 'GET', '/accounts/xyz/channels');
      expect(bad.status).toBe(404);
      expect(bad.body).toMatchObject({
        error: '404',
        message: 'bad_identifier',
        data: { message: "invalid account_id 'xyz'" },
      });
      const missing = '0'.repeat(32);
      const unknown = await call(sim, 'GET', `/accounts/${missing}/channels`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.data).toEqual({ cause: missing, message: 'bad identifier' });
    });

    it('answers 405 for a method the endpoint does not allow', async () => {
      const token = await apiToken(sim, acme());
      const r = await call(sim, 'DELETE', `/accounts/${acme().id}/channels`, { token });
      expect(r.status).toBe(405);
      expect(r.body.error).toBe('405');
    });

    it('answers 404 not_found for an unknown endpoint once authenticated', async () => {
      const token = await apiToken(sim, acme());
      const r = await call(sim, 'GET', `/accounts/${acme().id}/nonsense`, { token });
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ error: '404', message: 'not_found' });
    });

    it('answers 400 for unparseable JSON and for a non-object data', async () => {
      const bad = await call(sim, 'PUT', '/api_auth', {
        rawBody: '{"data":',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.data.json.invalid.target).toBe('body');
      const str = await call(sim, 'PUT', '/api_auth', { body: { data: 'x' } });
      expect(str.status).toBe(400);
      expect(str.body.error).toBe('400');
    });
  });

  describe('listings paginate', () => {
    it('pages users with page_size / start_key / next_start_key', async () => {
      const token = await apiToken(sim, acme());
      const all = await call(sim, 'GET', `/accounts/${acme().id}/users`, { token });
      expect(all.status).toBe(200);
      const total = all.body.data.length;
      expect(total).toBe(5);
      expect(all.body.page_size).toBe(5);
      expect(all.body.next_start_key).toBeUndefined();
      expect(all.body.revision).toMatch(HEX32);

      const p1 = await call(sim, 'GET', `/accounts/${acme().id}/users?page_size=2`, { token });
      expect(p1.body.page_size).toBe(2);
      expect(typeof p1.body.next_start_key).toBe('string');
      const p2 = await call(
        sim,
        'GET',
        `/accounts/${acme().id}/users?page_size=2&start_key=${p1.body.next_start_key}`,
        { token },
      );
      expect(p2.body.start_key).toBe(p1.body.next_start_key);
      const p3 = await call(
        sim,
        'GET',
        `/accounts/${acme().id}/users?page_size=2&start_key=${p2.body.next_start_key}`,
        { token },
      );
      expect(p3.body.page_size).toBe(1);
      expect(p3.body.next_start_key).toBeUndefined();
      const ids = [...p1.body.data, ...p2.body.data, ...p3.body.data].map((u: { id: string }) => u.id);
      expect(ids).toEqual(all.body.data.map((u: { id: string }) => u.id));

      const off = await call(sim, 'GET', `/accounts/${acme().id}/users?paginate=false`, { token });
      expect(off.body.page_size).toBeUndefined();
      const bad = await call(sim, 'GET', `/accounts/${acme().id}/users?page_size=0`, { token });
      expect(bad.status).toBe(404);
      expect(bad.body.data).toEqual({ message: 'page size must be at least 1' });
    });
  });
});
