/** GraphiQL, rendered as one self-contained page (no CDN), with subscriptions over graphql-ws. */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

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

let page: string | undefined;

export function graphiqlPage(): string {
  page ??= renderGraphiQL({
    title: 'patchbay',
    endpoint: '/graphql',
    subscriptionsProtocol: 'WS',
    defaultQuery: DEFAULT_QUERY,
  } as Parameters<typeof renderGraphiQL>[0]);
  return page;
}
