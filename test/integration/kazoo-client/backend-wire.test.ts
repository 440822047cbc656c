/** KazooBackend against a raw server: exact request bodies, pre-validation, and 404/503 handling. */
import type http from 'node:http';
import { KazooBackend } from '../../../src/backends/kazoo/backend';
import type { KazooBackendConfig } from '../../../src/config';
import { invalidCredentials, jwt, ok, send, startFakeCrossbar, type FakeCrossbar, type Seen } from './fake-crossbar';

const ACCOUNT = 'a'.repeat(32);
const USER = 'b'.repeat(32);
const QUEUE = 'c'.repeat(32);
const ids = (n: number) => Array.from({ length: n }, (_, i) => i.toString(16).padStart(32, '0'));

type Route = (req: Seen, res: http.ServerResponse) => boolean | void;
let routes: Route[];
let fake: FakeCrossbar;
let backend: KazooBackend;

function on(method: string, path: string, fn: (req: Seen, res: http.ServerResponse) => void): void {
  routes.push((req, res) => {
    if (req.method !== method || req.path !== `/v2${path}`) return false;
    fn(req, res);
    return true;
  });
}

function api(): Seen[] {
  return fake.seen.filter((s) => !s.path.endsWith('_auth'));
}

function config(extra: Partial<KazooBackendConfig> = {}): KazooBackendConfig {
  return {
    name: 'kz1',
    kind: 'kazoo',
    url: fake.url,
    apiKey: 'k'.repeat(64),
    accountId: ACCOUNT,
    requestTimeoutMs: 2000,
    ...extra,
  };
}

beforeEach(async () => {
  routes = [];
  fake = await startFakeCrossbar((req, res) => {
    if (req.path === '/v2/api_auth')
      return ok(res, { account_id: ACCOUNT }, { auth_token: jwt({ exp: Math.floor(Date.now() / 1000) + 3600 }) }, 201);
    if (!req.headers['x-auth-token'] && req.path !== '/v2/websockets') return send(res, 401, invalidCredentials);
    for (const r of routes) if (r(req, res)) return;
    send(res, 404, { data: { message: 'not found' }, error: '404', message: 'not_found', status: 'error' });
  });
  backend = new KazooBackend(config());
});

afterEach(async () => {
  await backend.stop();
  await fake.close();
});

describe('channels', () => {
  it('lists the account, a user or a device, mapping each channel', async () => {
    const item = { uuid: 'c1', answered: false, direction: 'outbound', timestamp: 63573977746, owner_id: USER };
    on('GET', `/accounts/${ACCOUNT}/channels`, (_q, r) => ok(r, [item]));
    on('GET', `/accounts/${ACCOUNT}/users/${USER}/channels`, (_q, r) => ok(r, []));
    on('GET', `/accounts/${ACCOUNT}/devices/${USER}/channels`, (_q, r) => ok(r, [item]));
    const all = await backend.listChannels({});
    expect(
      all.map((c) => [c.backend, c.nativeId, c.state, c.kazoo?.accountId, c.kazoo?.ownerId, c.createdAt.toISOString()]),
    ).toEqual([['kz1', 'c1', 'RINGING', ACCOUNT, USER, '2014-07-30T22:15:46.000Z']]);
    expect(await backend.listChannels({}, { userId: USER })).toEqual([]);
    expect(await backend.listChannels({}, { deviceId: USER })).toHaveLength(1);
    await expect(backend.listChannels({}, { userId: USER, deviceId: USER })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(backend.listChannels({}, { accountId: 'nope' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(api()).toHaveLength(3);
  });

  it('system-wide listing is probed once; 403 means FORBIDDEN', async () => {
    on('GET', '/channels', (_q, r) =>
      send(r, 403, { data: { message: 'forbidden' }, error: '403', message: 'forbidden', status: 'error' }),
    );
    expect(await backend.canListSystemWide({})).toBe(false);
    await expect(backend.listChannels({}, { systemWide: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(api().filter((s) => s.path === '/v2/channels')).toHaveLength(1);
  });

  it('system-wide listing when allowed', async () => {
    await backend.stop();
    backend = new KazooBackend(config(), { systemWideChannels: true });
    on('GET', '/channels', (_q, r) =>
      ok(r, [{ uuid: 'x', answered: true, custom_channel_vars: { account_id: 'e'.repeat(32) } }]),
    );
    const list = await backend.listChannels({}, { systemWide: true });
    expect(list.map((c) => [c.nativeId, c.state, c.kazoo?.accountId])).toEqual([['x', 'UP', 'e'.repeat(32)]]);
  });

  it('getChannel: detail mapped; 404 → null; 503 for a channel absent from the list → null; 503 for a listed one → error', async () => {
    on('GET', `/accounts/${ACCOUNT}/channels/live`, (_q, r) =>
      ok(r, { call_id: 'live', answered: true, call_direction: 'inbound', other_leg_call_id: 'b' }),
    );
    on('GET', `/accounts/${ACCOUNT}/channels/other`, (_q, r) =>
      send(r, 404, { data: ['other'], error: '404', message: 'bad identifier', status: 'error' }),
    );
    const timeout = (_q: Seen, r: http.ServerResponse) =>
      send(r, 503, { data: {}, error: '503', message: 'datastore timeout', status: 'error' });
    on('GET', `/accounts/${ACCOUNT}/channels/gone`, timeout);
    on('GET', `/accounts/${ACCOUNT}/channels/stuck`, timeout);
    on('GET', `/accounts/${ACCOUNT}/channels`, (_q, r) => ok(r, [{ uuid: 'stuck' }]));
    const live = await backend.getChannel('live', {});
    expect([live?.nativeId, live?.state, live?.kazoo?.otherLegCallId]).toEqual(['live', 'UP', 'b']);
    expect(await backend.getChannel('other', {})).toBeNull();
    expect(await backend.getChannel('gone', {})).toBeNull();
    await expect(backend.getChannel('stuck', {})).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
      backendStatus: 503,
      backendMessage: 'datastore timeout',
    });
  });

  it('actions send KAZOO bodies (hyphenated transfer-type, intercept fields, callflow id)', async () => {
    const bodies: unknown[] = [];
    on('POST', `/accounts/${ACCOUNT}/channels/c%401`, (q, r) => {
      bodies.push(q.body);
      ok(r, 'initiated');
    });
    on('PUT', `/accounts/${ACCOUNT}/channels/c%401`, (q, r) => {
      bodies.push(q.body);
      ok(r, 'metaflow sent', {}, 201);
    });
    await backend.hangupChannel('c@1', { reason: 'busy' }, { requestId: 'rq' });
    await backend.transferChannel('c@1', { target: '2600' }, {});
    await backend.transferChannel('c@1', { target: '2601', type: 'attended', leg: 'bleg', moh: 'm1' }, {});
    await backend.breakChannel('c@1', {});
    await backend.sendToCallflow('c@1', QUEUE, {});
    await backend.interceptChannel('c@1', { targetType: 'device', targetId: USER, unbridgedOnly: true }, {});
    await backend.runMetaflow(
      'c@1',
      { module: 'transfer', data: { target: '2600' }, children: { _: { module: 'hangup' } } },
      {},
    );
    expect(bodies).toEqual([
      { data: { action: 'hangup' } },
      { data: { action: 'transfer', target: '2600', 'transfer-type': 'blind' } },
      { data: { action: 'transfer', target: '2601', 'transfer-type': 'attended', leg: 'bleg', moh: 'm1' } },
      { data: { action: 'break' } },
      { data: { action: 'callflow', id: QUEUE } },
      { data: { action: 'intercept', target_type: 'device', target_id: USER, unbridged_only: true } },
      {
        action: 'metaflow',
        data: { module: 'transfer', data: { target: '2600' }, children: { _: { module: 'hangup' } } },
      },
    ]);
    expect(api()[0].headers['x-request-id']).toBe('rq');
  });

  it('refuses bad arguments before any request', async () => {
    const attempts = [
      backend.transferChannel('c1', { target: '' }, {}),
      backend.transferChannel('c1', { target: '1', type: 'warm' as 'blind' }, {}),
      backend.interceptChannel('c1', { targetType: 'phone' as 'device', targetId: USER }, {}),
      backend.sendToCallflow('c1', 'not-hex', {}),
      backend.runMetaflow('c1', { module: '' }, {}),
      backend.runMetaflow('c1', { children: {} } as never, {}),
      backend.hangupChannel('', {}, {}),
    ];
    for (const a of attempts) await expect(a).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(fake.seen).toHaveLength(0);
  });

  it('an action on a channel KAZOO times out on and does not list → NOT_FOUND', async () => {
    on('POST', `/accounts/${ACCOUNT}/channels/gone`, (_q, r) =>
      send(r, 503, { data: {}, error: '503', message: 'datastore timeout', status: 'error' }),
    );
    on('GET', `/accounts/${ACCOUNT}/channels`, (_q, r) => ok(r, []));
    await expect(backend.hangupChannel('gone', {}, {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
      backendStatus: 503,
      backendMessage: 'datastore timeout',
    });
  });
});

describe('recipients', () => {
  const status = (state: string) => ({
    available: state === 'Ready',
    availability_state: state,
    stats: { total_calls: 1 },
  });

  it('50 statuses cost exactly one POST, aligned with the ids', async () => {
    const many = ids(50);
    on('POST', `/accounts/${ACCOUNT}/qubicle_recipients/status`, (q, r) => {
      const want = (q.body as { data: { recipient_ids: string[] } }).data.recipient_ids;
      ok(r, Object.fromEntries(want.map((id, i) => [id, i % 2 ? 'not_logged_in' : status('Ready')])));
    });
    const out = await backend.recipientStatuses(ACCOUNT, many, {});
    expect(api()).toHaveLength(1);
    expect(api()[0].body).toEqual({ data: { recipient_ids: many } });
    expect(out.map((s) => s?.availabilityState ?? null)).toEqual(many.map((_, i) => (i % 2 ? null : 'READY')));
  });

  it('listRecipients = listing + one batch POST', async () => {
    const [r1, r2] = ids(2);
    on('GET', `/accounts/${ACCOUNT}/qubicle_recipients`, (_q, r) =>
      ok(
        r,
        [
          { id: r1, name: 'One' },
          { id: r2, name: 'Two' },
        ],
        { page_size: 2 },
      ),
    );
    on('POST', `/accounts/${ACCOUNT}/qubicle_recipients/status`, (_q, r) =>
      ok(r, { [r1]: status('Away'), [r2]: 'not_logged_in' }),
    );
    const list = await backend.listRecipients(ACCOUNT, {});
    expect(
      list.map((x) => [x.backend, x.accountId, x.nativeId, x.name, x.config, x.status?.availabilityState ?? null]),
    ).toEqual([
      ['kz1', ACCOUNT, r1, 'One', null, 'AWAY'],
      ['kz1', ACCOUNT, r2, 'Two', null, null],
    ]);
    expect(api().map((s) => s.method)).toEqual(['GET', 'POST']);
  });

  it('getRecipient reads the user doc and status; 404 → null', async () => {
    on('GET', `/accounts/${ACCOUNT}/qubicle_recipients/${USER}`, (_q, r) =>
      ok(r, { id: USER, first_name: 'Ann', last_name: 'A', qubicle: { enabled: true } }),
    );
    on('GET', `/accounts/${ACCOUNT}/qubicle_recipients/${USER}/status`, (_q, r) => ok(r, status('Wrapup-Time')));
    const r = await backend.getRecipient(ACCOUNT, USER, {});
    expect([r?.name, r?.config?.enabled, r?.status?.availabilityState]).toEqual(['Ann A', true, 'WRAPUP_TIME']);
    expect(await backend.getRecipient(ACCOUNT, QUEUE, {})).toBeNull();
  });

  it('actions and statuses send the documented bodies', async () => {
    const bodies: Array<[string, unknown]> = [];
    const record = (q: Seen, r: http.ServerResponse) => {
      bodies.push([q.path.replace(`/v2/accounts/${ACCOUNT}/qubicle_recipients/`, ''), q.body]);
      ok(r, (q.body as { data: unknown }).data);
    };
    on('POST', `/accounts/${ACCOUNT}/qubicle_recipients/${USER}`, record);
    on('POST', `/accounts/${ACCOUNT}/qubicle_recipients/${USER}/status`, record);
    await backend.loginRecipient(ACCOUNT, USER, {});
    await backend.setRecipientStatus(ACCOUNT, USER, 'ready', {});
    await backend.setRecipientStatus(ACCOUNT, USER, 'away', {}, QUEUE);
    await backend.extendWrapup(ACCOUNT, USER, {});
    await backend.cancelWrapup(ACCOUNT, USER, {});
    await backend.monitorRecipient(ACCOUNT, USER, { target: QUEUE }, {});
    await backend.monitorRecipient(ACCOUNT, USER, { target: QUEUE, mode: 'barge' }, {});
    await backend.logoutRecipient(ACCOUNT, USER, {});
    expect(bodies).toEqual([
      [USER, { data: { action: 'login' } }],
      [`${USER}/status`, { data: { status: 'ready' } }],
      [`${USER}/status`, { data: { status: 'away', queue_id: QUEUE } }],
      [USER, { data: { action: 'wrapup_extend' } }],
      [USER, { data: { action: 'wrapup_cancel' } }],
      [USER, { data: { action: 'monitor', target: QUEUE, mode: 'eavesdrop' } }],
      [USER, { data: { action: 'monitor', target: QUEUE, mode: 'barge' } }],
      [USER, { data: { action: 'logout' } }],
    ]);
  });

  it('setRecipientStatuses: one POST with set_status, per-item results; duplicates refused first', async () => {
    const [r1, r2] = ids(2);
    on('POST', `/accounts/${ACCOUNT}/qubicle_recipients/status`, (_q, r) =>
      ok(r, { [r1]: { global: 'ok', [QUEUE]: 'ok' }, [r2]: { global: 'error' } }),
    );
    const res = await backend.setRecipientStatuses(
      ACCOUNT,
      [
        { userId: r1, status: 'ready' },
        { userId: r1, status: 'away', queueId: QUEUE },
        { userId: r2, status: 'ready' },
      ],
      {},
    );
    expect(api()[0].body).toEqual({
      data: { set_status: true, [r1]: { global: 'ready', [QUEUE]: 'away' }, [r2]: { global: 'ready' } },
    });
    expect(res.map((x) => [x.userId, x.queueId, x.ok, x.error])).toEqual([
      [r1, null, true, null],
      [r1, QUEUE, true, null],
      [r2, null, false, 'error'],
    ]);
    await expect(
      backend.setRecipientStatuses(
        ACCOUNT,
        [
          { userId: r1, status: 'ready' },
          { userId: r1, status: 'away' },
        ],
        {},
      ),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(api()).toHaveLength(1);
  });
});

describe('websockets', () => {
  it('catalogue, sessions, one session, unknown session', async () => {
    on('GET', '/websockets', (_q, r) => ok(r, { call: ['call.CHANNEL_CREATE.{CALL_ID}'] }));
    const s = {
      websocket_session_id: '127.0.0.1:5000',
      bindings: ['call.*.*'],
      timestamp: 63900000000,
      source: '127.0.0.1',
      destination: 'bh',
    };
    on('GET', `/accounts/${ACCOUNT}/websockets`, (_q, r) => ok(r, [s]));
    on('GET', `/accounts/${ACCOUNT}/websockets/127.0.0.1%3A5000`, (_q, r) => ok(r, s));
    on('GET', `/accounts/${ACCOUNT}/websockets/nobody`, (_q, r) => ok(r, []));
    expect(await backend.websocketBindings({})).toEqual([
      { category: 'call', bindings: ['call.CHANNEL_CREATE.{CALL_ID}'] },
    ]);
    expect((await backend.websocketSessions(ACCOUNT, {})).map((x) => x.nativeId)).toEqual(['127.0.0.1:5000']);
    expect((await backend.websocketSession(ACCOUNT, '127.0.0.1:5000', {}))?.bindings).toEqual(['call.*.*']);
    expect(await backend.websocketSession(ACCOUNT, 'nobody', {})).toBeNull();
    expect(fake.seen.find((x) => x.path === '/v2/websockets')?.headers['x-auth-token']).toBeUndefined();
  });
});
