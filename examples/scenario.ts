/**
 * What both examples demonstrate, written once against a tiny client interface: a query, a
 * mutation, and a subscription that survives a forced disconnect. The summary they print is
 * checked by test/integration/examples/clients.test.ts.
 */
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import possibleTypes from '../possible-types.json';
import {
  BACKENDS_AND_CHANNELS,
  CHANNEL_EVENTS,
  EVENT_HISTORY,
  ORIGINATE,
  channelEvent,
  originated,
  type ChannelEventItem,
} from './operations';

export interface ExampleConfig {
  httpUrl: string;
  wsUrl: string;
  apiKey: string;
  /** ARI backend to call on; the first one the key reaches when unset. */
  backend?: string;
  endpoint: string;
  app: string;
  timeoutMs: number;
}

/** GATEWAY_URL (http…/graphql) and API_KEY are required; BACKEND, ENDPOINT, APP optional. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  const httpUrl = env.GATEWAY_URL;
  const apiKey = env.API_KEY;
  if (!httpUrl || !apiKey) throw new Error('set GATEWAY_URL (e.g. http://127.0.0.1:4000/graphql) and API_KEY');
  return {
    httpUrl,
    wsUrl: httpUrl.replace(/^http/, 'ws'),
    apiKey,
    backend: env.BACKEND || undefined,
    endpoint: env.ENDPOINT || 'Local/wait@ari-test',
    app: env.APP || 'patchbay',
    timeoutMs: Number(env.TIMEOUT_MS || 30_000),
  };
}

/**
 * graphql-ws close codes that re-subscribing cannot fix (bad request, unauthorised, forbidden,
 * unacceptable subprotocol, duplicate or too many inits, internal error): the stream ends there.
 */
const FATAL_CLOSE_CODES = new Set([4400, 4401, 4403, 4406, 4409, 4429, 4500]);

/**
 * A lazy graphql-ws client sending the key. retryAttempts 0: the examples re-subscribe
 * themselves with the newest cursor, where graphql-ws's own retry would repeat the first one.
 * `canResume` is false once the socket closed with a code retrying cannot fix.
 */
export function createWsClient(cfg: ExampleConfig): {
  ws: WsClient;
  connections: () => number;
  canResume: () => boolean;
} {
  let connections = 0;
  let lastCloseCode = 0;
  const ws = createClient({
    url: cfg.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${cfg.apiKey}` },
    retryAttempts: 0,
    lazy: true,
    on: {
      connected: () => {
        connections++;
        lastCloseCode = 0;
      },
      closed: (event) => (lastCloseCode = (event as { code?: number } | undefined)?.code ?? 0),
    },
  });
  return { ws, connections: () => connections, canResume: () => !FATAL_CLOSE_CODES.has(lastCloseCode) };
}

/** The operations a client example provides (each returns `data` or throws). */
export interface ExampleClient {
  name: string;
  query(document: string, variables?: Record<string, unknown>): Promise<any>;
  mutate(document: string, variables?: Record<string, unknown>): Promise<any>;
  /** Subscribes (resuming by cursor on reconnect); returns the unsubscribe. */
  subscribe(
    document: string,
    variables: Record<string, unknown>,
    onData: (data: unknown) => void,
    onError: (e: unknown) => void,
  ): () => void;
  /** Drops the WebSocket as a network failure would. */
  forceDisconnect(): void;
  /** How many times the WebSocket has connected. */
  connections(): number;
}

const CHANNEL_EVENT_TYPES = new Set(possibleTypes.ChannelEvent.filter((t) => t !== 'ResyncRequired'));

function waitUntil(what: string, probe: () => boolean, failure: () => unknown, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      if (failure()) return reject(failure());
      if (probe()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(check, 20);
    };
    check();
  });
}

/** Channel-event cursors of the backend after `after`, up to and including `until`, from history. */
async function historyCursors(c: ExampleClient, backend: string, after: string, until: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = after;
  for (;;) {
    const data = await c.query(EVENT_HISTORY, { after: cursor, filter: { backend }, first: 500 });
    for (const e of data.events.edges as Array<{ cursor: string; node: { __typename: string } }>) {
      if (CHANNEL_EVENT_TYPES.has(e.node.__typename)) out.push(e.cursor);
      if (e.cursor === until) return out;
    }
    if (!data.events.pageInfo.hasNextPage) return out;
    cursor = data.events.pageInfo.endCursor;
  }
}

export interface ScenarioSummary {
  client: string;
  backend: string;
  query: { backends: number; channels: number };
  mutation: { first: string; second: string };
  subscription: {
    after: string;
    cursors: string[];
    beforeDisconnect: number;
    connections: number;
    history: number;
    gapFree: boolean;
    duplicates: number;
  };
}

/** Runs the query, two mutations and the resumed subscription; throws on any failure or gap. */
export async function runScenario(c: ExampleClient, cfg: ExampleConfig): Promise<ScenarioSummary> {
  const listed = await c.query(BACKENDS_AND_CHANNELS);
  const backend = cfg.backend ?? listed.backends.find((b: { kind: string }) => b.kind === 'ARI')?.name;
  if (!backend) throw new Error('no ARI backend reachable with this key');
  const input = { backend, endpoint: cfg.endpoint, app: cfg.app };
  const first = originated(await c.mutate(ORIGINATE, { input }));

  const events: ChannelEventItem[] = [];
  let failure: unknown = null;
  const stop = c.subscribe(
    CHANNEL_EVENTS,
    { after: first.actionCursor, filter: { backend } },
    (d) => {
      const e = channelEvent(d);
      if (e && CHANNEL_EVENT_TYPES.has(e.__typename)) events.push(e);
    },
    (e) => (failure = e ?? new Error('subscription failed')),
  );
  try {
    await waitUntil(
      'an event of the first call',
      () => events.some((e) => e.channelId === first.id),
      () => failure,
      cfg.timeoutMs,
    );
    const beforeDisconnect = events.length;
    c.forceDisconnect();
    // Made while the socket is down: its events must arrive after the resume, none lost.
    const second = originated(await c.mutate(ORIGINATE, { input }));
    await waitUntil(
      'an event of the second call after the resume',
      () => events.some((e) => e.channelId === second.id),
      () => failure,
      cfg.timeoutMs,
    );
    stop();
    const received = events.map((e) => e.cursor);
    const history = await historyCursors(c, backend, first.actionCursor, received[received.length - 1]);
    const duplicates = received.length - new Set(received).size;
    const gapFree = duplicates === 0 && received.join(',') === history.join(',');
    const summary: ScenarioSummary = {
      client: c.name,
      backend,
      query: { backends: listed.backends.length, channels: listed.channels.length },
      mutation: { first: first.id, second: second.id },
      subscription: {
        after: first.actionCursor,
        cursors: received,
        beforeDisconnect,
        connections: c.connections(),
        history: history.length,
        gapFree,
        duplicates,
      },
    };
    if (!gapFree) throw new Error(`subscription differs from history: ${JSON.stringify({ received, history })}`);
    if (c.connections() < 2) throw new Error('the WebSocket never reconnected');
    return summary;
  } finally {
    stop();
  }
}

/** Prints the summary as one JSON line (exit 0), or the failure (exit 1). */
export function main(run: (cfg: ExampleConfig) => Promise<ScenarioSummary>): void {
  run(configFromEnv())
    .then((summary) => {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      process.exit(0);
    })
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : JSON.stringify(e)}\n`);
      process.exit(1);
    });
}
