/**
 * Recipient configs kept between requests, against the KAZOO simulator on real sockets: kept
 * only while Blackhole reports user-document changes for the account, dropped by those changes,
 * by reconnects and by patchbay's own recipient writes. Request logs are asserted exactly.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KazooBackend, type KazooBackendOptions } from '../../../src/backends/kazoo/backend';
import type { KazooEvent } from '../../../src/backends/kazoo/operations';
import type { KazooBackendConfig } from '../../../src/config';
import {
  addRecipientAccount,
  defaultSeed,
  startKazooSimulator,
  type KazooSimulator,
  type WorldAccount,
} from '../../../src/simulators/kazoo';
import { waitFor } from './wait';

/** The test's own Crossbar requests carry this id and are left out of the request logs. */
const DIRECT = 'test-direct';

let sim: KazooSimulator;
let acme: WorldAccount;
let bulk: { accountId: string; queueId: string };
let backend: KazooBackend;
let events: KazooEvent[];
const extra: KazooBackend[] = [];

const user = (name: string) => sim.world.users.find((x) => x.username === name)!.id;
const bulkAgents = () => sim.world.recipients.filter((r) => r.accountId === bulk.accountId).map((r) => r.id);

function makeBackend(over: Partial<KazooBackendConfig> = {}, options: KazooBackendOptions = {}): KazooBackend {
  const b = new KazooBackend(
    {
      name: 'kz',
      kind: 'kazoo',
      url: sim.crossbarUrl,
      apiKey: acme.apiKey,
      accountId: acme.id,
      blackholeUrl: sim.blackholeUrl,
      requestTimeoutMs: 2000,
      ...over,
    },
    { backoffBaseMs: 10, backoffMaxMs: 50, pingIntervalMs: 0, replyTimeoutMs: 2000, ...options },
  );
  extra.push(b);
  return b;
}

/** The backend's Crossbar requests (token PUTs and the test's own requests left out). */
function reads(): string[] {
  return sim.requests
    .filter((r) => r.requestId !== DIRECT && r.path !== '/v2/api_auth')
    .map((r) => `${r.method} ${r.path.replace(/^\/v2/, '')}`);
}

/** A Crossbar write made as an administrator would, beside patchbay. */
async function crossbar(method: string, path: string, data?: unknown): Promise<any> {
  const headers = { 'content-type': 'application/json', 'x-request-id': DIRECT };
  const auth = await fetch(`${sim.crossbarUrl}/api_auth`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ data: { api_key: acme.apiKey } }),
  });
  const token = ((await auth.json()) as { auth_token: string }).auth_token;
  const res = await fetch(`${sim.crossbarUrl}${path}`, {
    method,
    headers: { ...headers, 'x-auth-token': token },
    body: data === undefined ? undefined : JSON.stringify({ data }),
  });
  const body = (await res.json()) as { data: unknown };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body.data;
}

const doc = (accountId: string, userId: string) => `GET /accounts/${accountId}/qubicle_recipients/${userId}`;
const objectEvent = (action: string, id: string) =>
  events.some((e) => e.type === 'object' && e.name === action && e.docId === id);

beforeEach(async () => {
  const seed = defaultSeed();
  const acmeId = seed.accounts.find((a) => !a.superduperAdmin)!.id;
  bulk = addRecipientAccount(seed, { name: 'Bulk Co', count: 3, parentId: acmeId, initialState: 'Ready' });
  sim = await startKazooSimulator({
    seed,
    timing: { channelLookupTimeoutMs: 20, actionEffectMs: 10, wrapupMs: 60_000 },
  });
  acme = sim.world.customerAccount!;
  events = [];
  backend = makeBackend();
  backend.onEvent((e) => events.push(e));
  await backend.start();
  sim.resetRequestLog();
});

afterEach(async () => {
  for (const b of extra.splice(0)) await b.stop();
  await sim.close();
});

describe('the configured account (covered by object.*.*)', () => {
  it('the second read of a config makes no request; after a doc_edited event the next read fetches the new value', async () => {
    const alice = user('alice.agent');
    const first = await backend.getRecipientConfig(acme.id, alice, {});
    expect(await backend.getRecipientConfig(acme.id, alice, {})).toEqual(first);
    expect(first).toMatchObject({ firstName: 'Alice', enabled: true });
    expect(reads()).toEqual([doc(acme.id, alice)]);
    expect(backend.cachedRecipientConfigs()).toBe(1);

    await crossbar('POST', `/accounts/${acme.id}/users/${alice}`, { first_name: 'Alicia' });
    await waitFor(() => objectEvent('doc_edited', alice), 'doc_edited of Alice');
    expect(backend.cachedRecipientConfigs()).toBe(0);
    expect((await backend.getRecipientConfig(acme.id, alice, {}))?.firstName).toBe('Alicia');
    expect((await backend.getRecipientConfig(acme.id, alice, {}))?.firstName).toBe('Alicia');
    expect(reads()).toEqual([doc(acme.id, alice), doc(acme.id, alice)]);
  });

  it('the event is the one KAZOO sends: object doc_edited of type user, in the account database', async () => {
    const bob = user('bob.agent');
    await crossbar('POST', `/accounts/${acme.id}/users/${bob}`, { email: 'bob@example.org' });
    await waitFor(() => objectEvent('doc_edited', bob), 'doc_edited of Bob');
    const e = events.find((x) => x.type === 'object' && x.docId === bob)!;
    const db = `account%2F${acme.id.slice(0, 2)}%2F${acme.id.slice(2, 4)}%2F${acme.id.slice(4)}`;
    expect([e.subscribedKey, e.routingKey]).toEqual(['object.*.*', `doc_edited.${db}.user.${bob}`]);
    expect(Object.keys(e.raw).sort()).toEqual(
      [
        'account_id',
        'app_name',
        'app_version',
        'database',
        'date_created',
        'date_modified',
        'event_category',
        'event_name',
        'id',
        'is_soft_deleted',
        'msg_id',
        'rev',
        'type',
      ].sort(),
    );
    expect(e.raw).toMatchObject({
      account_id: acme.id,
      database: db,
      event_category: 'configuration',
      event_name: 'doc_edited',
      id: bob,
      type: 'user',
      is_soft_deleted: false,
    });
  });

  it('qubicle settings: a recipient disabled in its document reads null on every ask (null is not kept), enabled again reads its config', async () => {
    const carol = user('carol.agent');
    expect((await backend.getRecipientConfig(acme.id, carol, {}))?.enabled).toBe(true);
    await crossbar('POST', `/accounts/${acme.id}/users/${carol}`, { qubicle: { enabled: false } });
    await waitFor(() => objectEvent('doc_edited', carol), 'doc_edited of Carol');
    expect(await backend.getRecipientConfig(acme.id, carol, {})).toBeNull();
    expect(await backend.getRecipientConfig(acme.id, carol, {})).toBeNull();
    expect(backend.cachedRecipientConfigs()).toBe(0);

    const before = events.length;
    await crossbar('POST', `/accounts/${acme.id}/users/${carol}`, { qubicle: { enabled: true, call_monitor: true } });
    await waitFor(
      () => events.slice(before).some((e) => e.type === 'object' && e.docId === carol),
      'second doc_edited of Carol',
    );
    expect((await backend.getRecipientConfig(acme.id, carol, {}))?.raw).toMatchObject({
      enabled: true,
      call_monitor: true,
    });
    expect(reads()).toEqual([doc(acme.id, carol), doc(acme.id, carol), doc(acme.id, carol), doc(acme.id, carol)]);
  });

  it('doc_deleted drops the entry: the next read asks KAZOO and gets null', async () => {
    const bob = user('bob.agent');
    await backend.getRecipientConfig(acme.id, bob, {});
    await crossbar('DELETE', `/accounts/${acme.id}/users/${bob}`);
    await waitFor(() => objectEvent('doc_deleted', bob), 'doc_deleted of Bob');
    expect(await backend.getRecipientConfig(acme.id, bob, {})).toBeNull();
    expect(reads()).toEqual([doc(acme.id, bob), doc(acme.id, bob)]);
  });

  it('a Blackhole disconnect empties the cache before anyone hears of it; after the reconnect the first read fetches again', async () => {
    const alice = user('alice.agent');
    await backend.getRecipientConfig(acme.id, alice, {});
    const seen: Array<[boolean, number]> = [];
    backend.onConnectionChange((c) => seen.push([c, backend.cachedRecipientConfigs()]));
    sim.disconnectBlackholeSessions();
    await waitFor(() => seen.length === 2, 'down and up');
    expect(seen).toEqual([
      [false, 0],
      [true, 0],
    ]);
    await backend.getRecipientConfig(acme.id, alice, {});
    await backend.getRecipientConfig(acme.id, alice, {});
    expect(reads()).toEqual([doc(acme.id, alice), doc(acme.id, alice)]);
  });

  it('while Blackhole is away nothing is kept: every read fetches', async () => {
    const slow = makeBackend({}, { backoffBaseMs: 60_000, backoffMaxMs: 60_000 });
    await slow.start();
    const down = new Promise<void>((resolve) => slow.onConnectionChange((c) => !c && resolve()));
    sim.disconnectBlackholeSessions();
    await down;
    sim.resetRequestLog();
    const alice = user('alice.agent');
    await slow.getRecipientConfig(acme.id, alice, {});
    await slow.getRecipientConfig(acme.id, alice, {});
    expect(slow.cachedRecipientConfigs()).toBe(0);
    expect(reads()).toEqual([doc(acme.id, alice), doc(acme.id, alice)]);
  });

  it("patchbay's own recipient writes drop the recipients they touched", async () => {
    const [alice, bob, dave] = [user('alice.agent'), user('bob.agent'), user('dave.agent')];
    for (const id of [alice, bob, dave]) await backend.getRecipientConfig(acme.id, id, {});
    await backend.loginRecipient(acme.id, dave, {});
    expect(backend.cachedRecipientConfigs()).toBe(2);
    await backend.setRecipientStatuses(acme.id, [{ userId: alice, status: 'away' }], {});
    expect(backend.cachedRecipientConfigs()).toBe(1);
    await backend.setRecipientStatus(acme.id, bob, 'ready', {});
    expect(backend.cachedRecipientConfigs()).toBe(0);
  });

  it('a recipient read by id leaves its config for the next listing', async () => {
    const alice = user('alice.agent');
    await backend.getRecipient(acme.id, alice, {});
    expect(await backend.getRecipientConfig(acme.id, alice, {})).toMatchObject({ username: 'alice.agent' });
    expect(reads()).toEqual([doc(acme.id, alice), `GET /accounts/${acme.id}/qubicle_recipients/${alice}/status`]);
  });
});

describe('a read racing an edit', () => {
  it('a GET answered before the edit but received after its event is returned, not kept', async () => {
    const proxy = await holdingProxy(new URL(sim.crossbarUrl));
    try {
      const b = makeBackend({ url: `${proxy.url}/v2` });
      b.onEvent((e) => events.push(e));
      await b.start();
      const alice = user('alice.agent');
      proxy.hold(`/v2/accounts/${acme.id}/qubicle_recipients/${alice}`);
      const read = b.getRecipientConfig(acme.id, alice, {});
      await waitFor(() => proxy.held() === 1, 'the old document answered and held');
      await crossbar('POST', `/accounts/${acme.id}/users/${alice}`, { first_name: 'Alicia' });
      await waitFor(
        () => events.filter((e) => e.type === 'object' && e.docId === alice).length === 2,
        'the edit seen by both backends',
      );
      proxy.release();
      expect((await read)?.firstName).toBe('Alice');
      expect(b.cachedRecipientConfigs()).toBe(0);
      expect((await b.getRecipientConfig(acme.id, alice, {}))?.firstName).toBe('Alicia');
      expect(reads()).toEqual([doc(acme.id, alice), doc(acme.id, alice)]);
    } finally {
      await proxy.close();
    }
  });
});

describe('other accounts', () => {
  it("a child account is watched on its first read (object.*.user for it), then kept; its edits drop entries and stay off the backend's event stream", async () => {
    const [a1, a2] = bulkAgents();
    await backend.getRecipientConfig(bulk.accountId, a1, {});
    await backend.getRecipientConfig(bulk.accountId, a1, {});
    await backend.getRecipientConfig(bulk.accountId, a2, {});
    expect(reads()).toEqual([doc(bulk.accountId, a1), doc(bulk.accountId, a2)]);
    const [session] = await backend.websocketSessions(acme.id, {});
    expect(session.bindings.filter((x) => x === 'object.*.user')).toHaveLength(1);

    await crossbar('POST', `/accounts/${bulk.accountId}/users/${a1}`, { last_name: 'Edited' });
    await waitFor(() => backend.cachedRecipientConfigs() === 1, 'Agent001 dropped');
    expect((await backend.getRecipientConfig(bulk.accountId, a1, {}))?.lastName).toBe('Edited');
    expect(await backend.getRecipientConfig(bulk.accountId, a2, {})).toMatchObject({ lastName: 'Bulk' });
    expect(reads().slice(3)).toEqual([doc(bulk.accountId, a1)]);
    expect(events.filter((e) => e.type === 'object')).toEqual([]);
  });

  it('after a reconnect the child account is watched again before anything is kept', async () => {
    const [a1] = bulkAgents();
    await backend.getRecipientConfig(bulk.accountId, a1, {});
    const states: boolean[] = [];
    backend.onConnectionChange((c) => states.push(c));
    sim.disconnectBlackholeSessions();
    await waitFor(() => states.length === 2, 'down and up');
    expect(backend.cachedRecipientConfigs()).toBe(0);
    await backend.getRecipientConfig(bulk.accountId, a1, {});
    await backend.getRecipientConfig(bulk.accountId, a1, {});
    expect(reads()).toEqual([doc(bulk.accountId, a1), doc(bulk.accountId, a1)]);
    const [session] = await backend.websocketSessions(acme.id, {});
    expect(session.bindings.filter((x) => x === 'object.*.user')).toHaveLength(1);
  });

  it('accounts Blackhole does not cover are always fetched: no watching allowed, bindings without user objects, no Blackhole', async () => {
    const [a1] = bulkAgents();
    const alice = user('alice.agent');
    const noWatch = makeBackend({}, { maxWatchedAccounts: 0 });
    const noObjects = makeBackend({}, { bindings: ['call.*.*', 'qubicle.recipient'] });
    const noBlackhole = makeBackend({ blackholeUrl: undefined });
    await Promise.all([noWatch.start(), noObjects.start(), noBlackhole.start()]);
    sim.resetRequestLog();
    for (let i = 0; i < 2; i++) {
      await noWatch.getRecipientConfig(bulk.accountId, a1, {});
      await noObjects.getRecipientConfig(acme.id, alice, {});
      await noBlackhole.getRecipientConfig(acme.id, alice, {});
    }
    expect([noWatch, noObjects, noBlackhole].map((b) => b.cachedRecipientConfigs())).toEqual([0, 0, 0]);
    const round = [doc(bulk.accountId, a1), doc(acme.id, alice), doc(acme.id, alice)];
    expect(reads()).toEqual([...round, ...round]);
    // The configured account is still kept where its bindings cover user documents.
    await noWatch.getRecipientConfig(acme.id, alice, {});
    await noWatch.getRecipientConfig(acme.id, alice, {});
    expect(reads().slice(6)).toEqual([doc(acme.id, alice)]);
  });
});

/** An HTTP proxy to Crossbar that can hold one path's answer until released. */
async function holdingProxy(
  target: URL,
): Promise<{ url: string; hold(path: string): void; held(): number; release(): void; close(): Promise<void> }> {
  let holdPath: string | null = null;
  const waiting: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (upRes) => {
          const body: Buffer[] = [];
          upRes.on('data', (c: Buffer) => body.push(c));
          upRes.on('end', () => {
            const answer = () => {
              res.writeHead(upRes.statusCode ?? 502, upRes.headers);
              res.end(Buffer.concat(body));
            };
            if (holdPath !== null && new URL(req.url ?? '/', 'http://x').pathname === holdPath) {
              holdPath = null;
              waiting.push(answer);
            } else answer();
          });
        },
      );
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: (path) => {
      holdPath = path;
    },
    held: () => waiting.length,
    release: () => waiting.splice(0).forEach((f) => f()),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
