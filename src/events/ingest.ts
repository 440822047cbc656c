/**
 * Ingest of one backend: its event source (backends/types.ts BackendEventSource, which maps the
 * wire) → domain events → journal → dispatcher/bus. Only the instance holding the backend's lease
 * ingests (so each event is journaled once). After every (re)connect it reconciles: lists the
 * backend, diffs with what it knew, and journals the missed transitions as `reconciled` events
 * before any newer live event. Nothing here depends on the backend's kind.
 */
import type { Backend, BackendEvent } from '../backends/types';
import type { Channel } from '../domain/channel';
import { newestSnapshots } from '../domain/channel-progress';
import type { Journaled, NormalizedEvent } from '../domain/events';
import type { AvailabilityState } from '../domain/recipient';
import { recipientKey } from '../domain/recipient-key';
import { componentLogger } from '../log';
import type { EventBus } from './bus';
import type { EventDispatcher } from './dispatcher';
import { FencedAppendError, type EventJournal } from './journal/journal';
import type { IngestLeases } from './lease';
import { LiveView } from './live-view';
import { splitHeld } from './held-order';
import { LifecycleGuard } from './lifecycle-guard';
import { reconcileChannels } from './reconcile';
import { journaledChannels, knownAgentStates } from './journal-state';
import type { Database } from '../store/database';

const RETRY_MS = 500;

export interface IngestDeps {
  db: Database;
  journal: EventJournal;
  dispatcher: EventDispatcher;
  bus: EventBus;
  leases: IngestLeases;
}

export interface IngestStatus {
  /** This instance holds the lease and ingests the backend. */
  leader: boolean;
  /** Events journaled by this instance for the backend. */
  journaled: number;
  reconciliations: number;
  lastReconciledAt: Date | null;
}

export class BackendIngest {
  private readonly log;
  /** What ingest knows of the backend, updated as events are normalised (not when journaled). */
  private readonly shadow = new LiveView();
  /** One life per channel in what this instance journals (lifecycle-guard.ts). */
  private readonly guard = new LifecycleGuard();
  private agentStates = new Map<string, AvailabilityState>();
  /** liveChannels() as last built; dropped whenever the shadow changes. */
  private liveCache: ReadonlyMap<string, Channel> | null = null;
  private pending: NormalizedEvent[] = [];
  private held: BackendEvent[] = [];
  private reconciling = false;
  private flushing: Promise<void> | null = null;
  private leader = false;
  /** Bumped at every change of leadership: a batch taken under an older one is never journaled. */
  private epoch = 0;
  private socketStarted = false;
  private stopped = false;
  private readonly detach: Array<() => void> = [];
  private readonly liveListeners = new Set<() => void>();
  readonly status: IngestStatus = { leader: false, journaled: 0, reconciliations: 0, lastReconciledAt: null };

  constructor(
    private readonly backend: Backend,
    private readonly deps: IngestDeps,
  ) {
    this.log = componentLogger('ingest', { backend: backend.name });
    this.detach.push(backend.eventSource.onEvent((e) => this.intake(e)));
    this.detach.push(
      backend.eventSource.onConnectionChange((up) => {
        this.liveChanged();
        if (up) void this.onConnected();
      }),
    );
  }

  /** Called by the lease loop: true when this instance holds the backend now. */
  async setLeader(leader: boolean): Promise<void> {
    if (leader === this.leader || this.stopped) return;
    this.leader = leader;
    this.status.leader = leader;
    this.epoch += 1;
    this.liveChanged();
    if (!leader) {
      // Another instance journals from here on; what this one still holds is its to tell.
      this.pending = [];
      this.held = [];
      this.log.warn('lease lost: no longer ingesting');
      return;
    }
    this.log.info('lease acquired: ingesting');
    await this.flushing;
    await this.loadKnownState();
    if (!this.socketStarted) {
      this.socketStarted = true;
      await this.backend.start();
    } else if (this.backend.eventSource.reclaim() === 'kept') {
      // The socket stayed ours, so no (re)connect will trigger the reconcile: run it now.
      await this.onConnected();
    }
  }

  /**
   * The live view, while it can be trusted: this instance ingests the backend, its socket is up,
   * and the reconcile after the last (re)connect is done.
   */
  liveChannels(): ReadonlyMap<string, Channel> | null {
    if (
      !this.leader ||
      this.reconciling ||
      !this.backend.health().connected ||
      !this.shadow.isHealthy(this.backend.name)
    )
      return null;
    // Rebuilt only after the view changed: reads outnumber events by far on a busy gateway.
    this.liveCache ??= new Map(this.shadow.list(this.backend.name).map((c) => [c.nativeId, c]));
    return this.liveCache;
  }

  /**
   * Called (synchronously, often several times per event) whenever liveChannels() may answer
   * differently: a cluster's ingesting worker forwards its live view from here (src/cluster/live-feed.ts).
   */
  onLiveChange(listener: () => void): () => void {
    this.liveListeners.add(listener);
    return () => this.liveListeners.delete(listener);
  }

  private liveChanged(): void {
    this.liveCache = null;
    for (const l of this.liveListeners) l();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const d of this.detach) d();
    await this.flushing;
  }

  /** Journals everything normalised so far (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.flushing || (this.leader && this.pending.length)) {
      if (!this.flushing) this.scheduleFlush();
      await this.flushing;
    }
  }

  private intake(e: BackendEvent): void {
    if (!this.leader || this.stopped) return;
    if (this.reconciling) {
      this.held.push(e);
      return;
    }
    this.normalise(e);
  }

  /** The event's domain events against what the shadow knows, applied to the shadow and queued. */
  private normalise(incoming: BackendEvent): void {
    const name = this.backend.name;
    const events = incoming.toDomain((id) => this.shadow.previous(name, id));
    // A snapshot can change what `channels` answers even when it stands for no domain event.
    if (incoming.refresh) this.shadow.refresh(incoming.refresh);
    this.liveChanged();
    for (const e of events) {
      this.shadow.apply(e);
      if (e.category === 'agent' && e.ids.recipientId && e.availabilityState) {
        this.agentStates.set(recipientKey(e.ids.accountId ?? '', e.ids.recipientId), e.availabilityState);
      }
      this.pending.push(e);
    }
    this.scheduleFlush();
  }

  private async onConnected(): Promise<void> {
    if (!this.leader || this.stopped || this.reconciling) return;
    this.reconciling = true;
    this.liveChanged();
    this.shadow.markHealthy(this.backend.name, false);
    try {
      const call = { requestId: `reconcile-${this.backend.name}` };
      // Subscribe before listing, so nothing that happens after the list goes unheard.
      await this.backend.eventSource.prepareReconcile(call);
      const now = new Date();
      // Backends list one entry per channel already; kept here so no kind can make reconcile create twice.
      const actual = newestSnapshots(await this.backend.listChannels(call));
      const listed = new Map(actual.map((c) => [c.nativeId, c]));
      // What the list already shows is applied first, so the diff does not tell it again.
      const { before, after } = splitHeld(
        this.held,
        (e) => e,
        listed,
        (id) => this.shadow.get(this.backend.name, id),
      );
      this.held = after;
      for (const e of before) this.normalise(e);
      const events: NormalizedEvent[] = reconcileChannels(
        this.backend.name,
        this.backend.kind,
        this.shadow.list(this.backend.name),
        actual,
        now,
      );
      this.shadow.replace(this.backend.name, actual);
      this.liveChanged();
      const agents = await this.backend.eventSource.reconcileAgents(this.agentStates, now, call);
      if (agents) {
        events.push(...agents.events);
        this.agentStates = agents.states;
      }
      this.pending.push(...events);
      this.status.reconciliations += 1;
      this.status.lastReconciledAt = now;
      this.shadow.markHealthy(this.backend.name, true);
      if (events.length)
        this.log.info({ events: events.length, heldBefore: before.length }, 'reconciled after (re)connect');
    } catch (e) {
      this.log.warn(
        { err: (e as Error).message, retryInMs: RETRY_MS },
        'reconcile failed; live events continue, reconcile retried',
      );
      // Until a reconcile succeeds the live view stays untrusted, so try again while the socket is up.
      setTimeout(() => {
        if (this.backend.health().connected) void this.onConnected();
      }, RETRY_MS).unref();
    } finally {
      this.reconciling = false;
      this.liveChanged();
      const held = this.held;
      this.held = [];
      for (const e of held) this.normalise(e);
      this.scheduleFlush();
    }
  }

  /** Starts from what the journal last said about this backend, so a restart reconciles against it. */
  private async loadKnownState(): Promise<void> {
    const channels = await journaledChannels(this.deps.db, this.backend.name);
    this.shadow.replace(this.backend.name, channels.alive);
    this.guard.restore({ alive: channels.alive.map((c) => c.nativeId), ended: channels.ended });
    this.liveChanged();
    this.agentStates = await knownAgentStates(this.deps.db, this.backend.name);
  }

  /** The lifecycle guard's verdict on what is about to be journaled; what it drops is logged. */
  private admit(events: NormalizedEvent[]): NormalizedEvent[] {
    const { admitted, dropped, synthesized } = this.guard.admit(events);
    if (dropped.length || synthesized) {
      const summary = dropped.map((e) => `${e.type}:${e.ids.channelId}`);
      this.log.info({ dropped: summary, synthesized }, 'lifecycle guard kept one life per channel');
    }
    return admitted;
  }

  private scheduleFlush(): void {
    if (this.flushing || this.pending.length === 0 || !this.leader) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
      if (this.pending.length) this.scheduleFlush();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length && this.leader) {
      const epoch = this.epoch;
      const batch = this.admit(this.pending);
      this.pending = [];
      if (batch.length === 0) continue;
      const journaled = await this.appendFenced(batch, epoch);
      if (!journaled) return;
      this.status.journaled += journaled.length;
      this.deps.dispatcher.offer(journaled);
      for (const e of journaled) {
        this.deps.bus
          .publish(e)
          .catch((err: Error) =>
            this.log.warn({ err: err.message }, 'bus publish failed; other instances fill the gap from the journal'),
          );
      }
    }
  }

  /**
   * Appends under this instance's lease, retrying (ahead of anything newer) until the journal
   * takes the batch. Null when it must not be journaled: the lease is gone (the journal refused
   * it, or leadership changed meanwhile) or ingest stopped.
   */
  private async appendFenced(batch: NormalizedEvent[], epoch: number): Promise<Journaled[] | null> {
    const fence = { backend: this.backend.name, owner: this.deps.leases.ownerId };
    for (;;) {
      if (this.stopped || epoch !== this.epoch) return null;
      try {
        return await this.deps.journal.append(batch, fence);
      } catch (e) {
        if (e instanceof FencedAppendError) {
          this.log.warn(
            { events: batch.length },
            'journal refused the batch: lease no longer held; ingest pauses until it is re-acquired',
          );
          if (epoch === this.epoch) await this.setLeader(false);
          return null;
        }
        this.log.error({ err: (e as Error).message, events: batch.length }, 'journal append failed; retrying');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }
}
