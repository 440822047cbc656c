/**
 * Composition root: config → database → backends → events (journal, bus, ingest) → GraphQL
 * server. Everything started here is stopped by `stop()`, in reverse order.
 */
import { createBackend } from './backends/factory';
import { BackendRegistry } from './backends/registry';
import type { Backend } from './backends/types';
import type { GatewayConfig } from './config';
import { EventRuntime } from './events/runtime';
import { getSchema } from './graphql/schema';
import { GatewaySessionRegistry } from './graphql/sessions';
import { componentLogger } from './log';
import { startHttpServer, type HttpServerHandle } from './server';
import { openDatabase, type Database } from './store/database';

const log = componentLogger('gateway');

export interface Gateway {
  url: string;
  port: number;
  registry: BackendRegistry;
  events: EventRuntime;
  database: Database;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Backends built by the caller (tests inject tuned ones); default: from config. */
  backends?: Backend[];
  /** Tests shorten leases and polling, or read every query from the backends (liveView false). */
  events?: { leaseTtlMs?: number; pollIntervalMs?: number; instanceId?: string; liveView?: boolean };
}

export async function startGateway(config: GatewayConfig, opts: GatewayOptions = {}): Promise<Gateway> {
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  log.info({ database: database.location, applied: database.migrations.applied.length }, 'database ready');

  const backends = opts.backends ?? config.backends.map(createBackend);
  const registry = new BackendRegistry(backends);
  const { liveView = true, ...eventOptions } = opts.events ?? {};
  const events = new EventRuntime({ db: database, backends, redisUrl: config.pubsub.redisUrl, retention: config.events.retention, ...eventOptions });
  const sessions = new GatewaySessionRegistry(events.instanceId);

  let http: HttpServerHandle | undefined;
  try {
    await events.start();
    const services = {
      registry,
      sessions,
      events: {
        journal: events.journal,
        dispatcher: events.dispatcher,
        live: (b: string) => (liveView ? events.liveChannels(b) : null),
        ingestStatus: (b: string) => events.ingestStatus(b),
      },
    };
    http = await startHttpServer(await getSchema(), services, { port: config.port, host: config.host });
  } catch (e) {
    await events.stop().catch(() => undefined);
    await registry.stopAll();
    await database.close();
    throw e;
  }
  log.info({ url: http.url, instance: events.instanceId, backends: backends.map((b) => `${b.name} (${b.kind}) ${b.url}`) }, 'patchbay listening');

  let stopping: Promise<void> | undefined;
  return {
    url: http.url,
    port: http.port,
    registry,
    events,
    database,
    stop() {
      // Clients first (their subscriptions complete), then ingest flushes to the journal.
      stopping ??= (async () => {
        await http!.close();
        await events.stop();
        await registry.stopAll();
        await database.close();
        log.info('patchbay stopped');
      })();
      return stopping;
    },
  };
}
