/**
 * The client setup the README documents: urql for queries and mutations over HTTP, and
 * subscriptions over graphql-ws on the same /graphql path, the key in both places.
 */
import { Client, fetchExchange, subscriptionExchange, type CombinedError } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

export interface Gql {
  urql: Client;
  ws: WsClient;
  query<T>(doc: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  mutate<T>(doc: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  /** Connection state changes of the socket (true: acknowledged). */
  onSocket(listener: (up: boolean) => void): void;
  dispose(): void;
}

export interface GqlResult<T> {
  data?: T;
  error?: CombinedError;
}

/** The first error's code (extensions.code), or a network word. */
export function errorCode(error: CombinedError | undefined): string | null {
  if (!error) return null;
  const first = error.graphQLErrors[0];
  const code = first?.extensions?.code;
  if (typeof code === 'string') return code;
  return error.networkError ? 'NETWORK_ERROR' : 'ERROR';
}

export function createGql(httpUrl: string, key: string): Gql {
  const listeners: Array<(up: boolean) => void> = [];
  const ws = createWsClient({
    url: httpUrl.replace(/^http/, 'ws'),
    connectionParams: { authorization: `Bearer ${key}` },
    lazy: true,
    // Subscriptions resume themselves with `after:` their last cursor (resume.ts); graphql-ws's own
    // retry would resubscribe with the first variables and replay or skip events.
    retryAttempts: 0,
    keepAlive: 10_000,
    on: {
      connected: () => listeners.forEach((l) => l(true)),
      closed: () => listeners.forEach((l) => l(false)),
    },
  });
  const urql = new Client({
    url: httpUrl,
    // No document cache: the console shows the live present, which subscriptions keep current.
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
    requestPolicy: 'network-only',
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { authorization: `Bearer ${key}` } }),
  });
  return {
    urql,
    ws,
    query: (doc, variables) => urql.query(doc, variables ?? {}).toPromise() as never,
    mutate: (doc, variables) => urql.mutation(doc, variables ?? {}).toPromise() as never,
    onSocket: (l) => listeners.push(l),
    dispose: () => void ws.dispose(),
  };
}
