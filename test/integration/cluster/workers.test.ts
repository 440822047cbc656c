/**
 * One gateway as two worker processes (config `workers: 2`), as an operator runs it: the real CLI,
 * embedded PGlite, no Redis, one ARI simulator. Connections land on both workers (each says which
 * in `x-patchbay-worker`); /readyz turns ready on both; a subscriber on either gets every event,
 * ingested once; rate limits are one bucket per key across workers; a resume after
 * a disconnect equals the journal's history; a SIGKILLed worker is replaced and ingest goes on;
 * SIGTERM stops the whole cluster cleanly.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { TEST_AUTH } from '../../helpers/admin-key';
import { spawnGateway, type GatewayProcess } from '../multi-instance/gateway-process';
import { CHANNEL_EVENT_FIELDS, gql, history, toSeen, waitFor, type SeenEvent } from '../multi-instance/graphql-client';

jest.setTimeout(90_000);

const APP = 'patchbay';
const ORIGINATE = `mutation($input: OriginateInput!) { originate(input: $input) { channel { id } actionCursor } }`;
const HANGUP = `mutation($id: ID!) { hangupChannel(input: { id: $id }) { hungUpChannelId } }`;

let sim: AriSimulator;
let gw: GatewayProcess | undefined;
const clients: Client[] = [];

beforeAll(async () => {
  sim = await startAriSimulator({ port: 0 });
  gw = await spawnGateway({
    name: 'cluster',
    listening: 'cluster listening',
    config: {
      port: 0,
      host: '127.0.0.1',
      workers: 2,
      backends: [{ name: 'pbx', kind: 'ari', url: sim.url, username: 'asterisk', password: 'asterisk', app: APP }],
    },
    env: { PATCHBAY_SHUTDOWN_TIMEOUT_MS: '10000' },
    startTimeoutMs: 60_000,
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  if (gw) {
    gw.kill();
    await gw.exited;
  }
  await sim?.close();
});

/** A fresh connection's answer: which worker served it. */
function workerOf(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url.replace('/graphql', '/healthz'), { agent: false }, (res) => {
      res.resume();
      resolve(String(res.headers['x-patchbay-worker']));
    });
    req.once('error', reject);
    req.end();
  });
}

/** A GET on a fresh connection: status, JSON body and the worker that answered. */
function getJson(url: string): Promise<{ status: number; worker: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode!, worker: String(res.headers['x-patchbay-worker']), body: JSON.parse(text) }),
      );
    });
    req.once('error', reject);
    req.end();
  });
}

interface Subscriber {
  worker: string;
  events: SeenEvent[];
  failure?: unknown;
  client: Client;
}

/** channelEvents(after) on a new socket; resolves once the socket is open, with the worker that took it. */
function subscribe(wsUrl: string, after: string): Promise<Subscriber> {
  return new Promise((resolve) => {
    const sub = { events: [] as SeenEvent[] } as Subscriber;
    class LabelledSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols);
        this.once('upgrade', (res) => {
          sub.worker = String(res.headers['x-patchbay-worker']);
          resolve(sub);
        });
      }
    }
    sub.client = createClient({
      url: wsUrl,
      webSocketImpl: LabelledSocket,
      retryAttempts: 0,
      connectionParams: { authorization: TEST_AUTH },
    });
    clients.push(sub.client);
    sub.client.subscribe<{ channelEvents: Parameters<typeof toSeen>[0] }>(
      {
        query: `subscription($after: String) { channelEvents(after: $after) { ${CHANNEL_EVENT_FIELDS} } }`,
        variables: { after },
      },
      {
        next: (v) => (v.data ? sub.events.push(toSeen(v.data.channelEvents)) : (sub.failure ??= v.errors)),
        error: (e) => (sub.failure ??= e),
        complete: () => undefined,
      },
    );
  });
}

/** A call that rings, is answered and hangs up; resolves with the cursor before it started. */
async function call(url: string, id: string): Promise<string> {
  const d = await gql<{ originate: { channel: { id: string }; actionCursor: string } }>(url, ORIGINATE, {
    input: { backend: 'pbx', endpoint: 'Local/wait@ari-test', app: APP, channelId: id, otherChannelId: `${id}-2` },
  });
  await gql(url, HANGUP, { id: d.originate.channel.id });
  return d.originate.actionCursor;
}

function reaches(sub: Subscriber, n: number, label: string): Promise<void> {
  return waitFor(() => sub.failure !== undefined || sub.events.length >= n, `${label} to get ${n} events`, {
    timeoutMs: 15_000,
    everyMs: 20,
  }).then(() => {
    if (sub.failure !== undefined) throw new Error(`${label} failed: ${JSON.stringify(sub.failure)}`);
  });
}

function childPids(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text ? text.split(/\s+/).map(Number) : [];
}

describe('workers: 2', () => {
  let start = '';

  it('HTTP connections land on both workers', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 8 && seen.size < 2; i++) seen.add(await workerOf(gw!.url));
    expect([...seen].sort()).toEqual(['1', '2']);
  });

  it('/readyz turns ready on every worker, the one that does not ingest included', async () => {
    // A worker that does not ingest is ready once it heard the ingesting one's heartbeat (1 s).
    const ready = new Map<string, { ingestBy: string }>();
    await waitFor(
      async () => {
        const r = await getJson(gw!.url.replace('/graphql', '/readyz'));
        if (r.status === 200 && r.body.status === 'ready')
          ready.set(r.worker, { ingestBy: r.body.backends[0].ingest.by });
        return ready.size === 2;
      },
      'both workers ready',
      { timeoutMs: 15_000, everyMs: 50 },
    );
    expect([...ready.values()].map((r) => r.ingestBy).sort()).toEqual(['another instance', 'this instance']);
  });

  it('a subscriber on each worker gets every event, journaled once, in cursor order', async () => {
    start = await call(gw!.url, 'warmup');
    const subs: Subscriber[] = [];
    while (new Set(subs.map((s) => s.worker)).size < 2 && subs.length < 8) subs.push(await subscribe(gw!.wsUrl, start));
    const [a, b] = [subs.find((s) => s.worker === '1')!, subs.find((s) => s.worker === '2')!];
    expect(a && b).toBeTruthy();
    await call(gw!.url, 'c1');
    await call(gw!.url, 'c2');
    const journal = await waitFor(
      async () => {
        const h = await history(gw!.url, start);
        return h.filter((e) => e.type === 'ChannelDestroyed' && e.channel === 'c2-2').length === 1 ? h : undefined;
      },
      'c2 to be destroyed in the journal',
      { timeoutMs: 15_000 },
    );
    for (const [label, s] of [
      ['worker 1', a],
      ['worker 2', b],
    ] as const) {
      await reaches(s, journal.length, label);
      expect(s.events.slice(0, journal.length)).toEqual(journal);
    }
    // Ingested once: one life per channel, no cursor twice.
    expect(new Set(journal.map((e) => e.cursor)).size).toBe(journal.length);
    for (const ch of ['c1', 'c1-2', 'c2', 'c2-2'])
      expect(journal.filter((e) => e.channel === ch && e.type === 'ChannelCreated')).toHaveLength(1);
  });

  it('a resume after a disconnect, on whichever worker, equals the history', async () => {
    const first = await subscribe(gw!.wsUrl, start);
    await call(gw!.url, 'r1');
    await waitFor(() => first.events.some((e) => e.channel === 'r1' && e.type === 'ChannelDestroyed'), 'r1 ends');
    await first.client.dispose();
    const last = first.events.at(-1)!.cursor;
    await call(gw!.url, 'r2');
    const resumed = await subscribe(gw!.wsUrl, last);
    await waitFor(() => resumed.events.some((e) => e.channel === 'r2-2' && e.type === 'ChannelDestroyed'), 'r2 ends');
    const h = await history(gw!.url, start);
    const seen = [...first.events, ...resumed.events];
    expect(seen).toEqual(h.slice(0, seen.length));
  });

  it('a killed worker is replaced, and ingest goes on', async () => {
    const before = childPids(gw!.pid);
    expect(before).toHaveLength(2);
    process.kill(before[0], 'SIGKILL');
    await waitFor(
      () => {
        const now = childPids(gw!.pid);
        return now.length === 2 && !now.includes(before[0]);
      },
      'a new worker process',
      { timeoutMs: 30_000 },
    );
    await waitFor(async () => (await workerOf(gw!.url)) === '3', 'worker 3 to answer', { timeoutMs: 30_000 });
    const sub = await subscribe(gw!.wsUrl, start);
    const cursor = await waitFor(
      async () => {
        try {
          return await call(gw!.url, 'k1');
        } catch {
          return undefined; // the lease may still be moving to the survivor
        }
      },
      'a call after the kill',
      { timeoutMs: 20_000 },
    );
    expect(cursor).toBeTruthy();
    await waitFor(() => sub.events.some((e) => e.channel === 'k1-2' && e.type === 'ChannelDestroyed'), 'k1 ends', {
      timeoutMs: 20_000,
    });
    const h = await history(gw!.url, start);
    expect(sub.events).toEqual(h.slice(0, sub.events.length));
  });

  it('SIGTERM stops every worker and exits 0', async () => {
    const workers = childPids(gw!.pid);
    await gw!.stop(15_000);
    expect(await gw!.exited).toBe(0);
    expect(gw!.output()).toContain('"msg":"cluster stopped"');
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe('workers: 2, rate limits', () => {
  const BURST = 20;
  let limited: GatewayProcess | undefined;

  afterAll(async () => {
    await limited?.stop(15_000);
  });

  it('one bucket per key across workers: both serve, together they allow the burst, not twice it', async () => {
    limited = await spawnGateway({
      name: 'cluster-rate',
      listening: 'cluster listening',
      config: {
        port: 0,
        host: '127.0.0.1',
        workers: 2,
        security: { rateLimit: { burst: BURST, perSecond: 1 } },
        backends: [
          { name: 'pbx', kind: 'ari', url: sim.url, username: 'asterisk', password: 'asterisk', app: 'rate-app' },
        ],
      },
      startTimeoutMs: 60_000,
    });
    const served = new Map<string, number>();
    const started = Date.now();
    let ok = 0;
    for (let i = 0; i < 2 * BURST; i++) {
      const { status, worker } = await post(limited.url, '{ __typename }');
      if (status === 200) {
        ok++;
        served.set(worker, (served.get(worker) ?? 0) + 1);
      } else expect(status).toBe(429);
    }
    const refilled = Math.ceil((Date.now() - started) / 1000);
    expect(served.size).toBe(2);
    expect(ok).toBeGreaterThanOrEqual(BURST);
    // A worker hears what the other spent within its report interval; sequential requests rarely race it.
    expect(ok).toBeLessThanOrEqual(BURST + refilled + 2);
  });
});

/** A POST on a fresh connection: its status and the worker that answered. */
function post(url: string, query: string): Promise<{ status: number; worker: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', authorization: TEST_AUTH },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode!, worker: String(res.headers['x-patchbay-worker']) }));
      },
    );
    req.once('error', reject);
    req.end(JSON.stringify({ query }));
  });
}
