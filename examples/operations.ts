/**
 * The GraphQL documents both examples send, and the few helpers that read their results. Kept in
 * one place so a schema change touches one file.
 */

/** A query: the backends your key reaches and the live channels. */
export const BACKENDS_AND_CHANNELS = /* GraphQL */ `
  query BackendsAndChannels {
    backends {
      name
      kind
    }
    channels {
      id
      name
      state
      backend {
        name
        kind
      }
    }
  }
`;

/** A mutation: originate a call. Its payload carries the channel and `actionCursor`, where the events it starts begin. */
export const ORIGINATE = /* GraphQL */ `
  mutation Originate($input: OriginateInput!) {
    originate(input: $input) {
      channel {
        id
        name
        state
      }
      actionCursor
    }
  }
`;

/** A subscription resumable by cursor: history after `after`, then live. */
export const CHANNEL_EVENTS = /* GraphQL */ `
  subscription ChannelEvents($after: String, $filter: ChannelEventFilter) {
    channelEvents(after: $after, filter: $filter) {
      __typename
      cursor
      channelId
    }
  }
`;

/** History, to check the subscription against: the same events, paged. */
export const EVENT_HISTORY = /* GraphQL */ `
  query EventHistory($after: String, $filter: EventFilter, $first: Int) {
    events(after: $after, filter: $filter, first: $first) {
      edges {
        cursor
        node {
          __typename
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export interface Originated {
  id: string;
  actionCursor: string;
}

/** The channel id and cursor an ORIGINATE payload carries. */
export function originated(data: unknown): Originated {
  const o = (data as { originate: { channel: { id: string }; actionCursor: string | null } }).originate;
  if (!o.actionCursor) throw new Error('originate returned no actionCursor');
  return { id: o.channel.id, actionCursor: o.actionCursor };
}

export interface ChannelEventItem {
  __typename: string;
  cursor: string;
  channelId: string | null;
}

/** The event of a CHANNEL_EVENTS payload. */
export function channelEvent(data: unknown): ChannelEventItem | null {
  return (data as { channelEvents?: ChannelEventItem } | null | undefined)?.channelEvents ?? null;
}

/**
 * The cursor of a resumable subscription payload (the `cursor` of its one root field): a
 * reconnect subscribes again with `after` set to it, so nothing is missed or repeated.
 */
export function cursorOf(data: unknown): string | null {
  if (!data || typeof data !== 'object') return null;
  const root = Object.values(data as Record<string, unknown>)[0] as { cursor?: unknown } | null | undefined;
  return typeof root?.cursor === 'string' ? root.cursor : null;
}
