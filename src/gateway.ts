/**
 * Composition root: config → database → backends → event hub → GraphQL server. Everything
 * started here is stopped by `stop()`, in reverse order.
 */
import { createBackend } from './backends/factory';
import { BackendRegistry } from './backends/registry';
import type { Backend } from './backends/types';
import type { GatewayConfig } from './config';
import { attachBackendEvents } from './events/attach';
import { ChannelEventHub } from './events/channel-event-hub';
import { getSchema } from './graphql/schema';
import { componentLogger } from './log';
import { startHttpServer, type HttpServerHandle } from './server';
import { openDatabase, type Database } from './store/database';

const log = componentLogger('gateway');

export interface Gateway {
  url: string;
  port: number;
  registry: BackendRegistry;
  events: ChannelEventHub;
  database: Database;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Backends built by the caller (tests inject tuned ones); default: from config. */
  backends?: Backend[];
}

export async function startGateway(config: GatewayConfig, opts: GatewayOptions = {}): Promise<Gateway> {
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  log.info({ database: database.location, applied: database.migrations.applied.length }, 'database ready');

  const backends = opts.backends ?? config.backends.map(createBackend);
  const registry = new BackendRegistry(backends);
  const events = new ChannelEventHub();
  const detach = backends.map((b) => attachBackendEvents(b, events));

  let http: HttpServerHandle | undefined;
  try {
    await registry.startAll();
    http = await startHttpServer(await getSchema(), { registry, events }, { port: config.port, host: config.host });
  } catch (e) {
    await registry.stopAll();
    await database.close();
    throw e;
  }
  log.info({ url: http.url, backends: backends.map((b) => `${b.name} (${b.kind}) ${b.url}`) }, 'patchbay listening');

  let stopping: Promise<void> | undefined;
  return {
    url: http.url,
    port: http.port,
    registry,
    events,
    database,
    stop() {
      stopping ??= (async () => {
        await http!.close();
        for (const d of detach) d();
        await registry.stopAll();
        await database.close();
        log.info('patchbay stopped');
      })();
      return stopping;
    },
  };
}
