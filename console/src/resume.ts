/**
 * A subscription that survives dropped sockets: it remembers the cursor of the last event it
 * delivered and, after the socket closes, subscribes again with `after:` that cursor, so the
 * gateway replays what was missed from its journal before going live (schema.graphql,
 * Subscription.channelEvents). Events at or before the last cursor are dropped: none doubled.
 */
import type { Gql } from './client';
import { EVENTS_AFTER } from './operations';

export interface StreamEvent {
  __typename: string;
  cursor: string;
}

export interface ResumeInfo {
  /** Events the journal holds after the last cursor when the socket came back. */
  missed: number;
  /** More than `missed` (the count stopped at a page limit). */
  more: boolean;
}

export interface ResumableOptions<E extends StreamEvent> {
  gql: Gql;
  document: string;
  /** The root field, e.g. "channelEvents". */
  field: string;
  /** Journal categories of this stream, to count what a gap missed. */
  categories: string[];
  /** The cursor to start after, or null for live only. */
  after?: string | null;
  onEvent(event: E): void;
  onResumed(info: ResumeInfo): void;
  onError?(message: string): void;
}

const COUNT_PAGE = 500;
/** Pages journalHead reads before giving up (10,000 events): a longer journal starts live. */
const HEAD_PAGES = 20;

/**
 * The newest journal cursor among `categories`, read before subscribing so that a socket dropped
 * before the first event still resumes `after:` it with nothing missed. Null when the journal is
 * empty or longer than HEAD_PAGES pages (the history query reads oldest first), or unreadable:
 * the stream then starts live, as before.
 */
export async function journalHead(gql: Gql, categories: string[]): Promise<string | null> {
  let after: string | null = null;
  for (let page = 0; page < HEAD_PAGES; page++) {
    const r: { data?: EventsPage } = await gql.query<EventsPage>(EVENTS_AFTER, {
      after,
      first: COUNT_PAGE,
      filter: { categories },
    });
    if (!r.data) return null;
    after = r.data.events.pageInfo.endCursor ?? after;
    if (!r.data.events.pageInfo.hasNextPage) return after;
  }
  return null;
}

interface EventsPage {
  events: { edges: unknown[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
}
const MAX_BACKOFF_MS = 5000;

export function isAfter(cursor: string, last: string | null): boolean {
  if (last === null) return true;
  if (cursor.length !== last.length) return cursor.length > last.length;
  return cursor > last;
}

export class ResumableSubscription<E extends StreamEvent> {
  private last: string | null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  private failures = 0;

  constructor(private readonly o: ResumableOptions<E>) {
    this.last = o.after ?? null;
  }

  get lastCursor(): string | null {
    return this.last;
  }

  start(): void {
    const vars = { after: this.last };
    const { unsubscribe } = this.o.gql.urql.subscription(this.o.document, vars).subscribe((result) => {
      if (result.error) return this.dropped(result.error.message, Boolean(result.error.networkError));
      const event = (result.data as Record<string, E> | undefined)?.[this.o.field];
      if (!event) return;
      this.failures = 0;
      if (!isAfter(event.cursor, this.last)) return;
      this.last = event.cursor;
      this.o.onEvent(event);
    });
    this.unsubscribe = unsubscribe;
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
  }

  private dropped(message: string, network: boolean): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.stopped) return;
    if (!network) this.o.onError?.(message);
    const wait = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.failures++);
    setTimeout(() => void this.resume(), wait);
  }

  /** Counts the gap from the journal, then subscribes again behind the last cursor. */
  private async resume(): Promise<void> {
    if (this.stopped) return;
    let info: ResumeInfo = { missed: 0, more: false };
    if (this.last !== null) {
      const r = await this.o.gql.query<EventsPage>(EVENTS_AFTER, {
        after: this.last,
        first: COUNT_PAGE,
        filter: { categories: this.o.categories },
      });
      if (r.error?.networkError) return this.dropped(r.error.message, true);
      if (r.data) info = { missed: r.data.events.edges.length, more: r.data.events.pageInfo.hasNextPage };
    }
    this.start();
    this.o.onResumed(info);
  }
}
