/**
 * Events that arrive while ingest reconciles are held until the backend's channel list is in.
 * Some of them happened before the list was taken (it already shows their effect), some after.
 * Arrival order cannot tell (the list travels over HTTP, events over the socket), so each held
 * event is placed against the listed snapshot of its channel by the backend's own progress
 * (domain/channel-progress.ts): what the list already shows goes before the reconcile diff,
 * the rest after it.
 */
import { compareProgress } from '../domain/channel-progress';
import type { Channel } from '../domain/channel';

/** What ordering needs to know of one held event. */
export interface HeldProbe {
  /** The channel the event is about, when it is about one. */
  channelId?: string;
  /** The channel as the event saw it, when the event carries a snapshot. */
  snapshot: Channel | null;
  /** The event ends the channel (ARI ChannelDestroyed, KAZOO CHANNEL_DESTROY). */
  destroys: boolean;
}

export interface HeldSplit<T> {
  /** Already reflected in the list: apply before diffing with it. */
  before: T[];
  /** Happened after the list was taken (or cannot be placed): apply after the diff. */
  after: T[];
}

/**
 * Per channel, in arrival order:
 * - listed: events whose snapshot is older than the listed one, and the one event that brought
 *   the channel to the listed progress, go before; the rest after.
 * - not listed, and one of its held events destroys it: all before (it ended before the list,
 *   or lived and ended within the wait; the diff then has nothing to say about it).
 * - not listed otherwise: after (it appeared after the list was taken).
 * Events about no channel go after. Each half keeps arrival order.
 */
export function splitHeld<T>(
  held: readonly T[],
  probe: (item: T) => HeldProbe,
  listed: ReadonlyMap<string, Channel>,
  known: (channelId: string) => Channel | undefined,
): HeldSplit<T> {
  const probes = held.map(probe);
  const destroyed = new Set(probes.filter((p) => p.destroys && p.channelId !== undefined).map((p) => p.channelId!));
  const lastSeen = new Map<string, Channel | undefined>();
  const reached = new Set<string>();
  const out: HeldSplit<T> = { before: [], after: [] };
  held.forEach((item, i) => {
    const p = probes[i];
    const id = p.channelId;
    if (id === undefined) return void out.after.push(item);
    const listedSnapshot = listed.get(id);
    if (!listedSnapshot) return void (destroyed.has(id) ? out.before : out.after).push(item);
    if (!lastSeen.has(id)) lastSeen.set(id, known(id));
    const previous = lastSeen.get(id);
    if (p.snapshot) lastSeen.set(id, p.snapshot);
    out[isBeforeList(p, previous, listedSnapshot, reached.has(id)) ? 'before' : 'after'].push(item);
    if (p.snapshot && compareProgress(p.snapshot, listedSnapshot) >= 0) reached.add(id);
  });
  return out;
}

function isBeforeList(p: HeldProbe, previous: Channel | undefined, listed: Channel, alreadyReached: boolean): boolean {
  if (alreadyReached || !p.snapshot || p.destroys) return false;
  const order = compareProgress(p.snapshot, listed);
  if (order < 0) return true;
  // The transition into the listed progress: the list shows its effect, so it came first.
  return order === 0 && (previous === undefined || compareProgress(previous, listed) < 0);
}
