/**
 * One instance as several processes (config `workers`): node:cluster, where this primary owns
 * the database and the cluster's plumbing, and each worker is a gateway instance with its own
 * HTTP and graphql-ws sockets on the shared port (the primary accepts and hands connections out
 * round-robin). Ingest runs in whichever worker holds each backend's lease, as between separate
 * instances (src/events/lease.ts). Without Redis the primary relays the event bus, the control
 * bus and what each worker's rate limits spent (synced-rate-limit.ts); with an embedded database it runs every worker's SQL
 * (store-proxy.ts). It restarts a worker that dies and stops them all, gracefully, at stop().
 */
import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ApiKeyStore } from '../auth/api-keys';
import type { GatewayConfig } from '../config';
import { componentLogger } from '../log';
import { openDatabase, type Database } from '../store/database';
import type { PrimaryMessage, RpcRequest, WorkerMessage, WorkerSetup, WorkerStats } from './messages';
import { primaryAdapter, StoreServer } from './store-proxy';

const log = componentLogger('cluster.primary');

/** A worker that has not said it listens by then is taken for failed. */
const START_TIMEOUT_MS = 60_000;

export interface ClusterOptions {
  workers: number;
  /** How long each worker's stop() lets requests and subscriptions finish. */
  drainMs?: number;
  /** Tests shorten leases and journal polling. */
  events?: WorkerSetup['events'];
  /** Runs once the database is open, before any worker starts (demo mode makes its key here). */
  beforeListen?: (keys: ApiKeyStore) => Promise<Record<string, string> | void>;
}

export interface ClusterHandle {
  url: string;
  port: number;
  database: Database;
  keys: ApiKeyStore;
  /** Live workers: label, pid and instance id. */
  workers(): Array<{ worker: string; pid: number; instanceId: string }>;
  /** Every live worker's counters (tests and the bench). */
  stats(): Promise<WorkerStats[]>;
  /** Stops every worker gracefully (each drains its sockets, journals, releases its leases), then the database. */
  stop(): Promise<void>;
}

interface Member {
  worker: Worker;
  setup: WorkerSetup;
  store: StoreServer | null;
  listening: boolean;
  /** Settles fork()'s promise. */
  started(err?: Error): void;
}

export async function startCluster(config: GatewayConfig, o: ClusterOptions): Promise<ClusterHandle> {
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  const keys = new ApiKeyStore(database, { hashCost: config.security?.keyHashCost });
  try {
    if (config.adminKey) await keys.ensureBootstrapAdmin(config.adminKey);
    const headers = (await o.beforeListen?.(keys)) || undefined;
    return await new Primary(config, o, database, keys, headers).start();
  } catch (e) {
    await keys.flush().catch(() => undefined);
    await database.close();
    throw e;
  }
}

class Primary {
  private readonly members = new Map<number, Member>();
  private readonly adapter: ReturnType<typeof primaryAdapter> | null;
  private readonly pendingStats = new Map<number, (s: WorkerStats) => void>();
  private nextStats = 1;
  private stopping: Promise<void> | undefined;
  private listening: { url: string; port: number } | undefined;

  constructor(
    private readonly config: GatewayConfig,
    private readonly o: ClusterOptions,
    private readonly database: Database,
    private readonly keys: ApiKeyStore,
    private readonly graphiqlHeaders: Record<string, string> | undefined,
  ) {
    this.adapter = config.database.url ? null : primaryAdapter(database);
    // 'advanced': Dates (event times, channel snapshots) and Buffers cross as they are.
    cluster.setupPrimary({
      exec: path.join(__dirname, `worker-main${path.extname(__filename)}`),
      serialization: 'advanced',
    });
    cluster.on('exit', (worker, code, signal) => void this.exited(worker, code, signal));
  }

  async start(): Promise<ClusterHandle> {
    const started = Array.from({ length: this.o.workers }, () => this.fork());
    try {
      await Promise.all(started);
    } catch (e) {
      await this.stop();
      throw e;
    }
    log.info({ workers: this.o.workers, url: this.listening!.url }, 'cluster listening');
    return {
      url: this.listening!.url,
      port: this.listening!.port,
      database: this.database,
      keys: this.keys,
      workers: () =>
        [...this.members.values()].map((m) => ({
          worker: m.setup.worker,
          pid: m.worker.process.pid!,
          instanceId: m.setup.instanceId,
        })),
      stats: () => this.stats(),
      stop: () => this.stop(),
    };
  }

  /** Resolves once the new worker listens. */
  private fork(): Promise<void> {
    const worker = cluster.fork();
    const setup: WorkerSetup = {
      worker: String(worker.id),
      instanceId: `worker-${worker.id}-${randomUUID()}`,
      config: this.config,
      store: { kind: this.database.kind, location: this.database.location },
      graphiqlHeaders: this.graphiqlHeaders,
      drainMs: this.o.drainMs,
      events: this.o.events,
    };
    const store = this.adapter ? new StoreServer(this.database, this.adapter) : null;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker ${worker.id} did not start`)), START_TIMEOUT_MS);
      const started = (err?: Error): void => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const member: Member = { worker, setup, store, listening: false, started };
      this.members.set(worker.id, member);
      worker.on('message', (m: WorkerMessage) => this.receive(member, m));
      worker.once('exit', (code) => started(new Error(`worker ${worker.id} exited (${code}) before it listened`)));
    });
  }

  private receive(from: Member, m: WorkerMessage): void {
    switch (m.t) {
      case 'rpc':
        this.answer(from, m.id, m.req);
        return;
      case 'bus':
      case 'control':
        this.broadcast(m);
        return;
      case 'live':
      case 'rate':
        this.broadcast(m, from);
        return;
      case 'listening':
        from.listening = true;
        this.listening ??= { url: m.url, port: m.port };
        // Ingesting workers send their whole live view again, for the newcomer.
        this.broadcast({ t: 'live-resync' }, from);
        from.started();
        return;
      case 'stats':
        this.pendingStats.get(m.id)?.(m.stats);
        return;
    }
  }

  private answer(from: Member, id: number, req: RpcRequest): void {
    const reply = (r: PrimaryMessage): void => {
      if (from.worker.isConnected()) from.worker.send(r);
    };
    this.handle(from, req).then(
      (value) => reply({ t: 'rpc', id, ok: true, value }),
      (e: Error) => reply({ t: 'rpc', id, ok: false, error: { message: e.message, name: e.name, cause: e.cause } }),
    );
  }

  private async handle(from: Member, req: RpcRequest): Promise<unknown> {
    switch (req.op) {
      case 'hello':
        return from.setup;
      case 'store':
        if (!from.store) throw new Error('this cluster has no embedded database to proxy');
        return from.store.handle(req.call);
    }
  }

  private broadcast(m: PrimaryMessage, except?: Member): void {
    for (const member of this.members.values())
      if (member !== except && member.listening && member.worker.isConnected()) member.worker.send(m);
  }

  private async exited(worker: Worker, code: number | null, signal: string | null): Promise<void> {
    const member = this.members.get(worker.id);
    if (!member) return;
    this.members.delete(worker.id);
    await member.store?.abandon();
    const { instanceId } = member.setup;
    this.broadcast({ t: 'instance-gone', instanceId });
    if (this.stopping) return;
    log.warn({ worker: member.setup.worker, code, signal }, 'worker died; starting another');
    // Its ingest leases would hold its backends for a TTL; another worker can take them now.
    await this.database
      .query(`DELETE FROM "ingest_lease" WHERE "owner" = $1`, [instanceId])
      .catch((e: Error) => log.warn({ err: e.message }, 'could not release the dead worker’s leases'));
    if (member.listening) this.fork().catch((e: Error) => log.error({ err: e.message }, 'worker restart failed'));
  }

  private async stats(): Promise<WorkerStats[]> {
    const live = [...this.members.values()].filter((m) => m.listening && m.worker.isConnected());
    return Promise.all(
      live.map(
        (m) =>
          new Promise<WorkerStats>((resolve) => {
            const id = this.nextStats++;
            this.pendingStats.set(id, (s) => {
              this.pendingStats.delete(id);
              resolve(s);
            });
            m.worker.send({ t: 'stats', id } satisfies PrimaryMessage);
          }),
      ),
    );
  }

  private stop(): Promise<void> {
    this.stopping ??= (async () => {
      const gone = [...this.members.values()].map(
        (m) => new Promise<void>((resolve) => (m.worker.isDead() ? resolve() : m.worker.once('exit', () => resolve()))),
      );
      for (const m of this.members.values()) if (m.worker.isConnected()) m.worker.send({ t: 'stop' });
      // Workers journal and flush through this process's database: it closes after the last one.
      await Promise.all(gone);
      await this.keys.flush().catch(() => undefined);
      await this.database.close();
      log.info('cluster stopped');
    })();
    return this.stopping;
  }
}
