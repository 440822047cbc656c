/**
 * Starts real gateways against real simulators on ephemeral ports, and talks GraphQL to them
 * over HTTP and graphql-ws like any client would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { AriBackend } from '../../src/backends/ari/backend';
import type { Backend } from '../../src/backends/types';
import {
  defaultSecurity,
  type AriBackendConfig,
  type CorsConfig,
  type GatewayConfig,
  type SecurityConfig,
} from '../../src/config';
import type { RetentionOptions } from '../../src/events/journal/journal';
import { startGateway, type Gateway } from '../../src/gateway';
import type { Role, Scope } from '../../src/auth/principal';
import { startAriSimulator, type AriSimulator } from '../../src/simulators/ari';
import { waitFor } from './wait-for';

export { waitFor } from './wait-for';

export const TEST_APP = 'patchbay';

export interface GraphQLResponse<D = Record<string, any>> {
  status: number;
  data?: D | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

export interface Harness {
  gateway: Gateway;
  sims: AriSimulator[];
  backends: AriBackend[];
  gql<D = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<D>>;
  /** A graphql-ws client; with the admin key unless another key (or null: none) is given. */
  wsClient(key?: string | null): Client;
  /** An all-scope ADMIN key made for this harness; gql and wsClient send it by default. */
  adminKey: string;
  /**
   * The last cursor delivered to subscribers. Subscribe `after:` it to see everything that happens
   * from now on, however late the server registers the subscription: no need to wait for it.
   */
  cursor(): string;
  /** Makes a key with the given role and scope (for access tests). */
  keyFor(role: Role, scope?: Partial<Scope>, recipientId?: string): Promise<string>;
  close(): Promise<void>;
}

export function ariConfig(
  name: string,
  sim: AriSimulator,
  overrides: Partial<AriBackendConfig> = {},
): AriBackendConfig {
  return {
    name,
    kind: 'ari',
    url: sim.url,
    username: 'asterisk',
    password: 'asterisk',
    app: TEST_APP,
    // Well above what the simulator needs: on a loaded box 2 s was exceeded by an originate.
    requestTimeoutMs: 10_000,
    ...overrides,
  };
}

/** Fast reconnects so tests that drop sockets settle quickly. */
export function testAriBackend(config: AriBackendConfig): AriBackend {
  return new AriBackend(config, { events: { backoff: { initialMs: 20, maxMs: 200, factor: 2, jitter: 0.1 } } });
}

export interface HarnessOptions {
  simulators?: number;
  extraBackends?: Backend[];
  databaseUrl?: string;
  liveView?: boolean;
  /** Journal retention (default: an hour, 100 000 events). */
  retention?: RetentionOptions;
  /** Reuse a PGlite data dir (a gateway restart); the caller owns it and removes it. */
  dataDir?: string;
  /** Reuse running simulators instead of starting `simulators` new ones; the caller closes them. */
  sims?: AriSimulator[];
  /** How often the dispatcher polls the journal (default 1 s). */
  pollIntervalMs?: number;
  /** config.security over defaultSecurity() (access tests: small rate limits, introspection off). */
  security?: Partial<SecurityConfig>;
  /** config.cors (browser origins allowed); none by default. */
  cors?: CorsConfig;
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const ownSims = !o.sims;
  const sims = o.sims
    ? [...o.sims]
    : await Promise.all(Array.from({ length: o.simulators ?? 1 }, () => startAriSimulator({ port: 0 })));
  const backends = sims.map((s, i) => testAriBackend(ariConfig(`pbx${i + 1}`, s)));
  const ownDataDir = !o.dataDir;
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'patchbay-test-'));
  const config: GatewayConfig = {
    port: 0,
    host: '127.0.0.1',
    database: { url: o.databaseUrl, dataDir },
    pubsub: {},
    events: { retention: o.retention ?? { maxAgeMs: 3_600_000, maxEvents: 100_000 } },
    backends: backends.map((b, i) => ariConfig(b.name, sims[i])),
    security: o.security ? { ...defaultSecurity(), ...o.security } : undefined,
    cors: o.cors,
    demo: false,
  };
  const gateway = await startGateway(config, {
    backends: [...backends, ...(o.extraBackends ?? [])],
    events: { liveView: o.liveView, leaseTtlMs: 1500, pollIntervalMs: o.pollIntervalMs },
  });
  await waitFor(() => backends.every((b) => b.health().connected), 'events sockets connected');
  const adminKey = (await gateway.keys.create({ name: 'test admin', role: 'ADMIN', scope: { all: true } })).key;
  const clients: Client[] = [];

  return {
    gateway,
    sims,
    backends,
    adminKey,
    cursor: () => gateway.events.dispatcher.lastCursor,
    async keyFor(role, scope = {}, recipientId) {
      const made = await gateway.keys.create({
        name: `test ${role}`,
        role,
        scope: { all: false, accountIds: [], backends: [], ...scope },
        recipientId,
      });
      return made.key;
    },
    async gql(query, variables, headers = {}) {
      headers = { authorization: `Bearer ${adminKey}`, ...headers };
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GraphQLResponse;
      return { ...body, status: res.status } as never;
    },
    wsClient(key: string | null = adminKey) {
      const c = createClient({
        url: gateway.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
        connectionParams: key ? { authorization: `Bearer ${key}` } : {},
      });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await gateway.stop();
      if (ownSims) await Promise.allSettled(sims.map((s) => s.close()));
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Collects subscription payloads until `until` says stop (or a timeout fails the test). */
export function subscribe<T = Record<string, any>>(client: Client, query: string, variables?: Record<string, unknown>) {
  const items: Array<{ data?: T; errors?: unknown[] }> = [];
  let completed = false;
  let failure: unknown;
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (v) => items.push(v as never),
      error: (e) => {
        failure = e;
      },
      complete: () => {
        completed = true;
      },
    },
  );
  return {
    items,
    get completed() {
      return completed;
    },
    get failure() {
      return failure;
    },
    dispose,
    async waitForCount(n: number, timeoutMs = 5000) {
      await waitFor(() => items.length >= n || failure !== undefined, `${n} subscription payloads`, timeoutMs);
      if (failure) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
      return items;
    },
  };
}
