/** GraphQL over HTTP and graphql-ws, as any client of a gateway instance talks to it. */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { TEST_AUTH } from '../../helpers/admin-key';
import { waitFor } from '../../helpers/wait-for';

export interface SeenEvent {
  cursor: string;
  type: string;
  reconciled: boolean;
  /** Native channel id (the global id without "<backend>:"). */
  channel: string | null;
  state: string | null;
}

export const CHANNEL_EVENT_FIELDS = `__typename cursor reconciled ... on ChannelEvent { channelId channel { state } }`;

type RawEvent = {
  __typename: string;
  cursor: string;
  reconciled: boolean;
  channelId?: string | null;
  channel?: { state: string } | null;
};

export function toSeen(e: RawEvent): SeenEvent {
  const id = e.channelId ?? null;
  return {
    cursor: e.cursor,
    type: e.__typename,
    reconciled: e.reconciled,
    channel: id && id.slice(id.indexOf(':') + 1),
    state: e.channel?.state ?? null,
  };
}

export async function gql<D = any>(url: string, query: string, variables?: Record<string, unknown>): Promise<D> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: TEST_AUTH },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: D; errors?: unknown[] };
  if (res.status !== 200 || body.errors)
    throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(body.errors ?? body)}`);
  return body.data as D;
}

export { waitFor };

/** A channelEvents subscription on one instance, recording every event it is sent. */
export class EventRecorder {
  readonly events: SeenEvent[] = [];
  failure: unknown;
  completed = false;
  private readonly client: Client;

  constructor(
    readonly label: string,
    wsUrl: string,
    after?: string,
  ) {
    this.client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: TEST_AUTH },
    });
    this.client.subscribe<{ channelEvents: RawEvent }>(
      {
        query: `subscription($after: String) { channelEvents(after: $after) { ${CHANNEL_EVENT_FIELDS} } }`,
        variables: { after },
      },
      {
        next: (v) => {
          if (v.errors) this.failure ??= v.errors;
          if (v.data) this.events.push(toSeen(v.data.channelEvents));
        },
        error: (e) => {
          this.failure ??= e;
        },
        complete: () => {
          this.completed = true;
        },
      },
    );
  }

  get lastCursor(): string | undefined {
    return this.events.at(-1)?.cursor;
  }

  /** Until the last event received has at least this cursor. */
  async reach(cursor: string, timeoutMs = 5000): Promise<void> {
    await waitFor(
      () => this.failure !== undefined || BigInt(this.lastCursor ?? '0') >= BigInt(cursor),
      `${this.label} to reach cursor ${cursor} (at ${this.lastCursor})`,
      { timeoutMs, everyMs: 20 },
    );
    if (this.failure !== undefined) throw new Error(`${this.label} failed: ${describeFailure(this.failure)}`);
  }

  dispose(): Promise<void> {
    return this.client.dispose() as Promise<void>;
  }
}

export function describeFailure(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'code' in e)
    return `close ${(e as { code: number; reason?: string }).code} ${(e as { reason?: string }).reason ?? ''}`;
  return JSON.stringify(e);
}

/** Subscriptions the instance has registered (gatewaySessions), to know a live subscription is in place. */
export async function subscriptionCount(url: string): Promise<number> {
  const d = await gql<{ gatewaySessions: Array<{ subscriptions: unknown[] }> }>(
    url,
    '{ gatewaySessions { subscriptions { id } } }',
  );
  return d.gatewaySessions.reduce((n, s) => n + s.subscriptions.length, 0);
}

export interface IngestView {
  connected: boolean;
  leader: boolean;
  journaled: number;
  reconciliations: number;
  liveView: boolean;
}

export async function ingestOf(url: string, backend: string): Promise<IngestView> {
  const d = await gql<{
    backends: Array<{ name: string; health: { connected: boolean }; ingest: Omit<IngestView, 'connected'> | null }>;
  }>(url, '{ backends { name health { connected } ingest { leader journaled reconciliations liveView } } }');
  const b = d.backends.find((x) => x.name === backend);
  if (!b?.ingest) throw new Error(`${url}: backend ${backend} has no ingest status: ${JSON.stringify(d)}`);
  return { connected: b.health.connected, ...b.ingest };
}

/** Every event after `after` through the `events` history connection, page by page. */
export async function history(url: string, after: string, pageSize = 50): Promise<SeenEvent[]> {
  const out: SeenEvent[] = [];
  let cursor: string | null = after;
  for (;;) {
    const d: {
      events: {
        edges: Array<{ cursor: string; node: RawEvent }>;
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
      };
    } = await gql(
      url,
      `query($after: String, $first: Int!) { events(after: $after, first: $first) { edges { cursor node { ${CHANNEL_EVENT_FIELDS} } } pageInfo { endCursor hasNextPage } } }`,
      { after: cursor, first: pageSize },
    );
    for (const edge of d.events.edges) {
      if (edge.cursor !== edge.node.cursor)
        throw new Error(`edge cursor ${edge.cursor} != node cursor ${edge.node.cursor}`);
      out.push(toSeen(edge.node));
    }
    if (!d.events.pageInfo.hasNextPage) return out;
    cursor = d.events.pageInfo.endCursor;
  }
}
