/**
 * Turns one ARI RTPstat (cumulative since the call began) into a call-quality estimate per
 * direction with the E-model. Units and the delay estimate are explained in docs/quality.md.
 */
import type { RtpStats } from '../domain/channel';
import { CODECS, mosFromR, rFactor, type CodecImpairment } from './e-model';

/** An adaptive jitter buffer holds about twice the interarrival jitter (docs/quality.md). */
const JITTER_BUFFER_FACTOR = 2;

export interface DirectionQuality {
  packets: number;
  packetsLost: number;
  lossPercent: number;
  /** Interarrival jitter (RFC 3550 §6.4.1), ms; null when the backend has not measured it. */
  jitterMs: number | null;
  oneWayDelayMs: number;
  rFactor: number;
  mos: number;
}

export interface CallQuality {
  channelId: string;
  sampledAt: Date;
  codec: CodecImpairment;
  /** False when the codec could not be read and G.711 was assumed. */
  codecKnown: boolean;
  /** RTCP round-trip time, ms; null until the first RTCP report (ARI then says 0). */
  roundTripMs: number | null;
  /** What the gateway's side receives from the far end. */
  inbound: DirectionQuality;
  /** What the far end receives, from its RTCP receiver reports. */
  outbound: DirectionQuality;
  /** The worse direction. */
  rFactor: number;
  mos: number;
  rtpStats: RtpStats;
  /** The same estimate over the packets since the previous poll (subscriptions only; null on the first). */
  sinceLastSample: IntervalQuality | null;
}

/** An estimate over one polling interval: what the call sounds like now, not on average. */
export interface IntervalQuality {
  seconds: number;
  inbound: DirectionQuality;
  outbound: DirectionQuality;
  rFactor: number;
  mos: number;
}

function percent(lost: number, received: number): number {
  const expected = lost + received;
  return expected > 0 ? Math.min(100, (100 * Math.max(0, lost)) / expected) : 0;
}

function direction(
  codec: CodecImpairment,
  packets: number,
  lost: number,
  jitterSeconds: number | null,
  rttMs: number | null,
): DirectionQuality {
  const jitterMs = jitterSeconds === null ? null : jitterSeconds * 1000;
  const oneWayDelayMs = (rttMs ?? 0) / 2 + JITTER_BUFFER_FACTOR * (jitterMs ?? 0) + codec.codecDelayMs;
  const lossPercent = percent(lost, packets);
  const r = rFactor({ codec, oneWayDelayMs, lossPercent });
  return { packets, packetsLost: lost, lossPercent, jitterMs, oneWayDelayMs, rFactor: r, mos: mosFromR(r) };
}

export function assessQuality(
  channelId: string,
  s: RtpStats,
  codec: CodecImpairment | undefined,
  sampledAt = new Date(),
): CallQuality {
  const used = codec ?? CODECS.G711;
  const roundTripMs = s.rtt ? s.rtt * 1000 : null;
  const inbound = direction(used, s.rxCount, s.rxPacketLoss, s.rxJitter, roundTripMs);
  // txploss counts our packets the far end reports lost, out of the txcount we sent.
  const outbound = direction(used, Math.max(0, s.txCount - s.txPacketLoss), s.txPacketLoss, s.txJitter, roundTripMs);
  const worse = inbound.rFactor <= outbound.rFactor ? inbound : outbound;
  return {
    channelId,
    sampledAt,
    codec: used,
    codecKnown: codec !== undefined,
    roundTripMs,
    inbound,
    outbound,
    rFactor: worse.rFactor,
    mos: worse.mos,
    rtpStats: s,
    sinceLastSample: null,
  };
}

const COUNTERS = ['txCount', 'rxCount', 'txPacketLoss', 'rxPacketLoss', 'txOctetCount', 'rxOctetCount'] as const;

/**
 * The estimate over the packets between two polls of one channel: counters as differences,
 * jitter and RTT as now. Null when a counter went backwards (a new RTP instance, e.g. after a
 * re-INVITE) or nothing was sent or received in between.
 */
export function assessInterval(before: CallQuality, now: CallQuality): IntervalQuality | null {
  const delta = { ...now.rtpStats };
  for (const k of COUNTERS) {
    delta[k] = now.rtpStats[k] - before.rtpStats[k];
    if (delta[k] < 0) return null;
  }
  if (delta.txCount + delta.rxCount === 0) return null;
  const q = assessQuality(now.channelId, delta, now.codecKnown ? now.codec : undefined, now.sampledAt);
  const seconds = (now.sampledAt.getTime() - before.sampledAt.getTime()) / 1000;
  return { seconds, inbound: q.inbound, outbound: q.outbound, rFactor: q.rFactor, mos: q.mos };
}
