/** BlackholeClient against a tiny ws server: subscribe, events, auth renewal, reconnect + re-subscribe. */
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { BlackholeClient } from '../../../src/backends/kazoo/blackhole';
import type { BlackholeEventMessage, BlackholeRequest } from '../../../src/backends/kazoo/wire';
import { waitFor } from './wait';

const ACCOUNT = 'a'.repeat(32);

interface FakeBlackhole {
  url: string;
  requests: BlackholeRequest[];
  sockets: WebSocket[];
  /** Decides the reply; default success. */
  reply: (r: BlackholeRequest) => { status: 'success' | 'error'; data: Record<string, unknown> };
  close(): Promise<void>;
}

async function startFakeBlackhole(): Promise<FakeBlackhole> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const fake: FakeBlackhole = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    requests: [],
    sockets: [],
    reply: (r) => ({ status: 'success', data: { subscribed: [r.data.binding] } }),
    close: () =>
      new Promise<void>((r) => {
        for (const s of wss.clients) s.terminate();
        wss.close(() => r());
      }),
  };
  wss.on('connection', (ws) => {
    fake.sockets.push(ws);
    ws.on('message', (raw) => {
      const req = JSON.parse(raw.toString()) as BlackholeRequest;
      fake.requests.push(req);
      ws.send(JSON.stringify({ action: 'reply', request_id: req.request_id, ...fake.reply(req) }));
    });
  });
  return fake;
}

function event(n: number): BlackholeEventMessage {
  return {
    action: 'event',
    subscribed_key: 'call.*.*',
    subscription_key: `call.${ACCOUNT}.CHANNEL_CREATE.*`,
    name: 'CHANNEL_CREATE',
    routing_key: `call.${ACCOUNT}.CHANNEL_CREATE.c${n}`,
    data: { call_id: `c${n}` },
  };
}

let fake: FakeBlackhole;
let client: BlackholeClient | undefined;
let tokens: string[];
let invalidated: string[];

function newClient(bindings = ['call.*.*', 'object.*.*']): BlackholeClient {
  let current: string | null = null;
  client = new BlackholeClient({
    backend: 'kz1',
    url: fake.url,
    accountId: ACCOUNT,
    bindings,
    getToken: async () => {
      if (!current) {
        current = `tok${tokens.length + 1}`;
        tokens.push(current);
      }
      return current;
    },
    invalidateToken: (t) => {
      invalidated.push(t);
      if (current === t) current = null;
    },
    backoffBaseMs: 10,
    backoffMaxMs: 40,
    replyTimeoutMs: 1000,
    pingIntervalMs: 0,
  });
  return client;
}

beforeEach(async () => {
  tokens = [];
  invalidated = [];
  fake = await startFakeBlackhole();
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await fake.close();
});

it('subscribes one binding per message with token and account, then delivers events in order', async () => {
  const c = newClient();
  const got: string[] = [];
  const off = c.onEvent((m) => got.push(m.routing_key));
  await c.start();
  expect(fake.requests.map((r) => ({ action: r.action, token: r.auth_token, data: r.data }))).toEqual([
    { action: 'subscribe', token: 'tok1', data: { account_id: ACCOUNT, binding: 'call.*.*' } },
    { action: 'subscribe', token: 'tok1', data: { account_id: ACCOUNT, binding: 'object.*.*' } },
  ]);
  expect(fake.requests.every((r) => /^[0-9a-f]{32}$/.test(r.request_id))).toBe(true);
  expect(c.health()).toMatchObject({ connected: true, reconnects: 0, lastError: null });
  expect(c.subscriptions()).toEqual(['call.*.*', 'object.*.*']);

  for (let i = 1; i <= 3; i++) fake.sockets[0].send(JSON.stringify(event(i)));
  await waitFor(() => got.length === 3, 'three events');
  expect(got).toEqual([1, 2, 3].map((i) => `call.${ACCOUNT}.CHANNEL_CREATE.c${i}`));
  expect(c.health().lastEventAt).toBeInstanceOf(Date);

  off();
  fake.sockets[0].send(JSON.stringify(event(4)));
  fake.sockets[0].send(JSON.stringify({ action: 'reply', request_id: 'unknown', status: 'success', data: {} }));
  const more: string[] = [];
  c.onEvent((m) => more.push(m.routing_key));
  fake.sockets[0].send(JSON.stringify(event(5)));
  // Frames are read after this line runs, so the new listener sees 4 and 5; the removed one neither.
  await waitFor(() => more.length === 2, 'events after re-listen');
  expect(got).toHaveLength(3);
  expect(more).toEqual([4, 5].map((i) => `call.${ACCOUNT}.CHANNEL_CREATE.c${i}`));
});

it('reconnects after the server drops the socket and re-subscribes', async () => {
  const c = newClient();
  const states: boolean[] = [];
  c.onStateChange((s) => states.push(s));
  await c.start();
  fake.sockets[0].terminate();
  await waitFor(() => states.length === 3, 'down and up again');
  expect(states).toEqual([true, false, true]);
  expect(fake.sockets).toHaveLength(2);
  expect(fake.requests.map((r) => r.data.binding)).toEqual(['call.*.*', 'object.*.*', 'call.*.*', 'object.*.*']);
  expect(c.health()).toMatchObject({ connected: true, reconnects: 1 });
  const got: string[] = [];
  c.onEvent((m) => got.push(String(m.data.call_id)));
  fake.sockets[1].send(JSON.stringify(event(9)));
  await waitFor(() => got.length === 1, 'event on the new socket');
  expect(got).toEqual(['c9']);
});

it('renews the token once when Blackhole refuses it', async () => {
  fake.reply = (r) =>
    r.auth_token === 'tok1'
      ? { status: 'error', data: { errors: ['failed to authenticate token tok1'] } }
      : { status: 'success', data: { subscribed: [r.data.binding] } };
  const c = newClient(['call.*.*']);
  await c.start();
  expect(invalidated).toEqual(['tok1']);
  expect(fake.requests.map((r) => r.auth_token)).toEqual(['tok1', 'tok2']);
  expect(c.health().connected).toBe(true);
});

it('keeps the bindings that worked and reports the one that did not', async () => {
  fake.reply = (r) =>
    r.data.binding === 'qubicle.recipient'
      ? { status: 'error', data: { errors: ['no available subscriptions to requested binding'] } }
      : { status: 'success', data: { subscribed: [r.data.binding] } };
  const c = newClient(['call.*.*', 'qubicle.recipient']);
  await c.start();
  expect(c.subscriptions()).toEqual(['call.*.*']);
  expect(c.health()).toMatchObject({
    connected: true,
    lastError: 'subscribe failed: qubicle.recipient: no available subscriptions to requested binding',
  });
});

it('a socket where nothing subscribed is dropped and retried with backoff', async () => {
  let refuse = 2;
  fake.reply = (r) =>
    refuse > 0 && r.data.binding === 'call.*.*'
      ? (refuse--, { status: 'error', data: { errors: ['unauthorized account id'] } })
      : { status: 'success', data: { subscribed: [r.data.binding] } };
  const c = newClient(['call.*.*']);
  await c.start();
  await waitFor(() => c.health().connected, 'third attempt succeeds');
  expect(fake.sockets).toHaveLength(3);
  expect(c.health().reconnects).toBe(2);
  expect(c.health().lastError).toBeNull();
});

it('start() settles when Blackhole is unreachable, and close() stops retrying', async () => {
  await fake.close();
  const c = newClient();
  await c.start();
  expect(c.health().connected).toBe(false);
  expect(c.health().lastError).toMatch(/ECONNREFUSED/);
  await c.close();
  const r = c.health().reconnects;
  await new Promise((res) => setTimeout(res, 60));
  expect(c.health().reconnects).toBe(r);
  fake = await startFakeBlackhole();
});
