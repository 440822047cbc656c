/**
 * Call quality over real sockets: Channel.quality on demand, and channelQuality over graphql-ws
 * where two subscribers (different keys, so not one shared execution) share one RTP poll per
 * channel per interval.
 */
import { startHarness, subscribe, waitFor, type Harness } from '../../helpers/gateway-harness';
import { stasisChannel } from '../../helpers/channels';

const QUALITY_FIELDS = `channelId sampledAt codec codecKnown roundTripMs rFactor mos
  inbound { packets packetsLost lossPercent jitterMs oneWayDelayMs rFactor mos }
  outbound { packets packetsLost lossPercent jitterMs oneWayDelayMs rFactor mos }
  rtpStats { txCount rxCount }
  sinceLastSample { seconds rFactor mos inbound { packets lossPercent } outbound { packets } }`;
const SUBSCRIPTION = `subscription($i: Int!, $f: ChannelQualityFilter) { channelQuality(intervalSeconds: $i, filter: $f) { ${QUALITY_FIELDS} } }`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function rtpHits(nativeId: string): number {
  const path = `/ari/channels/${nativeId}/rtp_statistics`;
  return h.sims[0].requests.filter((r) => r.method === 'GET' && r.path === path).length;
}

function expectPlausible(q: any) {
  expect(q.codec).toBe('G.711');
  expect(q.rFactor).toBeGreaterThan(90);
  expect(q.rFactor).toBeLessThanOrEqual(93.2);
  expect(q.mos).toBeGreaterThan(4.3);
  expect(q.mos).toBeLessThan(4.42);
  expect(q.inbound.lossPercent).toBe(0);
  expect(q.inbound.packets).toBe(q.rtpStats.rxCount);
  expect(Number.isNaN(Date.parse(q.sampledAt))).toBe(false);
}

describe('call quality', () => {
  it('Channel.quality: an estimate for a PJSIP channel, null for a Local one', async () => {
    const pjsip = await stasisChannel(h, 'pbx1', 'PJSIP/alice');
    const local = await stasisChannel(h, 'pbx1');
    h.sims[0].resetRequestLog();
    const r = await h.gql(
      `query($a: ID!, $b: ID!) { a: channel(id: $a) { rtpStats { txCount } quality { ${QUALITY_FIELDS} } } b: channel(id: $b) { quality { mos } } }`,
      { a: pjsip, b: local },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.a.quality.channelId).toBe(pjsip);
    expect(r.data!.a.quality.sinceLastSample).toBeNull();
    expectPlausible(r.data!.a.quality);
    expect(r.data!.b).toEqual({ quality: null });
    // rtpStats and quality of one channel in one request: one statistics read.
    expect(rtpHits(pjsip.slice('pbx1:'.length))).toBe(1);
  });

  it('two subscribers, one poll per channel per interval; channels without RTP left out', async () => {
    const a = await stasisChannel(h, 'pbx1', 'PJSIP/bob');
    const b = await stasisChannel(h, 'pbx1', 'PJSIP/carol');
    const local = await stasisChannel(h, 'pbx1');
    const viewer = await h.keyFor('VIEWER', { all: true });
    h.sims[0].resetRequestLog();
    const ids = [a, b, local];
    const s1 = subscribe(h.wsClient(), SUBSCRIPTION, { i: 1, f: { channelIds: ids } });
    const s2 = subscribe(h.wsClient(viewer), SUBSCRIPTION, { i: 1, f: { backend: 'pbx1', channelIds: ids } });
    const sampledAt = (items: typeof s1.items, id: string) =>
      new Set(
        items
          .filter((x) => x.data?.channelQuality.channelId === id)
          .map((x) => x.data!.channelQuality.sampledAt as string),
      );
    // Three polls of each channel seen by both subscribers.
    await waitFor(
      () => [s1, s2].every((s) => [a, b].every((id) => sampledAt(s.items, id).size >= 3)),
      'three samples of each channel on both subscribers',
      15_000,
    );
    s1.dispose();
    s2.dispose();
    for (const s of [s1, s2]) {
      expect(s.items.every((x) => !x.errors)).toBe(true);
      expect(s.items.some((x) => x.data!.channelQuality.channelId === local)).toBe(false);
      for (const x of s.items) expectPlausible(x.data!.channelQuality);
    }
    for (const id of [a, b]) {
      const seen = new Set([...sampledAt(s1.items, id), ...sampledAt(s2.items, id)]);
      const hits = rtpHits(id.slice('pbx1:'.length));
      // Every poll reached both subscribers; at most one more poll may be in flight as they leave.
      expect(hits).toBeGreaterThanOrEqual(seen.size);
      expect(hits).toBeLessThanOrEqual(seen.size + 1);
      expect(sampledAt(s1.items, id).size + sampledAt(s2.items, id).size).toBeGreaterThanOrEqual(6);
    }
    expect(rtpHits(local.slice('pbx1:'.length))).toBe(0);
    // After a channel's first poll each sample also rates the interval since the previous one.
    const later = s1.items.map((x) => x.data!.channelQuality).filter((q) => q.channelId === a && q.sinceLastSample);
    expect(later.length).toBeGreaterThanOrEqual(1);
    for (const q of later) {
      expect(q.sinceLastSample.seconds).toBeGreaterThan(0.5);
      expect(q.sinceLastSample.inbound.packets).toBeGreaterThan(0);
      expect(q.sinceLastSample.inbound.packets).toBeLessThan(q.inbound.packets);
      expect(q.sinceLastSample.mos).toBeGreaterThan(4.3);
    }
  });

  it('bad arguments are BAD_USER_INPUT before any backend is asked', async () => {
    h.sims[0].resetRequestLog();
    for (const [vars, arg] of [
      [{ i: 0 }, 'intervalSeconds'],
      [{ i: 1, f: { backend: 'nope' } }, 'filter.backend'],
      [{ i: 1, f: { channelIds: ['no-colon'] } }, 'filter.channelIds'],
    ] as const) {
      const s = subscribe(h.wsClient(), SUBSCRIPTION, vars);
      await waitFor(() => s.items.length > 0 || s.failure !== undefined, `refusal of ${arg}`);
      const errors = (s.items[0]?.errors ?? s.failure) as Array<{ extensions?: Record<string, unknown> }>;
      expect(errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: arg });
      s.dispose();
    }
    expect(h.sims[0].requests.filter((r) => r.path.includes('rtp_statistics'))).toEqual([]);
  });
});
