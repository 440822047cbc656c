/** GraphiQL, rendered as one self-contained page (no CDN), with subscriptions over graphql-ws. */
import type * as GraphiQLRenderer from '@graphql-yoga/render-graphiql';

const DEFAULT_QUERY = `# Welcome to patchbay. Live channels across every backend:
query LiveChannels {
  channels {
    id
    name
    state
    caller { name number }
    backend { name kind }
    capabilities
  }
}

# Try a subscription in another tab (add after: "<cursor>" to resume without losing events):
# subscription { channelEvents { __typename cursor channelId occurredAt channel { state } } }
`;

const pages = new Map<string, string>();

/**
 * GraphiQL sends `headers` with every HTTP request; for subscriptions the same Authorization
 * goes into graphql-ws connectionParams, which is where patchbay reads it on sockets.
 */
export function graphiqlPage(headers?: Record<string, string>): string {
  const key = JSON.stringify(headers ?? {});
  let page = pages.get(key);
  if (!page) {
    // Loaded on the first page asked for, not at start: the renderer holds the whole GraphiQL
    // bundle (~60 MB resident, ~0.6 s to load; docs/operations-performance.md) that an API-only
    // gateway never needs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load described above
    const { renderGraphiQL } = require('@graphql-yoga/render-graphiql') as typeof GraphiQLRenderer;
    page = renderGraphiQL({
      title: 'patchbay',
      endpoint: '/graphql',
      subscriptionsProtocol: 'WS',
      defaultQuery: DEFAULT_QUERY,
      headers: headers ? JSON.stringify(headers, null, 2) : undefined,
      connectionParams: headers?.Authorization ? { authorization: headers.Authorization } : undefined,
    } as Parameters<typeof renderGraphiQL>[0]);
    pages.set(key, page);
  }
  return page;
}
