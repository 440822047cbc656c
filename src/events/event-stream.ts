/**
 * A subscriber's stream: history from the journal after its cursor, then live events, with no
 * gap and no duplicate at the seam. The live listener is registered first (buffering), the
 * journal is read up to the cursor the dispatcher had at that moment, then the buffer drains.
 */
import type { Journaled } from '../domain/events';
import { AsyncQueue } from './async-queue';
import type { EventDispatcher } from './dispatcher';
import type { EventJournal, JournalFilter } from './journal/journal';
import { matchesFilter } from './event-filter';

const REPLAY_PAGE = 500;

/** Sent instead of history when the cursor is older than what the journal keeps. */
export interface ResyncRequired {
  kind: 'resync';
  /** The cursor the live events continue after. */
  cursor: string;
  requestedAfter: string;
  at: Date;
}

export type StreamItem = { kind: 'event'; event: Journaled } | ResyncRequired;

export interface OpenStreamOptions {
  filter: JournalFilter;
  /** Replay everything after this cursor first. */
  after?: string | null;
  /** Extra predicate applied to live and replayed events (ids the journal cannot index). */
  accept?: (e: Journaled) => boolean;
  /** How far a slow consumer may fall behind before its stream ends with an error. */
  bufferLimit?: number;
}

export function openEventStream(
  journal: EventJournal,
  dispatcher: EventDispatcher,
  o: OpenStreamOptions,
): AsyncQueue<StreamItem> {
  const accept = (e: Journaled) => matchesFilter(e, o.filter) && (o.accept?.(e) ?? true);
  let stopLive = (): void => {};
  const queue = new AsyncQueue<StreamItem>(() => stopLive(), o.bufferLimit);
  let replaying = o.after !== undefined && o.after !== null;
  let lastReplayed = 0n;
  const held: Journaled[] = [];

  const live = dispatcher.listen((e) => {
    if (!accept(e)) return;
    if (replaying) held.push(e);
    else queue.push({ kind: 'event', event: e });
  });
  stopLive = live.stop;
  if (!replaying) return queue;

  void (async () => {
    try {
      const after = o.after!;
      let cursor = after;
      let first = true;
      for (;;) {
        const page = await journal.read(cursor, { filter: o.filter, limit: REPLAY_PAGE, upTo: live.from });
        // Checked after the first read: if the cursor is still within retention now, that read
        // was complete even if a prune ran meanwhile.
        if (first && (await journal.isExpired(after))) {
          queue.push({ kind: 'resync', cursor: live.from, requestedAfter: after, at: new Date() });
          break;
        }
        first = false;
        for (const e of page) {
          if (o.accept && !o.accept(e)) continue;
          queue.push({ kind: 'event', event: e });
        }
        if (page.length) {
          cursor = page[page.length - 1].cursor;
          lastReplayed = BigInt(cursor);
        }
        if (page.length < REPLAY_PAGE) break;
      }
      for (const e of held) if (BigInt(e.cursor) > lastReplayed) queue.push({ kind: 'event', event: e });
      held.length = 0;
      replaying = false;
    } catch (e) {
      queue.fail(e as Error);
    }
  })();
  return queue;
}
