/**
 * A cluster worker: asks the primary for its setup, runs a gateway instance on the shared port
 * with what the primary provides (src/gateway.ts ClusterMember), and stops gracefully when the
 * primary says so, on SIGTERM/SIGINT (a terminal's Ctrl-C reaches the whole process group), or
 * when the primary is gone.
 */
import { startGateway, type Gateway } from '../gateway';
import { componentLogger } from '../log';
import { defaultSecurity } from '../config';
import { IpcControlBus, IpcEventBus } from './ipc-buses';
import { SyncedRateLimiter } from './synced-rate-limit';
import { PrimaryLink } from './link';
import { LiveFeed, LiveReplica } from './live-feed';
import type { WorkerSetup, WorkerStats } from './messages';
import { storeProxy } from './store-proxy';

const log = componentLogger('cluster.worker');

/**
 * A worker whose stop hangs is ended anyway, at 1.5 times the drain (main.ts drains for half the
 * shutdown bound): the primary keeps the last quarter of its bound to close the database.
 */
const stopLimitMs = (drainMs = 5000): number => Math.round(drainMs * 1.5);

export async function runWorker(): Promise<void> {
  const link = new PrimaryLink();
  const setup = await link.call<WorkerSetup>({ op: 'hello' });
  const { config } = setup;
  // Without Redis the primary relays; with it, workers share Redis like separate instances.
  const viaPrimary = !config.pubsub.redisUrl;
  const replica = new LiveReplica(link);
  const rate = (config.security ?? defaultSecurity()).rateLimit;
  const limiter = new SyncedRateLimiter(link, { capacity: rate.burst, refillPerSecond: rate.perSecond });
  const gateway = await startGateway(config, {
    events: { instanceId: setup.instanceId, ...setup.events },
    observability: { drainMs: setup.drainMs },
    graphiqlHeaders: setup.graphiqlHeaders,
    cluster: {
      worker: setup.worker,
      database: config.database.url ? undefined : storeProxy(link, setup.store),
      bus: viaPrimary ? new IpcEventBus(link) : undefined,
      control: viaPrimary ? new IpcControlBus(link) : undefined,
      limiter: viaPrimary ? limiter : undefined,
      replica: (b) => replica.get(b),
      feed: (events) => {
        const feed = new LiveFeed(events, link);
        return () => feed.close();
      },
    },
  });
  link.on('stats', (m) => {
    void statsOf(gateway, setup.worker).then((stats) => link.send({ t: 'stats', id: m.id, stats }));
  });

  let stopping: Promise<void> | undefined;
  const stop = (why: string): void => {
    stopping ??= (async () => {
      log.info({ worker: setup.worker, why }, 'worker stopping');
      setTimeout(() => process.exit(1), stopLimitMs(setup.drainMs)).unref();
      try {
        await gateway.stop();
        replica.close();
        limiter.close();
        link.close();
        process.exit(0);
      } catch (e) {
        log.error({ err: (e as Error).message }, 'worker stop failed');
        process.exit(1);
      }
    })();
  };
  link.on('stop', () => stop('primary'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.once('disconnect', () => stop('primary gone'));
  link.send({ t: 'listening', url: gateway.url, port: gateway.port, instanceId: setup.instanceId });
}

async function statsOf(g: Gateway, worker: string): Promise<WorkerStats> {
  const cpu = process.cpuUsage();
  const gauge = await g.metrics.subscriptions.get();
  return {
    worker,
    subscriptions: gauge.values.reduce((n, v) => n + v.value, 0),
    listeners: g.events.dispatcher.listenerCount,
    ingesting: g.registry
      .all()
      .map((b) => b.name)
      .filter((b) => g.events.ingestStatus(b)?.leader),
    cpuMicros: cpu.user + cpu.system,
  };
}
