/**
 * The event side of one gateway instance: journal, bus, dispatcher, per-backend ingest under a
 * lease, and the live view queries read while a backend's stream is healthy.
 */
import { randomUUID } from 'node:crypto';
import type { Backend } from '../backends/types';
import type { Channel } from '../domain/channel';
import { componentLogger } from '../log';
import type { Database } from '../store/database';
import { openEventBus, type EventBus } from './bus';
import { EventDispatcher } from './dispatcher';
import { BackendIngest, type IngestStatus } from './ingest';
import { EventJournal, type RetentionOptions } from './journal/journal';
import { IngestLeases } from './lease';

const log = componentLogger('events');

export interface EventRuntimeOptions {
  db: Database;
  backends: Backend[];
  /** Redis URL for a bus shared by instances; in-process when absent. */
  redisUrl?: string;
  /** Redis pub/sub channel; one per deployment sharing a Redis. */
  redisChannel?: string;
  /** A bus made by the caller (a cluster worker's, over IPC); takes precedence over redisUrl. */
  bus?: EventBus;
  retention: RetentionOptions;
  instanceId?: string;
  leaseTtlMs?: number;
  /** How often the dispatcher checks the journal for events whose bus message was lost. */
  pollIntervalMs?: number;
  pruneIntervalMs?: number;
}

export class EventRuntime {
  readonly instanceId: string;
  readonly journal: EventJournal;
  readonly leases: IngestLeases;
  private busInstance: EventBus | null = null;
  private dispatcherInstance: EventDispatcher | null = null;
  private readonly ingests = new Map<string, BackendIngest>();
  private leaseTimer: NodeJS.Timeout | null = null;
  private leaseRound: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: EventRuntimeOptions) {
    this.instanceId = o.instanceId ?? randomUUID();
    this.journal = new EventJournal(o.db, { retention: o.retention });
    this.leases = new IngestLeases(o.db, { ownerId: this.instanceId, ttlMs: o.leaseTtlMs });
    this.leases.onLost((backend) => void this.ingests.get(backend)?.setLeader(false));
  }

  get bus(): EventBus {
    if (!this.busInstance) throw new Error('event runtime not started');
    return this.busInstance;
  }

  get dispatcher(): EventDispatcher {
    if (!this.dispatcherInstance) throw new Error('event runtime not started');
    return this.dispatcherInstance;
  }

  async start(): Promise<void> {
    // A Redis bus is subscribed before anything is published, or the first events would only
    // arrive through the journal poll.
    this.busInstance = this.o.bus ?? (await openEventBus(this.o.redisUrl, { channel: this.o.redisChannel }));
    this.dispatcherInstance = new EventDispatcher(this.journal, this.busInstance);
    for (const b of this.o.backends) {
      this.ingests.set(
        b.name,
        new BackendIngest(b, {
          db: this.o.db,
          journal: this.journal,
          dispatcher: this.dispatcherInstance,
          bus: this.busInstance,
          leases: this.leases,
        }),
      );
    }
    await this.dispatcher.start();
    this.dispatcher.startPolling(this.o.pollIntervalMs ?? 1000);
    this.journal.startPruning(this.o.pruneIntervalMs ?? 60_000);
    await this.leaseRoundOnce();
    const every = Math.max(200, Math.floor((this.o.leaseTtlMs ?? 5000) / 3));
    this.leaseTimer = setInterval(() => {
      this.leaseRound = this.leaseRound.then(() => this.leaseRoundOnce());
    }, every);
    this.leaseTimer.unref();
  }

  /** Takes free or expired leases, renews held ones; ingest follows what this instance holds. */
  private async leaseRoundOnce(): Promise<void> {
    if (this.stopped) return;
    for (const [name, ingest] of this.ingests) {
      try {
        const held = await this.leases.acquire(name);
        await ingest.setLeader(held);
      } catch (e) {
        log.warn({ backend: name, err: (e as Error).message }, 'lease round failed');
      }
    }
  }

  /** Channels from the live view, or null when this instance cannot vouch for them now. */
  liveChannels(backend: string): ReadonlyMap<string, Channel> | null {
    return this.ingests.get(backend)?.liveChannels() ?? null;
  }

  /** See BackendIngest.onLiveChange; `backend` says whose live view may have changed. */
  onLiveChange(listener: (backend: string) => void): () => void {
    const offs = [...this.ingests].map(([name, ingest]) => ingest.onLiveChange(() => listener(name)));
    return () => offs.forEach((off) => off());
  }

  ingestStatus(backend: string): IngestStatus | null {
    return this.ingests.get(backend)?.status ?? null;
  }

  /** Journals what is pending, stops ingest and the bus; releases leases so another instance takes over at once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    await this.leaseRound;
    for (const ingest of this.ingests.values()) await ingest.flush();
    await Promise.all([...this.ingests.values()].map((i) => i.stop()));
    if (this.dispatcherInstance) {
      await this.dispatcherInstance.drained();
      this.dispatcherInstance.stop();
    }
    await this.journal.stop();
    await this.leases.releaseAll().catch((e: Error) => log.warn({ err: e.message }, 'lease release failed'));
    await this.busInstance?.close();
  }
}
