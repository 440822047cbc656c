/**
 * The Apollo Client setup of examples/apollo-client.ts (the one docs/clients.md publishes), in
 * process: overlapping selections of channels, events history and two subscriptions go through
 * its normalised cache without a single Apollo warning.
 */
import { gql } from '@apollo/client';
import { createApolloClient } from '../../../examples/apollo-client';
import { configFromEnv } from '../../../examples/scenario';
import { startHarness, type Harness } from '../../helpers/gateway-harness';
import { stasisChannel } from '../../helpers/channels';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const WIDE = gql`
  query Wide {
    channels {
      id
      name
      state
      caller {
        name
        number
      }
      connected {
        name
        number
      }
      dialplan {
        context
        exten
        priority
        appName
        appData
      }
      backend {
        name
        kind
        health {
          connected
        }
      }
      rtpStats {
        txCount
        rxCount
        rtt
      }
      capabilities
      quality {
        channelId
        mos
        rFactor
        codec
        inbound {
          lossPercent
          jitterMs
        }
        outbound {
          lossPercent
        }
        rtpStats {
          txCount
        }
      }
    }
  }
`;
const NARROW = gql`
  query Narrow {
    channels {
      id
      state
      caller {
        number
      }
      dialplan {
        exten
      }
      backend {
        name
      }
      quality {
        mos
        inbound {
          mos
        }
      }
    }
  }
`;
const HISTORY = gql`
  query History {
    events(first: 100) {
      edges {
        cursor
        node {
          __typename
          cursor
          ... on ChannelEvent {
            channelId
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
const EVENTS = gql`
  subscription Events($after: String) {
    channelEvents(after: $after) {
      __typename
      cursor
      channelId
      ... on ChannelStateChanged {
        state
      }
    }
  }
`;
const QUALITY = gql`
  subscription Quality {
    channelQuality(intervalSeconds: 1) {
      channelId
      mos
      inbound {
        lossPercent
      }
      rtpStats {
        rxCount
      }
    }
  }
`;

function take(
  observable: { subscribe: (o: { next: (r: any) => void; error: (e: unknown) => void }) => { unsubscribe(): void } },
  n: number,
): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const got: any[] = [];
    const sub = observable.subscribe({
      next: (r) => {
        if (r.error) return reject(r.error);
        got.push(r.data);
        if (got.length === n) {
          sub.unsubscribe();
          resolve(got);
        }
      },
      error: reject,
    });
  });
}

describe('Apollo Client cache with the published setup', () => {
  it('channels, events history and subscriptions raise no Apollo warning', async () => {
    await stasisChannel(h, 'pbx1', 'PJSIP/alice');
    await stasisChannel(h, 'pbx1');
    const warn = jest.spyOn(console, 'warn');
    const error = jest.spyOn(console, 'error');
    const { client, ws } = createApolloClient(configFromEnv({ GATEWAY_URL: h.gateway.url, API_KEY: h.adminKey }));
    try {
      const wide = await client.query<any>({ query: WIDE, fetchPolicy: 'network-only' });
      expect(wide.data!.channels.length).toBeGreaterThanOrEqual(2);
      expect(wide.data!.channels.some((c: { quality: unknown }) => c.quality)).toBe(true);
      await client.query({ query: NARROW, fetchPolicy: 'network-only' });
      await client.query<any>({ query: WIDE, fetchPolicy: 'network-only' });
      const history = await client.query<any>({ query: HISTORY, fetchPolicy: 'network-only' });
      const first = history.data!.events.edges[0].cursor;
      const events = await take(client.subscribe({ query: EVENTS, variables: { after: first } }), 3);
      expect(events.map((e) => e.channelEvents.cursor)).toEqual(
        history.data!.events.edges.slice(1, 4).map((e: { cursor: string }) => e.cursor),
      );
      const quality = await take(client.subscribe({ query: QUALITY }), 1);
      expect(quality[0].channelQuality.mos).toBeGreaterThan(4);
      // Reading back from the cache alone still answers the narrow query.
      expect(client.readQuery<any>({ query: NARROW })!.channels.length).toBe(wide.data!.channels.length);
      expect(warn).not.toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
      client.stop();
      await ws.dispose();
    }
  });
});
