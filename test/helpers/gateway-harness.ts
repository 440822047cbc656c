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
import type { AriBackendConfig, GatewayConfig } from '../../src/config';
import { startGateway, type Gateway } from '../../src/gateway';
import { startAriSimulator, type AriSimulator } from '../../src/simulators/ari';

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
  gql<D = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<D>>;
  wsClient(): Client;
  close(): Promise<void>;
}

export function ariConfig(name: string, sim: AriSimulator, overrides: Partial<AriBackendConfig> = {}): AriBackendConfig {
  return { name, kind: 'ari', url: sim.url, username: 'asterisk', password: 'asterisk', app: TEST_APP, requestTimeoutMs: 2000, ...overrides };
}

/** Fast reconnects so tests that drop sockets settle quickly. */
export function testAriBackend(config: AriBackendConfig): AriBackend {
  return new AriBackend(config, { events: { backoff: { initialMs: 20, maxMs: 200, factor: 2, jitter: 0.1 } } });
}

export async function startHarness(
  o: { simulators?: number; extraBackends?: Backend[]; databaseUrl?: string; liveView?: boolean } = {},
): Promise<Harness> {
  const sims = await Promise.all(Array.from({ length: o.simulators ?? 1 }, () => startAriSimulator({ port: 0 })));
  const backends = sims.map((s, i) => testAriBackend(ariConfig(`pbx${i + 1}`, s)));
  const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-test-'));
  const config: GatewayConfig = {
    port: 0,
    host: '127.0.0.1',
    database: { url: o.databaseUrl, dataDir },
    pubsub: {},
    events: { retention: { maxAgeMs: 3_600_000, maxEvents: 100_000 } },
    backends: backends.map((b, i) => ariConfig(b.name, sims[i])),
    demo: false,
  };
  const gateway = await startGateway(config, { backends: [...backends, ...(o.extraBackends ?? [])], events: { liveView: o.liveView, leaseTtlMs: 1500 } });
  await waitFor(() => backends.every((b) => b.health().connected), 'events sockets connected');
  const clients: Client[] = [];

  return {
    gateway,
    sims,
    backends,
    async gql(query, variables, headers = {}) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GraphQLResponse;
      return { ...body, status: res.status } as never;
    },
    wsClient() {
      const c = createClient({ url: gateway.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await gateway.stop();
      await Promise.allSettled(sims.map((s) => s.close()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
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
