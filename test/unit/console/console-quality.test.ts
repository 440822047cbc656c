/** The console's quality pieces: payload to sample, sparkline geometry, the store's samples. */
import { ChannelStore } from '../../../console/src/channel-store';
import { sampleOf, type QualityPayload } from '../../../console/src/quality-stream';
import { SPARK_H, SPARK_SAMPLES, SPARK_W, sparkPoints } from '../../../console/src/views/sparkline';
import type { Channel } from '../../../console/src/types';

const dir = (jitterMs: number | null, lossPercent: number) => ({ jitterMs, lossPercent });

describe('sampleOf', () => {
  const base: QualityPayload = {
    channelId: 'c1',
    mos: 4.41,
    sampledAt: '2026-12-07T10:00:00.000Z',
    inbound: dir(2, 0.5),
    outbound: dir(7, 0.1),
    sinceLastSample: null,
  };

  it('takes the worse direction of the cumulative figures on a first sample', () => {
    expect(sampleOf(base)).toEqual({
      at: Date.parse(base.sampledAt),
      values: { mos: 4.41, jitterMs: 7, lossPercent: 0.5 },
    });
  });

  it('prefers the interval (how the call sounds now) when there is one', () => {
    const q = { ...base, sinceLastSample: { mos: 3.2, inbound: dir(40, 6), outbound: dir(null, 1) } };
    expect(sampleOf(q).values).toEqual({ mos: 3.2, jitterMs: 40, lossPercent: 6 });
  });

  it('reads an unmeasured jitter as 0', () => {
    expect(sampleOf({ ...base, inbound: dir(null, 0), outbound: dir(null, 0) }).values.jitterMs).toBe(0);
  });
});

describe('sparkPoints', () => {
  const pts = (s: string) => s.split(' ').map((p) => p.split(',').map(Number));

  it('ends at the right edge, one step per sample, 0 at the bottom', () => {
    const p = pts(sparkPoints([0, 0, 0], 30));
    expect(p.map(([x]) => x).at(-1)).toBe(SPARK_W);
    expect(p[1][0] - p[0][0]).toBeCloseTo(SPARK_W / (SPARK_SAMPLES - 1), 1);
    expect(p.every(([, y]) => y === SPARK_H - 1)).toBe(true);
  });

  it('scales to the floor, or to the largest value above it', () => {
    expect(pts(sparkPoints([15], 30))[0][1]).toBeCloseTo(SPARK_H - 1 - (SPARK_H - 2) / 2, 1);
    const p = pts(sparkPoints([60, 120], 30));
    expect(p[1][1]).toBe(1);
    expect(p[0][1]).toBeCloseTo(SPARK_H - 1 - (SPARK_H - 2) / 2, 1);
  });

  it('draws nothing without samples', () => {
    expect(sparkPoints([], 30)).toBe('');
  });
});

describe('ChannelStore quality samples', () => {
  const channel = (id: string) => ({ id, backend: { name: 'pbx', kind: 'ARI' } }) as Channel;
  const sample = (mos: number) => ({ at: 1, values: { mos, jitterMs: 1, lossPercent: 0 } });

  it('keeps samples of live channels, announces them, and forgets them when the channel goes', () => {
    const store = new ChannelStore();
    const changes: string[] = [];
    store.onChange((c) => changes.push(c.kind === 'quality' ? `quality:${c.id}` : c.kind));
    store.replaceAll([channel('a')]);
    store.addQuality('a', sample(4.4));
    store.addQuality('gone', sample(4.4));
    expect(changes).toEqual(['reset', 'quality:a']);
    expect([...store.quality.keys()]).toEqual(['a']);
    store.apply({ __typename: 'ChannelDestroyed', channelId: 'a', channel: null } as never);
    expect(store.quality.has('a')).toBe(false);
    store.addQuality('a', sample(4.1));
    expect(store.quality.has('a')).toBe(false);
  });
});
