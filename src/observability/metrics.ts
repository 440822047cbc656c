/**
 * The gateway's Prometheus metrics, on a Registry of its own (never prom-client's global one),
 * so several gateways in one process each expose only their own numbers.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Backend } from '../backends/types';
import type { NormalizedEvent } from '../domain/events';
import { LabelCap, operationLabel, routeTemplate } from './labels';
import type { BackendRequestSample, BackendRequestSink } from './scope';

export type Transport = 'http' | 'ws';
export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';
/** success: no errors; partial: errors beside data (a backend failed, others answered); error: errors and no data. */
export type Outcome = 'success' | 'partial' | 'error';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Past this many distinct names a label value is reported as `other`. */
const MAX_OPERATION_NAMES = 200;
const MAX_BACKEND_ROUTES = 200;
/** The journal-size gauge reads two index ends; at most once per this period. */
const JOURNAL_SIZE_TTL_MS = 1000;

export interface MetricSources {
  backends: readonly Backend[];
  /** True when this instance holds the backend's ingest lease. */
  ingestLeader(backend: string): boolean;
  /** True when the backend's events are being ingested, by this instance or another. */
  ingestAlive(backend: Backend): boolean;
  journalBounds(): Promise<{ oldest: string | null; latest: string | null }>;
}

export class GatewayMetrics implements BackendRequestSink {
  readonly registry = new Registry();
  private sources: MetricSources | null = null;
  private readonly operationNames = new LabelCap(MAX_OPERATION_NAMES);
  private readonly backendRoutes = new LabelCap(MAX_BACKEND_ROUTES);
  private journalSize: { at: number; events: number; latest: number } | null = null;

  private readonly operations = new Counter({
    name: 'patchbay_graphql_operations_total',
    help: 'GraphQL operations finished, by operation name, type, transport (http|ws) and outcome (success|partial|error).',
    labelNames: ['operation', 'type', 'transport', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly operationSeconds = new Histogram({
    name: 'patchbay_graphql_operation_duration_seconds',
    help: 'Time to answer a GraphQL query or mutation (subscriptions are not timed), by operation name, type and transport.',
    labelNames: ['operation', 'type', 'transport'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly backendRequests = new Counter({
    name: 'patchbay_backend_requests_total',
    help: 'REST requests to backends, by backend, kind, operation ("METHOD /route/:id") and HTTP status ("error" when no answer came).',
    labelNames: ['backend', 'kind', 'operation', 'status'] as const,
    registers: [this.registry],
  });
  readonly backendSeconds = new Histogram({
    name: 'patchbay_backend_request_duration_seconds',
    help: 'REST request latency to backends, by backend, kind and operation.',
    labelNames: ['backend', 'kind', 'operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly eventsIngested = new Counter({
    name: 'patchbay_events_ingested_total',
    help: 'Events journaled by this instance, by backend and whether a reconcile produced them.',
    labelNames: ['backend', 'reconciled'] as const,
    registers: [this.registry],
  });
  readonly eventLag = new Histogram({
    name: 'patchbay_event_lag_seconds',
    help: 'Live events: receivedAt - occurredAt (backend clock to gateway receipt), by backend.',
    labelNames: ['backend'] as const,
    buckets: LAG_BUCKETS,
    registers: [this.registry],
  });
  readonly journalDelay = new Histogram({
    name: 'patchbay_event_journal_delay_seconds',
    help: "Time from an event's receipt to its journal commit, by backend.",
    labelNames: ['backend'] as const,
    buckets: LAG_BUCKETS,
    registers: [this.registry],
  });
  readonly httpConnections = new Gauge({
    name: 'patchbay_http_connections_open',
    help: 'Open TCP connections to the HTTP server (WebSocket connections included).',
    registers: [this.registry],
  });
  readonly wsConnections = new Gauge({
    name: 'patchbay_websocket_connections_open',
    help: 'Open graphql-ws connections.',
    registers: [this.registry],
  });
  readonly subscriptions = new Gauge({
    name: 'patchbay_graphql_subscriptions_active',
    help: 'Active GraphQL subscriptions over graphql-ws.',
    registers: [this.registry],
  });
  /** Incremented by the rate limiter (auth work); exists now so dashboards and alerts can be built. */
  readonly rateLimitRejections = new Counter({
    name: 'patchbay_rate_limit_rejections_total',
    help: 'Requests refused by rate limiting.',
    registers: [this.registry],
  });

  /** Live-view reads looked up in the response cache. */
  readonly responseCache = new Counter({
    name: 'patchbay_response_cache_total',
    help: 'Live-view reads looked up in the response cache: hit (answered from memory), miss (executed), stored (kept after executing).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // collect() runs at scrape time: arrow functions keep `this` on Metrics, each metric is named.
    const backendConnected: Gauge = new Gauge({
      name: 'patchbay_backend_connected',
      help: "1 when the backend's event socket (ARI /events, KAZOO Blackhole) is open, else 0.",
      labelNames: ['backend', 'kind'] as const,
      registers: [this.registry],
      collect: () => {
        backendConnected.reset();
        for (const b of this.sources?.backends ?? [])
          backendConnected.set({ backend: b.name, kind: b.kind }, b.health().connected ? 1 : 0);
      },
    });
    const ingestLeader: Gauge = new Gauge({
      name: 'patchbay_ingest_leader',
      help: "1 when this instance holds the backend's ingest lease (and so journals its events), else 0.",
      labelNames: ['backend'] as const,
      registers: [this.registry],
      collect: () => {
        ingestLeader.reset();
        for (const b of this.sources?.backends ?? [])
          ingestLeader.set({ backend: b.name }, this.sources!.ingestLeader(b.name) ? 1 : 0);
      },
    });
    const backendIngestAlive: Gauge = new Gauge({
      name: 'patchbay_backend_ingest_alive',
      help: "1 when the backend's events are being ingested — by this instance (its event socket is open) or by the lease holder (its heartbeat says so) — else 0.",
      labelNames: ['backend'] as const,
      registers: [this.registry],
      collect: () => {
        backendIngestAlive.reset();
        for (const b of this.sources?.backends ?? [])
          backendIngestAlive.set({ backend: b.name }, this.sources!.ingestAlive(b) ? 1 : 0);
      },
    });
    const journalEvents: Gauge = new Gauge({
      name: 'patchbay_journal_events',
      help: 'Events retained in the journal (latest cursor - oldest cursor + 1; rolled-back appends leave holes counted here). Refreshed at most once a second.',
      registers: [this.registry],
      collect: async () => {
        const size = await this.readJournalSize();
        if (size) journalEvents.set(size.events);
      },
    });
    const journalLatestCursor: Gauge = new Gauge({
      name: 'patchbay_journal_latest_cursor',
      help: 'Cursor of the newest journaled event (0 when empty). Refreshed at most once a second.',
      registers: [this.registry],
      collect: async () => {
        const size = await this.readJournalSize();
        if (size) journalLatestCursor.set(size.latest);
      },
    });
  }

  bind(sources: MetricSources): void {
    this.sources = sources;
  }

  graphqlOperation(o: {
    name: string | null | undefined;
    type: OperationType;
    transport: Transport;
    outcome: Outcome;
    seconds?: number;
  }): void {
    const operation = this.operationNames.admit(operationLabel(o.name));
    this.operations.inc({ operation, type: o.type, transport: o.transport, outcome: o.outcome });
    if (o.seconds !== undefined)
      this.operationSeconds.observe({ operation, type: o.type, transport: o.transport }, o.seconds);
  }

  backendRequest(s: BackendRequestSample): void {
    const operation = this.backendRoutes.admit(`${s.method} ${routeTemplate(s.path)}`);
    this.backendRequests.inc({ backend: s.backend, kind: s.kind, operation, status: String(s.status) });
    this.backendSeconds.observe({ backend: s.backend, kind: s.kind, operation }, s.ms / 1000);
  }

  /** Called right after a journal commit with what was appended. */
  eventsJournaled(events: readonly NormalizedEvent[], committedAt: number): void {
    for (const e of events) {
      this.eventsIngested.inc({ backend: e.backend, reconciled: String(e.reconciled) });
      const received = e.receivedAt.getTime();
      this.journalDelay.observe({ backend: e.backend }, Math.max(0, committedAt - received) / 1000);
      // A reconciled event's occurredAt is when the reconcile noticed it: no lag to speak of.
      if (!e.reconciled)
        this.eventLag.observe({ backend: e.backend }, Math.max(0, received - e.occurredAt.getTime()) / 1000);
    }
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private journalRead: Promise<void> | null = null;

  /** Last known size; a failed read (database down) keeps the previous value rather than failing the scrape. */
  private async readJournalSize(): Promise<{ events: number; latest: number } | null> {
    const fresh = this.journalSize && Date.now() - this.journalSize.at < JOURNAL_SIZE_TTL_MS;
    if (!fresh && this.sources) {
      this.journalRead ??= this.sources
        .journalBounds()
        .then(({ oldest, latest }) => {
          const events = oldest === null || latest === null ? 0 : Number(BigInt(latest) - BigInt(oldest) + 1n);
          this.journalSize = { at: Date.now(), events, latest: latest === null ? 0 : Number(latest) };
        })
        .catch(() => undefined)
        .finally(() => {
          this.journalRead = null;
        });
      await this.journalRead;
    }
    return this.journalSize;
  }
}
