/**
 * The backstop at the journal's door: per channel, the journal tells one life — exactly one
 * ChannelCreated first, at most one ChannelDestroyed last, nothing after it. Reconnects,
 * reconciles and hand-overs can each produce an event that would break that (a second Created
 * from a reconcile racing a live one, a live Destroyed after a reconciled one, a live event of a
 * channel whose Created another instance never journaled); the guard drops or completes them.
 *
 * One guard per backend, restored from the journal whenever ingest (re)starts for it.
 */
import { LRUCache } from 'lru-cache';
import type { ChannelEvent, NormalizedEvent } from '../domain/events';

/** Ended channel ids remembered; ARI and KAZOO ids are not reused, so only late stragglers need it. */
const ENDED_MEMORY = 100_000;

export interface JournaledLives {
  alive: Iterable<string>;
  ended: Iterable<string>;
}

export interface AdmitResult {
  admitted: NormalizedEvent[];
  /** Events dropped because they would break a channel's life (logged by the caller). */
  dropped: ChannelEvent[];
  /** ChannelCreated events synthesised for channels first heard of through another event. */
  synthesized: number;
}

export class LifecycleGuard {
  private alive = new Set<string>();
  private ended = new LRUCache<string, true>({ max: ENDED_MEMORY });

  /** Forgets everything and takes what the journal says (ingest start, lease acquired). */
  restore(lives: JournaledLives): void {
    this.alive = new Set(lives.alive);
    this.ended = new LRUCache<string, true>({ max: ENDED_MEMORY });
    for (const id of lives.ended) this.ended.set(id, true);
  }

  /** What may be journaled of `events`, in order; updates the guard as if all of it were journaled. */
  admit(events: readonly NormalizedEvent[]): AdmitResult {
    const out: AdmitResult = { admitted: [], dropped: [], synthesized: 0 };
    for (const e of events) {
      const id = e.category === 'channel' ? e.ids.channelId : undefined;
      if (e.category !== 'channel' || id === undefined) {
        out.admitted.push(e);
        continue;
      }
      this.admitChannelEvent(e, id, out);
    }
    return out;
  }

  private admitChannelEvent(e: ChannelEvent, id: string, out: AdmitResult): void {
    if (this.ended.has(id)) {
      out.dropped.push(e);
      return;
    }
    if (!this.alive.has(id)) {
      if (e.type !== 'ChannelCreated') {
        // Without a snapshot there is nothing honest to say the channel looked like: drop.
        if (!e.channel) {
          out.dropped.push(e);
          return;
        }
        out.admitted.push(synthesizedCreated(e));
        out.synthesized += 1;
      }
      this.alive.add(id);
    } else if (e.type === 'ChannelCreated') {
      out.dropped.push(e);
      return;
    }
    if (e.type === 'ChannelDestroyed') {
      this.alive.delete(id);
      this.ended.set(id, true);
    }
    out.admitted.push(e);
  }
}

/** ChannelCreated for a channel first heard of through `e`: its snapshot, marked reconciled, no raw. */
export function synthesizedCreated(e: ChannelEvent): ChannelEvent {
  return {
    backend: e.backend,
    backendKind: e.backendKind,
    occurredAt: e.occurredAt,
    receivedAt: e.receivedAt,
    reconciled: true,
    ids: { ...e.ids },
    raw: {},
    category: 'channel',
    channel: e.channel,
    type: 'ChannelCreated',
  };
}
