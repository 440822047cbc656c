/**
 * `workers: 2` on PostgreSQL and Redis, the deployed shape: workers connect to both themselves,
 * like separate instances. A key revoked by the keys CLI loses its sockets on both workers at
 * once (Redis control channel), and SIGTERM stops the cluster cleanly.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { ApiKeyStore } from '../../../src/auth/api-keys';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { openDatabase, type Database } from '../../../src/store/database';
import { TS_CHILD_ARGS } from '../../helpers/ts-child';
import { REPO_ROOT, spawnGateway, type GatewayProcess } from '../multi-instance/gateway-process';
import { REDIS_URL, requireRedis } from '../multi-instance/machine-services';
import { createTestDatabase, databaseUrl, dropTestDatabase } from '../store/local-postgres';
import { TEST_KEY_HASH_COST } from '../../helpers/key-hash-cost';

jest.setTimeout(90_000);

let sim: AriSimulator;
let dbName: string;
let db: Database;
let gw: GatewayProcess;
const channel = `patchbay-test:${randomUUID()}`;

beforeAll(async () => {
  await requireRedis();
  dbName = await createTestDatabase('workers');
  sim = await startAriSimulator({ port: 0 });
  gw = await spawnGateway({
    name: 'cluster-pg',
    listening: 'cluster listening',
    config: {
      port: 0,
      host: '127.0.0.1',
      workers: 2,
      database: { url: databaseUrl(dbName) },
      pubsub: { redis: REDIS_URL, channel },
      backends: [{ name: 'pbx', kind: 'ari', url: sim.url, username: 'asterisk', password: 'asterisk', app: 'pg' }],
    },
    startTimeoutMs: 60_000,
  });
  db = await openDatabase({ url: databaseUrl(dbName), dataDir: '/nonexistent-unused-with-a-url' });
});

afterAll(async () => {
  gw?.kill();
  await gw?.exited;
  await db?.close();
  await sim?.close();
  if (dbName) await dropTestDatabase(dbName);
});

/** A graphql-ws connection that says which worker took it and when it was closed. */
async function openSocket(key: string): Promise<{ worker: string; closed: Promise<{ code: number; at: number }> }> {
  const socket = new WebSocket(gw.wsUrl, 'graphql-transport-ws');
  // 'open' follows 'upgrade' in the same turn: both listeners go on before either is awaited.
  const upgraded = new Promise<string>((r) =>
    socket.once('upgrade', (res) => r(String(res.headers['x-patchbay-worker']))),
  );
  await new Promise((r) => socket.once('open', r));
  const worker = await upgraded;
  const closed = new Promise<{ code: number; at: number }>((r) =>
    socket.once('close', (code) => r({ code, at: performance.now() })),
  );
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
  const ack = await new Promise<string>((r) => socket.once('message', (m) => r(m.toString())));
  expect(JSON.parse(ack).type).toBe('connection_ack');
  return { worker, closed };
}

it('a key revoked by the keys CLI loses its sockets on every worker at once', async () => {
  const made = await new ApiKeyStore(db, { hashCost: TEST_KEY_HASH_COST }).create({
    name: 'cli revoked',
    role: 'VIEWER',
    scope: { all: true },
  });
  const sockets: Array<Awaited<ReturnType<typeof openSocket>>> = [];
  while (new Set(sockets.map((s) => s.worker)).size < 2 && sockets.length < 8) sockets.push(await openSocket(made.key));
  expect(new Set(sockets.map((s) => s.worker)).size).toBe(2);
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-cli-'));
  try {
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({ database: { url: databaseUrl(dbName) }, pubsub: { redis: REDIS_URL, channel }, backends: [] }),
    );
    const env = { ...process.env, NODE_OPTIONS: '', DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'silent' };
    await promisify(execFile)(
      process.execPath,
      [...TS_CHILD_ARGS, 'src/auth/cli.ts', '--config', file, 'revoke', made.record.id],
      {
        cwd: REPO_ROOT,
        env,
      },
    );
    const exitedAt = performance.now();
    // Closed before the CLI had even exited, not at the next key sweep (15 s).
    for (const s of await Promise.all(sockets.map((x) => x.closed))) {
      expect(s.code).toBe(4403);
      expect(s.at).toBeLessThan(exitedAt);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('SIGTERM stops the cluster and exits 0', async () => {
  await gw.stop(15_000);
  expect(await gw.exited).toBe(0);
  expect(gw.output()).toContain('"msg":"cluster stopped"');
});
