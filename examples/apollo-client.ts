/**
 * Apollo Client 4 against patchbay: type policies and possibleTypes for a normalised cache,
 * HTTP for queries and mutations, graphql-ws for subscriptions, and subscriptions that resume
 * after their last cursor when the socket drops.
 *
 *   GATEWAY_URL=http://127.0.0.1:4000/graphql API_KEY=pbk_… node -r @swc-node/register examples/apollo-client.ts
 */
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { Observable, type Subscription } from 'rxjs';
import possibleTypes from '../possible-types.json';
import { cursorOf } from './operations';
import { createWsClient, main, runScenario, type ExampleClient, type ExampleConfig } from './scenario';

/** Full texts of Apollo's warnings, so a cache problem says what it is. */
loadDevMessages();
loadErrorMessages();

/** Value types without an id live inside their parent: merge them instead of replacing (no data-loss warning). */
const VALUE_TYPES = [
  'CallerId',
  'DialplanLocation',
  'RtpStats',
  'CallQuality',
  'CallQualityDirection',
  'CallQualityInterval',
  'BackendHealth',
  'BackendIngest',
];

export function createCache(): InMemoryCache {
  return new InMemoryCache({
    // Which concrete event types each interface can be: fragments on ChannelEvent match only with it.
    possibleTypes,
    typePolicies: {
      ...Object.fromEntries(VALUE_TYPES.map((t) => [t, { merge: true }])),
      // A backend's id is its config name; key by whichever of the two the query selected.
      Backend: { keyFields: (b) => ((b.id ?? b.name) ? `Backend:${String(b.id ?? b.name)}` : undefined) },
      Query: {
        fields: {
          // A live set: each answer is the present, not a page to append.
          channels: { merge: false },
        },
      },
    },
  });
}

/**
 * Resumes a subscription that has a `$after` variable: every payload's cursor becomes `after`,
 * and when the socket drops (not GraphQL errors, not a fatal close code) the operation is sent again
 * from there, so the stream continues with no gap and no duplicate.
 */
export function resumeLink(canResume: () => boolean, retryMs = 250): ApolloLink {
  return new ApolloLink((operation, forward) => {
    if (!('after' in operation.variables)) return forward(operation);
    return new Observable((observer) => {
      let sub: Subscription | undefined;
      let timer: NodeJS.Timeout | undefined;
      let attempt = 0;
      const start = () => {
        sub = forward(operation).subscribe({
          next: (result) => {
            attempt = 0;
            const cursor = cursorOf(result.data);
            if (cursor) operation.variables = { ...operation.variables, after: cursor };
            observer.next(result);
          },
          error: (e: unknown) => {
            if (CombinedGraphQLErrors.is(e) || !canResume()) return observer.error(e);
            timer = setTimeout(start, Math.min(5000, retryMs * 2 ** attempt++));
          },
          complete: () => observer.complete(),
        });
      };
      start();
      return () => {
        clearTimeout(timer);
        sub?.unsubscribe();
      };
    });
  });
}

export function createApolloClient(cfg: ExampleConfig) {
  const authorization = `Bearer ${cfg.apiKey}`;
  const { ws, connections, canResume } = createWsClient(cfg);
  const link = ApolloLink.split(
    ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
    ApolloLink.from([resumeLink(canResume), new GraphQLWsLink(ws)]),
    new HttpLink({ uri: cfg.httpUrl, headers: { authorization } }),
  );
  const client = new ApolloClient({ link, cache: createCache() });
  return { client, ws, connections };
}

async function run(cfg: ExampleConfig) {
  const { client, ws, connections } = createApolloClient(cfg);
  const example: ExampleClient = {
    name: 'apollo-client',
    async query(document, variables) {
      const r = await client.query({ query: gql(document), variables, fetchPolicy: 'network-only' });
      return r.data;
    },
    async mutate(document, variables) {
      const r = await client.mutate({ mutation: gql(document), variables });
      return r.data;
    },
    subscribe(document, variables, onData, onError) {
      const sub = client.subscribe({ query: gql(document), variables }).subscribe({
        next: (r) => (r.error ? onError(r.error) : onData(r.data)),
        error: onError,
      });
      return () => sub.unsubscribe();
    },
    forceDisconnect: () => ws.terminate(),
    connections,
  };
  try {
    return await runScenario(example, cfg);
  } finally {
    client.stop();
    await ws.dispose();
  }
}

if (require.main === module) main(run);
