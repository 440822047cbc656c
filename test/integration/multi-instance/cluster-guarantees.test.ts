/**
 * Two gateway instances on one PostgreSQL and one Redis, in front of one ARI simulator: what
 * must hold for the pair, not per instance. Both are ready (the follower through the leader's
 * ingest heartbeat) and both turn unready when the backend's events stop; a key revoked through
 * one instance loses its sockets on the other within a second; and the two together allow one
 * key only the configured rate.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { defaultSecurity, type GatewayConfig } from '../../../src/config';
import { startGateway, type Gateway } from '../../../src/gateway';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { ariConfig, testAriBackend, waitFor } from '../../helpers/gateway-harness';
import { sampleValue, scrape } from '../observability/helpers';
import { createTestDatabase, databaseUrl, dropTestDatabase } from '../store/local-postgres';
import { REPO_ROOT } from './gateway-process';
import { REDIS_URL, requireRedis } from './machine-services';
import { TS_CHILD_ARGS } from '../../helpers/ts-child';

jest.setTimeout(60_000);

const BURST = 8;
const PER_SECOND = 1;

let sim: AriSimulator;
let dbName: string;
let gw1: Gateway;
let gw2: Gateway;
let busChannel: string;

function config(channel: string): GatewayConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    database: { url: databaseUrl(dbName), dataDir: '/nonexistent-unused-with-a-url' },
    pubsub: { redisUrl: REDIS_URL, channel },
    events: { retention: { maxAgeMs: 3_600_000, maxEvents: 100_000 } },
    backends: [ariConfig('pbx1', sim)],
    security: { ...defaultSecurity(), rateLimit: { burst: BURST, perSecond: PER_SECOND } },
    demo: false,
  };
}

function start(channel: string, instanceId: string): Promise<Gateway> {
  return startGateway(config(channel), {
    backends: [testAriBackend(ariConfig('pbx1', sim))],
    events: { leaseTtlMs: 1500, instanceId },
  });
}

const base = (g: Gateway): string => g.url.replace(/\/graphql$/, '');

async function readyz(g: Gateway): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base(g)}/readyz`);
  return { status: res.status, body: await res.json() };
}

function post(g: Gateway, key: string, query: string): Promise<Response> {
  return fetch(g.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
}

beforeAll(async () => {
  await requireRedis();
  dbName = await createTestDatabase('cluster');
  sim = await startAriSimulator({ port: 0 });
  busChannel = `patchbay-test-cluster-${randomUUID()}`;
  gw1 = await start(busChannel, 'gw1');
  gw2 = await start(busChannel, 'gw2');
  await gw1.keys.create({ name: 'cluster admin', role: 'ADMIN', scope: { all: true } });
}, 40_000);

afterAll(async () => {
  await Promise.allSettled([gw1?.stop(), gw2?.stop()]);
  await sim?.close();
  if (dbName) await dropTestDatabase(dbName);
});

describe('readiness of a pair', () => {
  it("the follower is ready through the leader's heartbeat, and says who ingests", async () => {
    const [leader, follower] = (await waitFor(
      () =>
        gw1.events.ingestStatus('pbx1')?.leader
          ? [gw1, gw2]
          : gw2.events.ingestStatus('pbx1')?.leader
            ? [gw2, gw1]
            : null,
      'a lease holder',
    )) as Gateway[];
    const f = await waitFor(async () => {
      const r = await readyz(follower);
      return r.status === 200 ? r : null;
    }, 'follower ready');
    expect(f.body.backends[0]).toMatchObject({
      name: 'pbx1',
      connected: false,
      ingestLeader: false,
      ingest: { by: 'another instance', alive: true, reason: null },
    });
    expect(f.body.backends[0].ingest.heartbeatAgeMs).toBeLessThan(3500);
    const l = await readyz(leader);
    expect(l.status).toBe(200);
    expect(l.body.backends[0]).toMatchObject({
      connected: true,
      ingestLeader: true,
      ingest: { by: 'this instance', alive: true, reason: null, heartbeatAgeMs: null },
    });
    for (const g of [leader, follower])
      expect(sampleValue((await scrape(base(g))).samples, 'patchbay_backend_ingest_alive', { backend: 'pbx1' })).toBe(
        1,
      );
  });
});

/** A graphql-ws socket of `key` on `g`, acknowledged; `closed` resolves its close code and time. */
async function openSocket(g: Gateway, key: string): Promise<{ closed: Promise<{ code: number; at: number }> }> {
  const socket = new WebSocket(g.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  await new Promise((r) => socket.once('open', r));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
  const ack = await new Promise<string>((r) => socket.once('message', (m) => r(m.toString())));
  expect(JSON.parse(ack).type).toBe('connection_ack');
  return { closed: new Promise((r) => socket.once('close', (code) => r({ code, at: performance.now() }))) };
}

describe('revocation across instances', () => {
  it('a key revoked through one instance loses its sockets on the other within a second', async () => {
    const made = await gw1.keys.create({ name: 'to revoke', role: 'VIEWER', scope: { all: true } });
    const { closed } = await openSocket(gw2, made.key);
    const revokedAt = performance.now();
    await gw1.keys.revoke(made.record.id);
    const { code, at } = await closed;
    expect(code).toBe(4403);
    expect(at - revokedAt).toBeLessThan(1000);
    // And the other instance refuses the key over HTTP at once (its cached verification is gone).
    expect((await post(gw2, made.key, '{ me { id } }')).status).toBe(401);
  });
});

describe('revocation by the keys CLI', () => {
  it("reaches both instances' sockets at once when its config names the Redis", async () => {
    const made = await gw1.keys.create({ name: 'cli revoked', role: 'VIEWER', scope: { all: true } });
    const sockets = await Promise.all([openSocket(gw1, made.key), openSocket(gw2, made.key)]);
    const dir = mkdtempSync(join(tmpdir(), 'patchbay-cli-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(
        file,
        JSON.stringify({
          database: { url: databaseUrl(dbName) },
          pubsub: { redis: REDIS_URL, channel: busChannel },
          backends: [],
        }),
      );
      const env = { ...process.env, NODE_OPTIONS: '', DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'silent' };
      const run = await promisify(execFile)(
        process.execPath,
        [...TS_CHILD_ARGS, 'src/auth/cli.ts', '--config', file, 'revoke', made.record.id],
        { cwd: REPO_ROOT, env },
      );
      const exitedAt = performance.now();
      expect(run.stdout).toBe(
        `Revoked key ${made.record.id} ("cli revoked"). Running gateways sharing its Redis were told: its sockets close now.\n`,
      );
      // Closed before the CLI had even exited, not at the next key sweep (15 s).
      for (const s of await Promise.all(sockets.map((x) => x.closed))) {
        expect(s.code).toBe(4403);
        expect(s.at).toBeLessThan(exitedAt);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rate limits across instances', () => {
  it('two instances together allow one key its burst, not twice it', async () => {
    const key = (await gw1.keys.create({ name: 'limited', role: 'VIEWER', scope: { all: true } })).key;
    // Verified once on each instance first, so the burst below is only rate-limit decisions.
    await post(gw1, key, '{ me { id } }');
    await post(gw2, key, '{ me { id } }');
    const started = performance.now();
    const statuses: number[] = [];
    for (let i = 0; i < 4 * BURST; i++) statuses.push((await post(i % 2 ? gw2 : gw1, key, '{ me { id } }')).status);
    const seconds = (performance.now() - started) / 1000;
    const allowed = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    // The two warm-up requests took tokens too; refill adds PER_SECOND while the burst runs.
    expect(allowed).toBeLessThanOrEqual(BURST - 2 + Math.ceil(seconds * PER_SECOND));
    expect(allowed).toBeGreaterThanOrEqual(BURST - 2);
    expect(statuses.filter((s, i) => s === 429 && i % 2 === 0).length).toBeGreaterThan(0);
    expect(statuses.filter((s, i) => s === 429 && i % 2 === 1).length).toBeGreaterThan(0);
  });
});

describe('readiness when the backend is gone', () => {
  it("both instances turn unready, the follower from the leader's report", async () => {
    await sim.close();
    for (const g of [gw1, gw2]) {
      const r = await waitFor(
        async () => {
          const x = await readyz(g);
          return x.status === 503 ? x : null;
        },
        'unready',
        10_000,
      );
      expect(r.body.reasons).toEqual(["no backend's events are being ingested"]);
      expect(r.body.backends[0].ingest.alive).toBe(false);
      expect(typeof r.body.backends[0].ingest.reason).toBe('string');
    }
  });
});
