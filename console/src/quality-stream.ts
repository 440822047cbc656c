/**
 * The page's one channelQuality subscription (docs/quality.md): every channel's estimate each
 * interval, turned into samples in the channel store that the calls table's badges and
 * sparklines and the per-call chart all read. One subscription for the page, not one per row,
 * so the gateway polls each backend once per interval however many rows are on screen.
 */
import type { ChannelStore, QualitySample } from './channel-store';
import type { Gql } from './client';
import { CHANNEL_QUALITY } from './operations';

/**
 * Seconds between samples. With 1,000 RTP channels every tick is 1,000 backend reads; in the
 * console bench (docs/console.md) 3 s pushed the gateway's event delivery p95 past 100 ms and 5 s
 * kept it near 45 ms.
 */
export const QUALITY_INTERVAL_S = 5;
const MAX_BACKOFF_MS = 5000;

interface Direction {
  jitterMs: number | null;
  lossPercent: number;
}
export interface QualityPayload {
  channelId: string;
  mos: number;
  sampledAt: string;
  inbound: Direction;
  outbound: Direction;
  sinceLastSample: { mos: number; inbound: Direction; outbound: Direction } | null;
}

/**
 * A payload as a sample: MOS, jitter and loss of the worse direction. The interval's figures
 * (how the call sounds now) win over the cumulative ones, which dilute a bad minute in a long
 * call; a channel's first sample has only the cumulative ones.
 */
export function sampleOf(q: QualityPayload): QualitySample {
  const now = q.sinceLastSample ?? q;
  const jitter = Math.max(now.inbound.jitterMs ?? 0, now.outbound.jitterMs ?? 0);
  const loss = Math.max(now.inbound.lossPercent, now.outbound.lossPercent);
  return { at: Date.parse(q.sampledAt), values: { mos: now.mos, jitterMs: jitter, lossPercent: loss } };
}

/**
 * Subscribes and keeps subscribing: quality is a live feed with no journal behind it, so after a
 * dropped socket it simply starts again (the gateway sends the latest samples to a joiner at once).
 */
export function startQualityStream(gql: Gql, store: ChannelStore, onError: (message: string) => void): () => void {
  let failures = 0;
  let stopped = false;
  let unsubscribe: (() => void) | null = null;
  const start = (): void => {
    ({ unsubscribe } = gql.urql.subscription(CHANNEL_QUALITY, { interval: QUALITY_INTERVAL_S }).subscribe((r) => {
      if (r.error) {
        unsubscribe?.();
        if (stopped) return;
        if (!r.error.networkError) onError(r.error.message);
        setTimeout(start, Math.min(MAX_BACKOFF_MS, 250 * 2 ** failures++));
        return;
      }
      const q = (r.data as { channelQuality?: QualityPayload } | undefined)?.channelQuality;
      if (!q) return;
      failures = 0;
      store.addQuality(q.channelId, sampleOf(q));
    }));
  };
  start();
  return () => {
    stopped = true;
    unsubscribe?.();
  };
}
