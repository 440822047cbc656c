/**
 * The gateway (and, unless a real ARI is given, its simulators) in a process of its own, so the
 * load generator and the websocket clients never share its event loop or heap. Started by
 * server/handle.ts with --expose-gc; answers the commands of protocol.ts over IPC.
 */
import { createBenchDatabase, type BenchDatabase } from './bench-database';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { execute, parse, validate, type DocumentNode } from 'graphql';
import { defaultSecurity, type BackendConfig, type GatewayConfig, type SecurityConfig } from '../../src/config';
import { startGateway, type Gateway } from '../../src/gateway';
import { startCluster, type ClusterHandle } from '../../src/cluster/primary';
import { getSchema } from '../../src/graphql/schema';
import { createContext, type GatewayServices } from '../../src/graphql/context';
import { GatewaySessionRegistry } from '../../src/graphql/sessions';
import { startAriSimulator, type AriSimulator } from '../../src/simulators/ari';
import { addRecipientAccount, defaultSeed, startKazooSimulator, type KazooSimulator } from '../../src/simulators/kazoo';
import { serveCommands, type CommandHandlers } from '../lib/child-rpc';
import type { AriTarget, BareResult, Commands, MemorySample, StartOptions, Started } from './protocol';
import type { Principal } from '../../src/auth/principal';

const BENCH_APP = 'patchbay';

interface KazooState {
  sim: KazooSimulator;
  acmeId: string;
  benchAccountId: string;
  recipients: number;
  calls: string[];
}

let gateway: Gateway | undefined;
/** With `workers` > 1 the gateway is a cluster: this child is its primary, and most commands ask the workers. */
let cluster: ClusterHandle | undefined;
let ari: AriSimulator | undefined;
let kazoo: KazooState | undefined;
let dataDir: string | undefined;
let database: BenchDatabase | undefined;

/**
 * The default limits are per key, and the bench is one key: 10,000 sockets and thousands of
 * requests a second would be refused (50 sockets, 100 req/s). Limits are raised, not removed:
 * every request and subscription still pays the bucket check, as in production.
 */
function benchSecurity(): SecurityConfig {
  const d = defaultSecurity();
  return { ...d, rateLimit: { burst: 1_000_000, perSecond: 1_000_000 }, maxConnectionsPerKey: 1_000_000 };
}

async function start(o: StartOptions): Promise<Started> {
  const ariTarget =
    o.ari ??
    (await (async () => {
      ari = await startAriSimulator({ port: 0 });
      return { url: ari.url, username: 'asterisk', password: 'asterisk', app: BENCH_APP };
    })());
  const backends: BackendConfig[] = [{ name: 'pbx1', kind: 'ari', ...ariTarget, requestTimeoutMs: 5000 }];
  if (o.kazoo) {
    const seed = defaultSeed();
    const acmeId = seed.accounts.find((a) => !a.superduperAdmin)!.id;
    // An account of its own, so "N recipients" is exactly N (the default world has a few agents).
    const bench = addRecipientAccount(seed, { name: 'Bench Co', count: 0, parentId: acmeId, initialState: 'Ready' });
    const sim = await startKazooSimulator({ seed, timing: { wrapupMs: 60_000 } });
    kazoo = { sim, acmeId, benchAccountId: bench.accountId, recipients: 0, calls: [] };
    const acme = sim.world.customerAccount!;
    backends.push({
      name: 'kz',
      kind: 'kazoo',
      url: sim.crossbarUrl,
      apiKey: acme.apiKey,
      accountId: acme.id,
      blackholeUrl: sim.blackholeUrl,
      requestTimeoutMs: 5000,
    });
  }
  dataDir = mkdtempSync(join(tmpdir(), 'patchbay-bench-'));
  // Set by the parent for --database-url; children inherit the environment.
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (adminUrl) database = await createBenchDatabase(adminUrl);
  const config: GatewayConfig = {
    port: 0,
    host: '127.0.0.1',
    database: { url: database?.url, dataDir },
    pubsub: {},
    events: { retention: { maxAgeMs: 3_600_000, maxEvents: 1_000_000 } },
    security: benchSecurity(),
    backends,
    demo: false,
  };
  if ((o.workers ?? 1) > 1) return startWorkers(config, o.workers!, ariTarget);
  gateway = await startGateway(config, { events: { liveView: o.liveView } });
  const deadline = Date.now() + 15_000;
  while (!gateway.registry.all().every((b) => b.health().connected)) {
    if (Date.now() > deadline) throw new Error('backend event sockets did not connect within 15 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  const { key } = await gateway.keys.create({ name: 'bench admin', role: 'ADMIN', scope: { all: true } });
  return { gatewayUrl: gateway.url, apiKey: key, ari: ariTarget, localAri: Boolean(ari) };
}

/** The cluster's start: ready once some worker ingests every backend. */
async function startWorkers(config: GatewayConfig, workers: number, ariTarget: AriTarget): Promise<Started> {
  cluster = await startCluster({ ...config, workers }, { workers });
  const names = config.backends.map((b) => b.name);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ingesting = new Set((await cluster.stats()).flatMap((s) => s.ingesting));
    if (names.every((n) => ingesting.has(n))) break;
    if (Date.now() > deadline) throw new Error('no worker ingests every backend within 15 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  const { key } = await cluster.keys.create({ name: 'bench admin', role: 'ADMIN', scope: { all: true } });
  return { gatewayUrl: cluster.url, apiKey: key, ari: ariTarget, localAri: Boolean(ari) };
}

/** Summed over the workers of a cluster. */
async function workerSum(of: 'subscriptions' | 'listeners'): Promise<number> {
  return (await cluster!.stats()).reduce((n, s) => n + s[of], 0);
}

function memory(gc: boolean): MemorySample {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    if (!collect) throw new Error('the gateway child runs without --expose-gc');
    // Twice: the first pass can leave objects that only become unreachable after finalizers.
    collect();
    collect();
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, rss: m.rss };
}

/** The bare-execute side runs as the same all-scope admin the HTTP side authenticates as. */
const BENCH_PRINCIPAL: Principal = {
  id: 'bench',
  name: 'bench admin',
  role: 'ADMIN',
  scope: { all: true, accountIds: [], backends: [] },
  recipientId: null,
};

/** The services object exactly as gateway.ts hands it to the server's createContext. */
function servicesOf(g: Gateway, liveView: boolean): GatewayServices {
  return {
    registry: g.registry,
    audit: g.audit,
    sessions: new GatewaySessionRegistry(g.events.instanceId),
    events: {
      journal: g.events.journal,
      dispatcher: g.events.dispatcher,
      live: (b: string) => (liveView ? g.events.liveChannels(b) : null),
      ingestStatus: (b: string) => g.events.ingestStatus(b),
    },
  };
}

/** graphql-js execute with the document parsed and validated once; the result serialised as a server must. */
async function bare(o: { query: string; durationMs: number; concurrency: number }): Promise<BareResult> {
  if (!gateway) throw new Error('bare execute needs a one-process gateway (workers: 1)');
  const g = gateway;
  const schema = await getSchema();
  const document: DocumentNode = parse(o.query);
  const problems = validate(schema, document);
  if (problems.length) throw new Error(`query does not validate: ${problems[0].message}`);
  const services = servicesOf(g, true);
  const latenciesMs: number[] = [];
  let requests = 0;
  let errors = 0;
  const started = performance.now();
  const end = started + o.durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const result = await execute({
        schema,
        document,
        contextValue: createContext(services, randomUUID(), BENCH_PRINCIPAL),
      });
      JSON.stringify(result);
      latenciesMs.push(performance.now() - t0);
      requests++;
      if (result.errors) errors++;
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return { requests, errors, elapsedMs: performance.now() - started, latenciesMs };
}

async function kazooPopulate(o: {
  recipients: number;
  calls: number;
}): Promise<{ recipients: number; calls: number; accountId: string }> {
  const k = kazoo;
  if (!k) throw new Error('no KAZOO simulator in this child');
  if (o.recipients > k.recipients) {
    k.sim.createRecipients(k.benchAccountId, o.recipients - k.recipients, { initialState: 'Ready' });
    k.recipients = o.recipients;
  }
  while (k.calls.length < o.calls) k.calls.push(k.sim.startCall({ accountId: k.acmeId, destination: '+14155550100' }));
  while (k.calls.length > o.calls) k.sim.hangupCall(k.calls.pop()!);
  return { recipients: k.recipients, calls: k.calls.length, accountId: k.benchAccountId };
}

async function stop(): Promise<void> {
  await gateway?.stop();
  await cluster?.stop();
  await ari?.close();
  await kazoo?.sim.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
}

const handlers: CommandHandlers<Commands> = {
  start,
  memory: (a) => memory(a.gc),
  listeners: async () => (cluster ? workerSum('listeners') : gateway!.events.dispatcher.listenerCount),
  subscriptions: async () =>
    cluster
      ? workerSum('subscriptions')
      : (await gateway!.metrics.subscriptions.get()).values.reduce((n, v) => n + v.value, 0),
  cpu: () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  },
  workerCpu: async () => (cluster ? (await cluster.stats()).map((s) => s.cpuMicros) : []),
  bare,
  requests: (a) => {
    const counts = {
      ari: (ari?.requests ?? []).map((r) => `${r.method} ${r.path}`),
      kazoo: (kazoo?.sim.requests ?? []).map((r) => `${r.method} ${r.path}`),
    };
    if (a.reset) {
      ari?.resetRequestLog();
      kazoo?.sim.resetRequestLog();
    }
    return counts;
  },
  kazooPopulate,
  kazooClear: async () => {
    await kazooPopulate({ recipients: kazoo?.recipients ?? 0, calls: 0 });
  },
  stop,
};

serveCommands(handlers, stop);
