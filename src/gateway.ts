/**
 * Composition root: config → database → backends → events (journal, bus, ingest) → GraphQL
 * server, with metrics, readiness and request logs around them. `stop()` shuts down in the order
 * that loses nothing: clients first (subscriptions complete, requests in flight finish, so no
 * mutation is cut halfway), then backend sockets (no new events arrive), then ingest flushes
 * what it received into the journal, then the database.
 */
import { createBackend } from './backends/factory';
import { BackendRegistry } from './backends/registry';
import type { Backend } from './backends/types';
import { defaultSecurity, type GatewayConfig } from './config';
import { AuditLog } from './auth/audit';
import type { Authenticator } from './auth/authenticator';
import { ApiKeyStore, keyStatus } from './auth/api-keys';
import { ClusterRevocation } from './auth/cluster-revocation';
import { RateLimiter, type RequestLimiter } from './auth/rate-limit';
import { SharedRateLimiter } from './auth/shared-rate-limit';
import { REDIS_EVENTS_CHANNEL, type EventBus } from './events/bus';
import type { Channel } from './domain/channel';
import { openControlBus, RedisControlBus, type ControlBus } from './events/bus/control';
import { EventRuntime } from './events/runtime';
import { getSchema } from './graphql/schema';
import { GatewaySessionRegistry } from './graphql/sessions';
import { componentLogger } from './log';
import { IngestLiveness } from './observability/ingest-liveness';
import { GatewayMetrics } from './observability/metrics';
import { checkReadiness, withTimeout, READINESS_CHECK_TIMEOUT_MS, type Readiness } from './observability/readiness';
import { requestLogger } from './observability/request-log';
import { runInScope } from './observability/scope';
import { DEFAULT_DRAIN_MS, startHttpServer, type HttpServerHandle } from './server';
import type { DestinationStream } from 'pino';
import { openDatabase, type Database } from './store/database';

const log = componentLogger('gateway');

export interface Gateway {
  url: string;
  port: number;
  registry: BackendRegistry;
  events: EventRuntime;
  database: Database;
  /** Prometheus metrics of this gateway (its own registry). */
  metrics: GatewayMetrics;
  /** What /readyz answers. */
  readiness(): Promise<Readiness>;
  /** API keys (create, list, revoke) and the audit trail. */
  keys: ApiKeyStore;
  audit: AuditLog;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Backends built by the caller (tests inject tuned ones); default: from config. */
  backends?: Backend[];
  /** Tests shorten leases and polling, or read every query from the backends (liveView false). */
  events?: { leaseTtlMs?: number; pollIntervalMs?: number; instanceId?: string; liveView?: boolean };
  observability?: {
    /** Request log lines go here (default: the process's root logger, component `request`). */
    logDestination?: DestinationStream;
    /** How long stop() lets requests and subscriptions finish before cutting them (default 5 s). */
    drainMs?: number;
  };
  /** GraphiQL opens with these request headers (demo mode: the local admin key). */
  graphiqlHeaders?: Record<string, string>;
  /** Runs once the database is open and keys can be made, before the server listens (demo mode makes its key here). */
  beforeListen?: (keys: ApiKeyStore) => Promise<Record<string, string> | void>;
  /** Set on a worker of a cluster (src/cluster/worker.ts): what the primary provides. */
  cluster?: ClusterMember;
}

/**
 * A cluster worker is an instance like any other (its own sockets, ingest leases, dispatcher),
 * except for what it gets from the primary: the database when it is embedded, the buses and the
 * rate limits when there is no Redis, and the live view of backends another worker ingests.
 */
export interface ClusterMember {
  /** This worker's label: every HTTP response and WebSocket upgrade says it in `x-patchbay-worker`. */
  worker: string;
  /** The primary's embedded database; absent with PostgreSQL (the worker connects itself). */
  database?: Database;
  bus?: EventBus;
  control?: ControlBus;
  limiter?: RequestLimiter;
  /** Backends another worker ingests: its live view, as last sent. */
  replica(backend: string): ReadonlyMap<string, Channel> | null;
  /** Starts sending this worker's live view to the others; returns stop. */
  feed(events: EventRuntime): () => void;
}

export async function startGateway(config: GatewayConfig, opts: GatewayOptions = {}): Promise<Gateway> {
  const metrics = new GatewayMetrics();
  // Everything started from here (event sockets, lease timers, reconciles) reports its backend
  // requests to this gateway's metrics.
  return runInScope({ gateway: metrics }, () => start(config, opts, metrics));
}

async function start(config: GatewayConfig, opts: GatewayOptions, metrics: GatewayMetrics): Promise<Gateway> {
  // The schema builds on this thread while the database copies and compiles on others.
  const cluster = opts.cluster;
  const opening = cluster?.database
    ? Promise.resolve(cluster.database)
    : openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  const schema = getSchema();
  const database = await opening;
  log.info({ database: database.location, applied: database.migrations.applied.length }, 'database ready');

  const backends = opts.backends ?? config.backends.map(createBackend);
  const registry = new BackendRegistry(backends);
  const { liveView = true, ...eventOptions } = opts.events ?? {};
  const events = new EventRuntime({
    db: database,
    backends,
    redisUrl: config.pubsub.redisUrl,
    redisChannel: config.pubsub.channel,
    bus: cluster?.bus,
    retention: config.events.retention,
    ...eventOptions,
  });
  const sessions = new GatewaySessionRegistry(events.instanceId);
  const security = config.security ?? defaultSecurity();
  const keys = new ApiKeyStore(database, { hashCost: security.keyHashCost });
  const audit = new AuditLog(database);
  // A cluster's primary makes it once, before any worker starts.
  if (config.adminKey && !cluster) {
    const boot = await keys.ensureBootstrapAdmin(config.adminKey);
    log.info({ keyId: boot.record.id, status: boot.status }, 'bootstrap admin key from PATCHBAY_ADMIN_KEY');
  }
  // Revocations and ingest heartbeats between instances (in-process without Redis).
  const control = await (
    cluster?.control
      ? Promise.resolve(cluster.control)
      : openControlBus(config.pubsub.redisUrl, config.pubsub.channel ?? REDIS_EVENTS_CHANNEL)
  ).catch(async (e: Error) => {
    await database.close();
    throw e;
  });
  const revocation = new ClusterRevocation(keys, control, events.instanceId);
  const authenticator: Authenticator = {
    authenticate: (k) => keys.authenticate(k),
    isActive: async (id) => {
      const record = await keys.get(id);
      return record !== null && keyStatus(record) === 'active';
    },
    onRevoked: (l) => revocation.onRevoked(l),
  };
  observeJournalAppends(events, metrics);
  const ingestLeader = (b: string): boolean => events.ingestStatus(b)?.leader ?? false;
  const liveness = new IngestLiveness({
    bus: control,
    instanceId: events.instanceId,
    backends,
    isLeader: ingestLeader,
  });
  let shuttingDown = false;
  const readiness = (): Promise<Readiness> =>
    checkReadiness({
      database,
      busReady: () => busReady(events),
      backends,
      ingestLeader,
      ingest: (b) => liveness.view(b),
      shuttingDown: () => shuttingDown,
    });
  metrics.bind({
    backends,
    ingestLeader,
    ingestAlive: (b) => liveness.view(b).alive,
    journalBounds: async () => {
      const [oldest, latest] = await withTimeout(
        Promise.all([events.journal.oldestCursor(), events.journal.latestCursor()]),
        READINESS_CHECK_TIMEOUT_MS,
        'journal size',
      );
      return { oldest, latest };
    },
  });

  let http: HttpServerHandle | undefined;
  let stopFeed = (): void => undefined;
  try {
    // Independent: the demo key's scrypt runs on libuv's threads while ingest connects.
    const [, headers] = await Promise.all([events.start(), opts.beforeListen?.(keys)]);
    liveness.start();
    if (cluster) stopFeed = cluster.feed(events);
    const graphiqlHeaders = headers ?? opts.graphiqlHeaders;
    const services = {
      registry,
      sessions,
      audit,
      events: {
        journal: events.journal,
        dispatcher: events.dispatcher,
        live: (b: string) => (liveView ? liveChannels(events, cluster, b) : null),
        ingestStatus: (b: string) => events.ingestStatus(b),
      },
    };
    http = await startHttpServer(
      await schema,
      services,
      {
        port: config.port,
        host: config.host,
        responseCache: config.responseCache,
        cors: config.cors,
        worker: cluster?.worker,
      },
      {
        metrics,
        requestLog: requestLogger(opts.observability?.logDestination),
        readiness,
      },
      {
        auth: authenticator,
        limiter:
          cluster?.limiter ??
          requestLimiter(security.rateLimit, control, config.pubsub.channel ?? REDIS_EVENTS_CHANNEL),
        security,
        graphiqlHeaders: graphiqlHeaders || undefined,
      },
    );
  } catch (e) {
    stopFeed();
    liveness.stop();
    await events.stop().catch(() => undefined);
    await registry.stopAll();
    await closeControl(revocation, control);
    await database.close();
    throw e;
  }
  log.info(
    { url: http.url, instance: events.instanceId, backends: backends.map((b) => `${b.name} (${b.kind}) ${b.url}`) },
    'patchbay listening',
  );

  let stopping: Promise<void> | undefined;
  return {
    url: http.url,
    port: http.port,
    registry,
    events,
    database,
    metrics,
    readiness,
    keys,
    audit,
    stop() {
      stopping ??= (async () => {
        shuttingDown = true;
        await http!.close(opts.observability?.drainMs ?? DEFAULT_DRAIN_MS);
        // Backend sockets close before ingest stops, so every event received is journaled
        // (stopping ingest first would drop what arrives in between).
        await registry.stopAll();
        await events.stop();
        stopFeed();
        liveness.stop();
        await closeControl(revocation, control);
        await audit.close();
        await keys.flush();
        await database.close();
        log.info('patchbay stopped');
      })();
      return stopping;
    },
  };
}

/** What this instance ingests, from its own view; on a cluster worker, the ingesting worker's otherwise. */
function liveChannels(
  events: EventRuntime,
  cluster: ClusterMember | undefined,
  backend: string,
): ReadonlyMap<string, Channel> | null {
  if (!cluster || events.ingestStatus(backend)?.leader) return events.liveChannels(backend);
  return cluster.replica(backend);
}

/** Shared by all instances when they share a Redis; this instance's own otherwise. */
function requestLimiter(
  rate: { burst: number; perSecond: number },
  control: ControlBus,
  channel: string,
): RequestLimiter {
  const bucket = { capacity: rate.burst, refillPerSecond: rate.perSecond };
  return control instanceof RedisControlBus
    ? new SharedRateLimiter(control.commands, { ...bucket, prefix: channel })
    : new RateLimiter(bucket);
}

async function closeControl(revocation: ClusterRevocation, control: ControlBus): Promise<void> {
  revocation.close();
  await control.close().catch((e: Error) => log.warn({ err: e.message }, 'control bus close failed'));
}

/** In-process bus: always ready. Redis bus: ready once subscribed. */
function busReady(events: EventRuntime): Promise<void> {
  const bus = events.bus as { ready?: (timeoutMs?: number) => Promise<void> };
  return typeof bus.ready === 'function' ? bus.ready(READINESS_CHECK_TIMEOUT_MS) : Promise.resolve();
}

/**
 * Ingest rate and journal-append delay are measured at the journal commit. EventRuntime offers
 * no hook there yet, so the journal instance's append is wrapped here (the composition root
 * owns both objects); an `onJournaled` option on EventRuntime would be the cleaner seam.
 */
function observeJournalAppends(events: EventRuntime, metrics: GatewayMetrics): void {
  const journal = events.journal;
  const append = journal.append.bind(journal);
  journal.append = async (batch, fence) => {
    const journaled = await append(batch, fence);
    metrics.eventsJournaled(journaled, Date.now());
    return journaled;
  };
}
