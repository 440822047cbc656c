/**
 * SIGTERM under load, against the real CLI: a graphql-ws subscriber and a stream of
 * originate/hangup mutations run while the process is told to stop. It must exit 0 within its
 * bound, the subscriber must get `complete` (not an error), and after a restart on the same data
 * dir the journal must hold every event the subscriber saw and every channel creation and
 * destruction the simulator emitted before the signal; no mutation may have answered success
 * without its effect on the simulator. The request log and ARI logs carry the request id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Journaled } from '../../../src/domain/events';
import { startGateway } from '../../../src/gateway';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { subscribe, waitFor } from '../../helpers/gateway-harness';
import { fromJournal, fromPayload } from '../events/event-helpers';
import { TEST_ADMIN_KEY, TEST_AUTH } from '../../helpers/admin-key';
import { TS_CHILD_ARGS } from '../../helpers/ts-child';

const ROOT = join(__dirname, '..', '..', '..');

function startCli(
  configFile: string,
  env: Record<string, string>,
): { child: ChildProcess; lines: () => Array<Record<string, any>>; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, [...TS_CHILD_ARGS, 'src/main.ts', '--config', configFile], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', PATCHBAY_ADMIN_KEY: TEST_ADMIN_KEY, ...env },
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const lines = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, any>);
  return { child, lines, output: () => out };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );
}

/** A second ARI application with subscribeAll: sees every channel event the simulator emits. */
function observeSimulator(sim: AriSimulator) {
  const events: Array<{ type: string; id: string }> = [];
  const ws = new WebSocket(`${sim.url.replace(/^http/, 'ws')}/events?app=observer&subscribeAll=true`, {
    headers: { authorization: `Basic ${Buffer.from('asterisk:asterisk').toString('base64')}` },
  });
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.channel?.id) events.push({ type: m.type, id: `pbx1:${m.channel.id}` });
  });
  return { events, opened: new Promise((r) => ws.once('open', r)), close: () => ws.close() };
}

async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  requestId: string,
): Promise<{ data?: any; errors?: any[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, authorization: TEST_AUTH },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as never;
}

interface MutationResult {
  op: 'originate' | 'hangup';
  id: string;
  ok: boolean;
}

describe('SIGTERM under load (real CLI)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-sigterm-'));
  let sim: AriSimulator;
  beforeAll(async () => {
    sim = await startAriSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 in bound; the subscriber completes; nothing journaled is lost; no success without effect', async () => {
    const configFile = join(dataDir, 'patchbay.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        host: '127.0.0.1',
        // One process: this is the single instance's shutdown (test/integration/cluster/ has the workers').
        workers: 1,
        backends: [
          { name: 'pbx1', kind: 'ari', url: sim.url, username: 'asterisk', password: 'asterisk', app: 'patchbay' },
        ],
      }),
    );
    const observer = observeSimulator(sim);
    await observer.opened;
    const cli = startCli(configFile, {
      PORT: '0',
      PATCHBAY_DATA_DIR: join(dataDir, 'data'),
      LOG_LEVEL: 'debug',
      PATCHBAY_SHUTDOWN_TIMEOUT_MS: '10000',
    });
    let killedAt: number | undefined;
    try {
      const url = await waitFor(
        () => cli.lines().find((l) => l.msg === 'patchbay listening')?.url as string | undefined,
        'the gateway to listen',
        60_000,
      );

      // The request id of a mutation is in its request log line and in the ARI request log.
      const first = await gql(
        url,
        'mutation First($input: OriginateInput!) { originate(input: $input) { channel { id } } }',
        { input: { backend: 'pbx1', endpoint: 'PJSIP/carol', app: 'patchbay' } },
        'obs-cli-first',
      );
      expect(first.errors).toBeUndefined();
      await waitFor(
        () => cli.lines().find((l) => l.component === 'request' && l.requestId === 'obs-cli-first'),
        'request log line',
      );
      expect(cli.lines().filter((l) => l.component === 'request' && l.requestId === 'obs-cli-first')).toEqual([
        expect.objectContaining({
          msg: 'graphql request',
          operationName: 'First',
          operationType: 'mutation',
          outcome: 'success',
          principalId: 'bootstrap',
          backendCalls: 1,
          status: 200,
        }),
      ]);
      expect(cli.lines().find((l) => l.component === 'ari-http' && l.requestId === 'obs-cli-first')).toMatchObject({
        method: 'POST',
        path: '/channels',
        status: 200,
      });

      const client = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
        connectionParams: { authorization: TEST_AUTH },
      });
      const sub = subscribe(client, 'subscription { channelEvents { __typename cursor channelId reconciled } }');

      const results: MutationResult[] = [];
      let stop = false;
      const worker = async (w: number): Promise<void> => {
        for (let i = 0; !stop; i++) {
          let id: string | undefined;
          try {
            const o = await gql(
              url,
              'mutation($input: OriginateInput!) { originate(input: $input) { channel { id } } }',
              { input: { backend: 'pbx1', endpoint: 'PJSIP/alice', app: 'patchbay' } },
              `load-${w}-${i}-o`,
            );
            id = o.data?.originate?.channel?.id;
            results.push({ op: 'originate', id: id ?? '', ok: !o.errors && !!id });
            if (!id) continue;
            const hg = await gql(
              url,
              'mutation($id: ID!) { hangupChannel(input: { id: $id }) { hungUpChannelId } }',
              { id },
              `load-${w}-${i}-h`,
            );
            results.push({ op: 'hangup', id, ok: !hg.errors && hg.data?.hangupChannel?.hungUpChannelId === id });
          } catch {
            return; // the gateway stopped accepting
          }
        }
      };
      const workers = [worker(1), worker(2), worker(3)];
      await waitFor(() => results.filter((r) => r.ok).length >= 12 && sub.items.length >= 12, 'load running', 20_000);

      const emittedBeforeKill = [...observer.events];
      killedAt = Date.now();
      cli.child.kill('SIGTERM');
      expect(await exited(cli.child)).toBe(0);
      stop = true;
      await Promise.all(workers);
      expect(cli.output()).toContain('patchbay stopped');
      await waitFor(() => sub.completed || sub.failure !== undefined, 'subscription ended');
      expect(sub.failure).toBeUndefined();
      expect(sub.completed).toBe(true);
      await client.dispose();

      // No mutation answered success without its effect on the simulator.
      const succeeded = results.filter((r) => r.ok);
      expect(succeeded.length).toBeGreaterThanOrEqual(12);
      const created = new Set(observer.events.filter((e) => e.type === 'ChannelCreated').map((e) => e.id));
      await waitFor(() => {
        const destroyed = new Set(observer.events.filter((e) => e.type === 'ChannelDestroyed').map((e) => e.id));
        return succeeded.every((r) => (r.op === 'originate' ? created.has(r.id) : destroyed.has(r.id)));
      }, 'every successful mutation visible on the simulator');

      // Restart on the same data dir (no backends: nothing is reconciled, only what was journaled is there).
      const again = await startGateway(
        {
          port: 0,
          host: '127.0.0.1',
          database: { dataDir: join(dataDir, 'data') },
          pubsub: {},
          events: { retention: { maxAgeMs: 3_600_000, maxEvents: 100_000 } },
          backends: [],
          demo: false,
        },
        { backends: [] },
      );
      let journal: Journaled[];
      try {
        journal = await again.events.journal.read(null, { limit: 100_000, filter: { categories: ['channel'] } });
      } finally {
        await again.stop();
      }
      const journaled = journal.map(fromJournal);
      const byCursor = new Map(journaled.map((e) => [e.cursor, e]));
      const seen = sub.items.map((p) => fromPayload(p as never));
      expect(seen.length).toBeGreaterThanOrEqual(10);
      for (const e of seen) expect(byCursor.get(e.cursor)).toEqual(e);

      const keys = new Set(journaled.filter((e) => !e.reconciled).map((e) => `${e.type} ${e.channelId}`));
      const missing = emittedBeforeKill.filter(
        (e) => (e.type === 'ChannelCreated' || e.type === 'ChannelDestroyed') && !keys.has(`${e.type} ${e.id}`),
      );
      expect(missing).toEqual([]);
      expect(emittedBeforeKill.filter((e) => e.type === 'ChannelDestroyed').length).toBeGreaterThanOrEqual(4);
    } finally {
      observer.close();
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    }
    expect(killedAt).toBeGreaterThan(0);
  }, 90_000);
});
