/**
 * urql (@urql/core 6) against patchbay with its default exchanges, plus graphql-ws for
 * subscriptions that resume after their last cursor when the socket drops.
 *
 *   GATEWAY_URL=http://127.0.0.1:4000/graphql API_KEY=pbk_… node -r @swc-node/register examples/urql.ts
 */
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { type Client as WsClient, type FormattedExecutionResult, type Sink, type SubscribePayload } from 'graphql-ws';
import { cursorOf } from './operations';
import { createWsClient, main, runScenario, type ExampleClient, type ExampleConfig } from './scenario';

/**
 * Subscribes through graphql-ws; each payload's cursor becomes `after`, and when the socket
 * drops (a close, not GraphQL errors nor a fatal close code) the operation is sent again from there: no gap, no duplicate.
 */
export function subscribeResuming(
  ws: WsClient,
  payload: SubscribePayload,
  sink: Sink<FormattedExecutionResult<Record<string, unknown>, unknown>>,
  canResume: () => boolean,
  retryMs = 250,
): () => void {
  let variables = { ...payload.variables };
  let unsubscribe: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let attempt = 0;
  const resumable = 'after' in variables;
  const start = () => {
    unsubscribe = ws.subscribe(
      { ...payload, variables },
      {
        next: (result) => {
          attempt = 0;
          const cursor = cursorOf(result.data);
          if (cursor) variables = { ...variables, after: cursor };
          sink.next(result);
        },
        error: (e) => {
          if (!resumable || Array.isArray(e) || !canResume()) return sink.error(e);
          timer = setTimeout(start, Math.min(5000, retryMs * 2 ** attempt++));
        },
        complete: () => sink.complete(),
      },
    );
  };
  start();
  return () => {
    clearTimeout(timer);
    unsubscribe?.();
  };
}

export function createUrqlClient(cfg: ExampleConfig) {
  const authorization = `Bearer ${cfg.apiKey}`;
  const { ws, connections, canResume } = createWsClient(cfg);
  const client = new Client({
    url: cfg.httpUrl,
    fetchOptions: () => ({ headers: { authorization } }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: subscribeResuming(
              ws,
              { ...request, query: request.query ?? '' },
              sink as Sink<FormattedExecutionResult<Record<string, unknown>, unknown>>,
              canResume,
            ),
          }),
        }),
      }),
    ],
  });
  return { client, ws, connections };
}

async function run(cfg: ExampleConfig) {
  const { client, ws, connections } = createUrqlClient(cfg);
  const example: ExampleClient = {
    name: 'urql',
    async query(document, variables) {
      const r = await client.query(document, variables ?? {}, { requestPolicy: 'network-only' }).toPromise();
      if (r.error) throw r.error;
      return r.data;
    },
    async mutate(document, variables) {
      const r = await client.mutation(document, variables ?? {}).toPromise();
      if (r.error) throw r.error;
      return r.data;
    },
    subscribe(document, variables, onData, onError) {
      const sub = client
        .subscription(document, variables)
        .subscribe((r) => (r.error ? onError(r.error) : onData(r.data)));
      return () => sub.unsubscribe();
    },
    forceDisconnect: () => ws.terminate(),
    connections,
  };
  try {
    return await runScenario(example, cfg);
  } finally {
    await ws.dispose();
  }
}

if (require.main === module) main(run);
