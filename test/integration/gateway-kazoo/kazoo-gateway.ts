/**
 * A real gateway with a KAZOO backend ("kz", acting for the simulator's customer account) and,
 * optionally, one ARI simulator ("pbx1") for the mixed-graph cases. Everything talks over real
 * sockets; the KAZOO simulator's request log is how batching is counted.
 */
import { createServer } from 'node:net';
import { KazooBackend } from '../../../src/backends/kazoo/backend';
import type { Backend } from '../../../src/backends/types';
import type { KazooBackendConfig } from '../../../src/config';
import {
  addRecipientAccount,
  defaultSeed,
  startKazooSimulator,
  type KazooSeed,
  type KazooSimulator,
  type KazooSimulatorOptions,
  type WorldAccount,
} from '../../../src/simulators/kazoo';
import { startHarness, waitFor, type GraphQLResponse, type Harness } from '../../helpers/gateway-harness';

export const KZ = 'kz';

/** A GraphQL answer and the Crossbar requests made for it. */
export interface Traced<D = Record<string, any>> {
  r: GraphQLResponse<D>;
  lines: string[];
}
let traceSeq = 0;

export interface KazooGateway {
  h: Harness;
  sim: KazooSimulator;
  kazoo: KazooBackend;
  acme: WorldAccount;
  /** User id by username (e.g. "alice.agent"). */
  user(username: string): string;
  /** First device id of a user. */
  deviceOf(username: string): string;
  queue(name: string): string;
  /** Global recipient id `kz:<acme>/<userId>`. */
  rid(username: string, accountId?: string): string;
  /** Global channel id `kz:<callId>`. */
  cid(callId: string): string;
  /**
   * Runs a query under its own X-Request-ID and returns the Crossbar requests made for it
   * (the gateway forwards the id), so background traffic (resyncs, reconnects) never counts.
   */
  traced<D = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<Traced<D>>;
  /** Runs a query and fails the test on any GraphQL error. */
  ok<D = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<D>;
  close(): Promise<void>;
}

export function kazooConfig(
  sim: KazooSimulator,
  account: WorldAccount,
  over: Partial<KazooBackendConfig> = {},
): KazooBackendConfig {
  return {
    name: KZ,
    kind: 'kazoo',
    url: sim.crossbarUrl,
    apiKey: account.apiKey,
    accountId: account.id,
    blackholeUrl: sim.blackholeUrl,
    requestTimeoutMs: 2000,
    ...over,
  };
}

export function testKazooBackend(config: KazooBackendConfig): KazooBackend {
  return new KazooBackend(config, { backoffBaseMs: 10, backoffMaxMs: 50, pingIntervalMs: 0, replyTimeoutMs: 2000 });
}

export async function startKazooGateway(
  o: {
    ari?: boolean;
    seed?: KazooSeed;
    sim?: KazooSimulatorOptions;
    extraBackends?: (sim: KazooSimulator) => Backend[];
  } = {},
): Promise<KazooGateway> {
  const sim = await startKazooSimulator({
    seed: o.seed,
    ...o.sim,
    timing: { channelLookupTimeoutMs: 20, actionEffectMs: 10, wrapupMs: 60_000, ...o.sim?.timing },
  });
  const acme = sim.world.customerAccount!;
  const kazoo = testKazooBackend(kazooConfig(sim, acme));
  let h: Harness;
  try {
    h = await startHarness({ simulators: o.ari ? 1 : 0, extraBackends: [kazoo, ...(o.extraBackends?.(sim) ?? [])] });
  } catch (e) {
    await kazoo.stop();
    await sim.close();
    throw e;
  }
  await waitFor(() => kazoo.health().connected, 'Blackhole subscribed');

  const userRec = (username: string) => {
    const u = sim.world.users.find((x) => x.username === username);
    if (!u) throw new Error(`no user ${username}`);
    return u;
  };
  return {
    h,
    sim,
    kazoo,
    acme,
    user: (username) => userRec(username).id,
    deviceOf: (username) => userRec(username).deviceIds[0],
    queue: (name) => sim.world.queues.find((q) => q.name === name)!.id,
    rid: (username, accountId = acme.id) => `${KZ}:${accountId}/${userRec(username).id}`,
    cid: (callId) => `${KZ}:${callId}`,
    async traced<D>(query: string, variables?: Record<string, unknown>) {
      const requestId = `kz-test-${++traceSeq}`;
      const r = await h.gql<D>(query, variables, { 'x-request-id': requestId });
      const lines = sim.requests
        .filter((x) => x.requestId === requestId)
        .map((x) => `${x.method} ${x.path.replace(/^\/v2/, '')}`);
      return { r, lines };
    },
    async ok<D>(query: string, variables?: Record<string, unknown>): Promise<D> {
      const r: GraphQLResponse<D> = await h.gql<D>(query, variables);
      if (r.errors || r.status !== 200) throw new Error(`GraphQL failed (${r.status}): ${JSON.stringify(r.errors)}`);
      return r.data as D;
    },
    async close() {
      await h.close();
      await sim.close();
    },
  };
}

/** Raw Crossbar GET with the account's api key, to compare the gateway's view with the wire. */
export async function crossbarGet(sim: KazooSimulator, account: WorldAccount, path: string): Promise<any> {
  const auth = await fetch(`${sim.crossbarUrl}/api_auth`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: { api_key: account.apiKey } }),
  });
  const token = ((await auth.json()) as { auth_token: string }).auth_token;
  const res = await fetch(`${sim.crossbarUrl}${path}`, { headers: { 'x-auth-token': token } });
  return ((await res.json()) as { data: unknown }).data;
}

/** A Crossbar write with the account's api key, as an administrator would make it beside patchbay. */
export async function crossbarWrite(
  sim: KazooSimulator,
  account: WorldAccount,
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  data?: unknown,
): Promise<any> {
  const auth = await fetch(`${sim.crossbarUrl}/api_auth`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: { api_key: account.apiKey } }),
  });
  const token = ((await auth.json()) as { auth_token: string }).auth_token;
  const res = await fetch(`${sim.crossbarUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-auth-token': token },
    body: data === undefined ? undefined : JSON.stringify({ data }),
  });
  const body = (await res.json()) as { data: unknown };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body.data;
}

/** A KAZOO backend whose Crossbar refuses connections (a port nothing listens on). */
export async function deadKazooBackend(name: string): Promise<KazooBackend> {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  return new KazooBackend({
    name,
    kind: 'kazoo',
    url: `http://127.0.0.1:${port}/v2`,
    apiKey: 'a'.repeat(64),
    accountId: 'b'.repeat(32),
    requestTimeoutMs: 1000,
  });
}

export interface KazooGraph extends KazooGateway {
  /** "Bulk Co": a child account of Acme with 50 ready agents in one queue. */
  bulk: { accountId: string; queueId: string };
}

/**
 * The whole KAZOO half of the graph behind one gateway (a gateway start is the slow part):
 * pbx1 (ARI), kz (Acme, with Blackhole), kzadmin (superduper admin, no Blackhole), kzdown
 * (refuses connections) and kzbadkey (an api key KAZOO does not know).
 */
export async function startKazooGraph(): Promise<KazooGraph> {
  const seed = defaultSeed();
  const acmeId = seed.accounts.find((a) => !a.superduperAdmin)!.id;
  const bulk = addRecipientAccount(seed, { name: 'Bulk Co', count: 50, parentId: acmeId, initialState: 'Ready' });
  const dead = await deadKazooBackend('kzdown');
  const g = await startKazooGateway({
    ari: true,
    seed,
    extraBackends: (sim) => [
      new KazooBackend(kazooConfig(sim, sim.world.superduperAccount, { name: 'kzadmin', blackholeUrl: undefined })),
      dead,
      new KazooBackend(
        kazooConfig(sim, sim.world.customerAccount!, {
          name: 'kzbadkey',
          apiKey: 'f'.repeat(64),
          blackholeUrl: undefined,
        }),
      ),
    ],
  });
  return { ...g, bulk };
}
