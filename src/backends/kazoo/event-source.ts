/**
 * The events side of a KAZOO backend: Blackhole events (already KazooEvents, map/event.ts) as
 * BackendEvents through normalize.ts, and Qubicle agents for reconcile (agent-reconcile.ts).
 */
import type { Channel } from '../../domain/channel';
import type { NormalizedEvent } from '../../domain/events';
import type { AvailabilityState, Recipient } from '../../domain/recipient';
import { recipientKey, type RecipientKey } from '../../domain/recipient-key';
import type { AgentReconcile, BackendEvent, BackendEventSource, CallContext } from '../types';
import { reconcileRecipients } from './agent-reconcile';
import { normalizeKazooEvent } from './normalize';
import type { KazooEvent } from './operations';

/** What the source needs of the backend (KazooBackend has all of it). */
export interface KazooEventSourceDeps {
  readonly name: string;
  readonly accountId: string;
  onEvent(listener: (e: KazooEvent) => void): () => void;
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  listRecipients(accountId: string, ctx: CallContext): Promise<Recipient[]>;
}

interface Placement {
  channelId?: string;
  snapshot: Channel | null;
  destroys: boolean;
}

/**
 * One KazooEvent. Where it stands in its channel's life is read from the channel event it
 * normalises to when nothing is known before it, and only when asked (not every event is ingested).
 */
class KazooBackendEvent implements BackendEvent {
  private placed: Placement | undefined;
  /** Blackhole snapshots are partial (normalize.ts merges them): never a refresh on their own. */
  readonly refresh = null;

  constructor(
    private readonly backend: string,
    private readonly event: KazooEvent,
  ) {}

  get channelId(): string | undefined {
    return this.placement().channelId;
  }

  get snapshot(): Channel | null {
    return this.placement().snapshot;
  }

  get destroys(): boolean {
    return this.placement().destroys;
  }

  toDomain(previous: (callId: string) => Channel | undefined): NormalizedEvent[] {
    return normalizeKazooEvent(this.backend, this.event, { previous });
  }

  private placement(): Placement {
    if (this.placed) return this.placed;
    const [e] =
      this.event.type === 'call' ? this.toDomain(() => undefined).filter((x) => x.category === 'channel') : [];
    if (!e || e.category !== 'channel') return (this.placed = { snapshot: null, destroys: false });
    return (this.placed = { channelId: e.ids.channelId, snapshot: e.channel, destroys: e.type === 'ChannelDestroyed' });
  }
}

export class KazooEventSource implements BackendEventSource {
  constructor(private readonly deps: KazooEventSourceDeps) {}

  onEvent(listener: (e: BackendEvent) => void): () => void {
    return this.deps.onEvent((e) => listener(new KazooBackendEvent(this.deps.name, e)));
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    return this.deps.onConnectionChange(listener);
  }

  /** Blackhole's bindings stand as subscribed: nothing to renew before listing. */
  async prepareReconcile(): Promise<void> {}

  /**
   * Each Blackhole socket holds its own subscriptions (docs/wire/kazoo.md §4.3, §4.5): another
   * instance's socket does not displace ours, as ARI's ApplicationReplaced would.
   */
  reclaim(): 'kept' {
    return 'kept';
  }

  /** Recipients of the configured account, listed with their status, diffed with `known`. */
  async reconcileAgents(
    known: ReadonlyMap<RecipientKey, AvailabilityState>,
    now: Date,
    ctx: CallContext,
  ): Promise<AgentReconcile> {
    const recipients = await this.deps.listRecipients(this.deps.accountId, ctx);
    const states = new Map<RecipientKey, AvailabilityState>();
    for (const r of recipients)
      states.set(recipientKey(r.accountId, r.nativeId), r.status?.availabilityState ?? 'NOT_LOGGED_IN');
    return { events: reconcileRecipients(this.deps.name, known, states, now), states };
  }
}
