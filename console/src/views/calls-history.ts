/**
 * The calls chart's past: active calls per backend over the last hour, rebuilt from the journal's
 * ChannelCreated/ChannelDestroyed events by walking back from the counts of now. Journals too
 * long to read in a few pages are left alone (the chart then starts when the page opened).
 */
import type { Gql } from '../client';
import { CHANNEL_LIFECYCLE } from '../operations';

const MAX_PAGES = 20;

interface Lifecycle {
  __typename: string;
  receivedAt: string;
  backend: { name: string } | null;
}
interface Page {
  events: { edges: Array<{ node: Lifecycle }>; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
}

export interface CountSample {
  at: number;
  counts: Map<string, number>;
}

async function readLifecycle(gql: Gql): Promise<Lifecycle[] | null> {
  const all: Lifecycle[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r: { data?: Page } = await gql.query<Page>(CHANNEL_LIFECYCLE, { after });
    if (!r.data) return null;
    all.push(...r.data.events.edges.map((e) => e.node));
    if (!r.data.events.pageInfo.hasNextPage) return all;
    after = r.data.events.pageInfo.endCursor;
  }
  return null;
}

/** Samples (oldest first) of the counts right after each start or end since `from`. */
export function countsBefore(events: Lifecycle[], now: Map<string, number>, from: number): CountSample[] {
  const running = new Map(now);
  const out: CountSample[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    const at = Date.parse(e.receivedAt);
    if (at < from) break;
    const name = e.backend?.name;
    if (!name) continue;
    out.push({ at, counts: new Map(running) });
    const delta = e.__typename === 'ChannelCreated' ? 1 : -1;
    running.set(name, Math.max(0, (running.get(name) ?? 0) - delta));
  }
  out.push({ at: from, counts: new Map(running) });
  return out.reverse();
}

export async function callsHistory(gql: Gql, now: Map<string, number>, from: number): Promise<CountSample[]> {
  const events = await readLifecycle(gql);
  return events ? countsBefore(events, now, from) : [];
}
