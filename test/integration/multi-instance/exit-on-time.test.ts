/**
 * SIGTERM ends a real gateway process within PATCHBAY_SHUTDOWN_TIMEOUT_MS whatever its
 * surroundings do: stdout's reader gone (writes fail with EPIPE) or stuck (the pipe is full),
 * the database or the backend hanging without an answer.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { TEST_AUTH } from '../../helpers/admin-key';
import { createTestDatabase, dropTestDatabase } from '../store/local-postgres';
import { REPO_ROOT, spawnGateway, type GatewayProcess } from './gateway-process';
import { startStallProxy, type StallProxy } from './stall-proxy';
import { TS_CHILD_ARGS } from '../../helpers/ts-child';

jest.setTimeout(60_000);

const LIMIT_MS = 3000;
/** Process start-up of `exit` itself and a busy machine: what the measurement may add. */
const SLACK_MS = 1000;

let sim: AriSimulator;
let dbName: string;
const proxies: StallProxy[] = [];
const gateways: GatewayProcess[] = [];

beforeAll(async () => {
  dbName = await createTestDatabase('exit');
  sim = await startAriSimulator({ port: 0 });
});

afterAll(async () => {
  for (const g of gateways) g.kill();
  await Promise.all(gateways.map((g) => g.exited));
  await Promise.all(proxies.map((p) => p.close()));
  await sim?.close();
  if (dbName) await dropTestDatabase(dbName);
});

async function gatewayBehindProxies(name: string): Promise<{ gw: GatewayProcess; db: StallProxy; pbx: StallProxy }> {
  const db = await startStallProxy(Number(process.env.PGPORT ?? 5432), process.env.PGHOST ?? '127.0.0.1');
  const pbx = await startStallProxy(Number(new URL(sim.url).port));
  proxies.push(db, pbx);
  const gw = await spawnGateway({
    name,
    env: { PATCHBAY_SHUTDOWN_TIMEOUT_MS: String(LIMIT_MS) },
    config: {
      port: 0,
      host: '127.0.0.1',
      database: { url: `postgresql://${process.env.PGUSER ?? 'postgres'}@127.0.0.1:${db.port}/${dbName}` },
      backends: [
        {
          name: 'pbx',
          kind: 'ari',
          url: `http://127.0.0.1:${pbx.port}/ari`,
          username: 'asterisk',
          password: 'asterisk',
          app: 'patchbay',
          requestTimeoutMs: 60_000,
        },
      ],
    },
  });
  gateways.push(gw);
  return { gw, db, pbx };
}

/** Requests that each add a request-log line: enough of them fill stdout's buffer and pipe. */
async function logLines(gw: GatewayProcess, count: number): Promise<void> {
  for (let i = 0; i < count; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, () =>
        fetch(gw.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: TEST_AUTH },
          body: JSON.stringify({ query: '{ me { id } }' }),
        }).then((r) => r.text()),
      ),
    );
  }
}

/** Sends SIGTERM and resolves with how long the process took to exit, and how. */
async function terminate(gw: GatewayProcess): Promise<{ ms: number; code: number | string | null }> {
  const started = performance.now();
  process.kill(gw.pid, 'SIGTERM');
  const code = await Promise.race([
    gw.exited,
    new Promise<'still running'>((r) => setTimeout(() => r('still running'), LIMIT_MS + 10_000).unref()),
  ]);
  return { ms: performance.now() - started, code };
}

it('exits on time (and cleanly) when the reader of its stdout has gone away', async () => {
  const { gw } = await gatewayBehindProxies('gw-epipe');
  gw.closeStdout();
  await logLines(gw, 60);
  const { ms, code } = await terminate(gw);
  expect(code).toBe(0);
  expect(ms).toBeLessThan(LIMIT_MS + SLACK_MS);
});

it('exits on time when its stdout pipe is full and nobody reads it', async () => {
  const { gw } = await gatewayBehindProxies('gw-stuck');
  gw.pauseStdout();
  // Well past a pipe's 64 KB: the gateway's log writes then wait on the reader.
  await logLines(gw, 600);
  const { ms, code } = await terminate(gw);
  expect(code).not.toBe('still running');
  expect(ms).toBeLessThan(LIMIT_MS + SLACK_MS);
});

it('exits on time when the database and the backend hang without answering', async () => {
  const { gw, db, pbx } = await gatewayBehindProxies('gw-hung');
  db.stall();
  pbx.stall();
  // A request that now waits on the backend keeps the drain busy until the limit.
  void fetch(gw.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: TEST_AUTH },
    body: JSON.stringify({ query: '{ channels(filter: { systemWide: true }) { id } }' }),
  }).catch(() => undefined);
  const { ms, code } = await terminate(gw);
  expect(code).toBe(1);
  expect(ms).toBeLessThan(LIMIT_MS + SLACK_MS);
});

it('the log flush at exit gives up at once when stdout has no reader (EPIPE), instead of retrying it for ever', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  delete env.NODE_OPTIONS;
  delete env.JEST_WORKER_ID;
  const child = spawn(process.execPath, [...TS_CHILD_ARGS, join(__dirname, 'fixtures/log-then-exit.ts')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | string | null>((r) => child.once('exit', (code, signal) => r(code ?? signal)));
  // Closed before the child has written anything: its first write, the exit flush, meets EPIPE.
  child.stdout.destroy();
  child.stdin.end('go\n');
  const code = await Promise.race([
    exited,
    new Promise<'still running'>((r) => setTimeout(() => r('still running'), 15_000).unref()),
  ]);
  if (code === 'still running') child.kill('SIGKILL');
  expect(code).toBe(0);
});
