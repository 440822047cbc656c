/** GraphQL documents shared by the suites. */

/** What a channel list screen shows: about what `GET /ari/channels` gives a direct client. */
export const CHANNELS_QUERY = `query Channels {
  channels(filter: { backend: "pbx1" }) {
    id name state
    caller { name number }
    connected { name number }
    dialplan { context exten priority appName appData }
    createdAt language
    backend { name kind }
  }
}`;

export const CHANNELS_BODY = JSON.stringify({ query: CHANNELS_QUERY, operationName: 'Channels' });

export function checkChannelsAnswer(expected: number) {
  return (_status: number, body: string): void => {
    const parsed = JSON.parse(body) as { data?: { channels?: unknown[] }; errors?: unknown[] };
    if (parsed.errors) throw new Error(`GraphQL errors: ${JSON.stringify(parsed.errors).slice(0, 300)}`);
    if ((parsed.data?.channels?.length ?? -1) < expected)
      throw new Error(`expected ${expected} channels, got ${parsed.data?.channels?.length}`);
  };
}
