import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { RtpStats } from './media';

@ObjectType({
  description: 'Quality of one direction of a call, from RTP counters and the ITU-T G.107 E-model (docs/quality.md).',
})
export class CallQualityDirection {
  @Field(() => Int, { description: 'Packets that arrived (cumulative since the call began).' })
  packets!: number;

  @Field(() => Int, { description: 'Packets lost (cumulative).' })
  packetsLost!: number;

  @Field(() => Float, { description: 'Lost packets as a percentage of those expected, 0 to 100.' })
  lossPercent!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Interarrival jitter (RFC 3550), milliseconds; null when not measured.',
  })
  jitterMs!: number | null;

  @Field(() => Float, {
    description:
      'Estimated mouth-to-ear delay: half the RTT, the jitter buffer (2 × jitter) and the codec frame, milliseconds.',
  })
  oneWayDelayMs!: number;

  @Field(() => Float, { description: 'E-model transmission rating R, 0 to 100 (93.2 is a perfect G.711 call).' })
  rFactor!: number;

  @Field(() => Float, { description: 'Estimated mean opinion score from R (G.107 Annex B), 1 to 4.5.' })
  mos!: number;
}

@ObjectType({
  description: 'Call quality over the packets of one polling interval: how the call sounds now rather than on average.',
})
export class CallQualityInterval {
  @Field(() => Float, { description: 'Seconds since the previous sample.' })
  seconds!: number;

  @Field(() => CallQualityDirection, { description: 'What the backend received in the interval.' })
  inbound!: CallQualityDirection;

  @Field(() => CallQualityDirection, { description: 'What the far end reported receiving in the interval.' })
  outbound!: CallQualityDirection;

  @Field(() => Float, { description: 'R of the worse direction in the interval.' })
  rFactor!: number;

  @Field(() => Float, { description: 'MOS of the worse direction in the interval.' })
  mos!: number;
}

@ObjectType({
  description: 'Call-quality estimate of a channel with RTP: statistics and MOS per direction (ITU-T G.107 E-model).',
})
export class CallQuality {
  @Field(() => ID, { description: 'Global id of the channel measured.' })
  channelId!: string;

  @Field(() => GraphQLDateTime, { description: 'When the statistics were read from the backend (UTC).' })
  sampledAt!: Date;

  @Field({ description: 'Codec the estimate rates, e.g. "G.711", "G.729A" (see codecKnown).' })
  codec!: string;

  @Field({
    description: 'False when the backend did not tell the codec (or the codec is not rated) and G.711 was assumed.',
  })
  codecKnown!: boolean;

  @Field(() => Float, {
    nullable: true,
    description: 'RTCP round-trip time, milliseconds; null before the first RTCP report.',
  })
  roundTripMs!: number | null;

  @Field(() => CallQualityDirection, { description: 'What the backend receives from the far end.' })
  inbound!: CallQualityDirection;

  @Field(() => CallQualityDirection, { description: 'What the far end receives, from its RTCP receiver reports.' })
  outbound!: CallQualityDirection;

  @Field(() => Float, { description: 'R of the worse direction.' })
  rFactor!: number;

  @Field(() => Float, {
    description: 'MOS of the worse direction, 1 to 4.5 (4.3 and above: very satisfied; below 3.1: many dissatisfied).',
  })
  mos!: number;

  @Field(() => RtpStats, { description: 'The RTP statistics the estimate was made from.' })
  rtpStats!: RtpStats;

  @Field(() => CallQualityInterval, {
    nullable: true,
    description:
      "The estimate over the packets since the previous sample (channelQuality only; null on Channel.quality, on a channel's first sample, and when the RTP counters restarted).",
  })
  sinceLastSample!: CallQualityInterval | null;
}

@InputType({ description: 'Which channels channelQuality measures. Empty: every channel with RTP your key can see.' })
export class ChannelQualityFilter {
  @Field({ nullable: true, description: 'Only channels of this backend.' })
  backend?: string;

  @Field(() => [ID], { nullable: true, description: 'Only these channels (global ids).' })
  channelIds?: string[];
}
