/**
 * History must not overwrite live state in a normalised client cache (Apollo InMemoryCache and
 * urql Graphcache key objects by `__typename` + `id`): the channel and playback an event carries
 * are snapshots with ids of their own, so no object of `events` shares a cache key with an
 * object of `channels`, even for a channel whose past state differs from its present one.
 */
import { startHarness, waitFor, type Harness } from '../../helpers/gateway-harness';
import { stasisChannel } from '../../helpers/channels';
import { latestCursor, waitForLiveView } from './event-helpers';

/** Every `__typename:id` key a normalising cache would write for this result, with the object. */
function cacheKeys(
  value: unknown,
  out = new Map<string, Record<string, unknown>>(),
): Map<string, Record<string, unknown>> {
  if (Array.isArray(value)) for (const v of value) cacheKeys(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.__typename === 'string' && typeof o.id === 'string') out.set(`${o.__typename}:${o.id}`, o);
    for (const v of Object.values(o)) cacheKeys(v, out);
  }
  return out;
}

const HISTORY = `query($after: String) { events(after: $after, first: 50) { edges { cursor node { __typename cursor
  ... on ChannelEvent { channelId channel { __typename id channelId state backend { __typename id name } } }
  ... on PlaybackStarted { playback { __typename id playbackId state } }
  ... on PlaybackFinished { playback { __typename id playbackId state } } } } } }`;
const LIVE = '{ channels { __typename id state backend { __typename id name } } }';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ simulators: 1 });
  await waitForLiveView(h, 'pbx1');
}, 120_000);
afterAll(() => h?.close());

it('events history and the live channels list share no cache key', async () => {
  const start = await latestCursor(h);
  const id = await stasisChannel(h, 'pbx1', 'PJSIP/alice');
  const play = await h.gql(
    'mutation($id: ID!) { playMedia(input: { id: $id, media: ["sound:hello-world"] }) { playback { id } } }',
    { id },
  );
  expect(play.errors).toBeUndefined();
  type Edge = { cursor: string; node: Record<string, any> };
  let edges: Edge[] = [];
  await waitFor(async () => {
    const r = await h.gql<{ events: { edges: Edge[] } }>(HISTORY, { after: start });
    edges = r.data?.events.edges ?? [];
    return edges.some((e) => e.node.__typename === 'PlaybackFinished');
  }, 'the playback finished in history');

  const live = await h.gql(LIVE);
  expect(live.errors).toBeUndefined();
  const liveKeys = cacheKeys(live.data);
  const historyKeys = cacheKeys(edges);
  // Backends are the same live objects either way; everything else must be apart.
  const shared = [...historyKeys.keys()].filter((k) => liveKeys.has(k) && !k.startsWith('Backend:'));
  expect(shared).toEqual([]);
  expect(liveKeys.get(`Channel:${id}`)).toEqual(expect.objectContaining({ state: 'UP' }));

  const ofChannel = edges.filter((e) => e.node.channel?.channelId === id);
  // History really differs from the present (a collision would have shown a past state as live).
  expect(ofChannel.map((e) => e.node.channel.state)).toContain('DOWN');
  for (const e of ofChannel) {
    expect(e.node.channel).toEqual(
      expect.objectContaining({ __typename: 'ChannelSnapshot', id: `${id}@${e.cursor}`, channelId: id }),
    );
  }
  const playbacks = edges.filter((e) => e.node.playback).map((e) => e.node.playback);
  expect(playbacks.map((p) => p.__typename)).toEqual(['PlaybackSnapshot', 'PlaybackSnapshot']);
  expect(new Set(playbacks.map((p) => p.playbackId))).toEqual(new Set([play.data!.playMedia.playback.id]));
  expect(new Set(playbacks.map((p) => p.id)).size).toBe(2);
});
