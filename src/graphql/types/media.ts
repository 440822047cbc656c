import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { PlaybackStateEnum, RecordingStateEnum } from './enums';
import { Node } from './node';
import { SsrcScalar } from './scalars';

const seconds = (what: string) => ({
  nullable: true,
  description: `${what}, in seconds (null when the backend omits it).`,
});

@ObjectType({
  description:
    'RTP statistics of a channel (ARI RTPstat). Counts are integers (octet counts as SafeInt: they pass 2^31 within days); jitter and round-trip values are seconds.',
})
export class RtpStats {
  @Field(() => Int, { description: 'Packets sent.' }) txCount!: number;
  @Field(() => Int, { description: 'Packets received.' }) rxCount!: number;
  @Field(() => Int, { description: 'Packets lost, sending side.' }) txPacketLoss!: number;
  @Field(() => Int, { description: 'Packets lost, receiving side.' }) rxPacketLoss!: number;
  @Field(() => SsrcScalar, { description: 'Our SSRC.' }) localSsrc!: number;
  @Field(() => SsrcScalar, { description: "The far end's SSRC." }) remoteSsrc!: number;
  @Field(() => GraphQLSafeInt, { description: 'Octets sent.' }) txOctetCount!: number;
  @Field(() => GraphQLSafeInt, { description: 'Octets received.' }) rxOctetCount!: number;
  @Field(() => Float, seconds('Jitter on sending')) txJitter!: number | null;
  @Field(() => Float, seconds('Jitter on receiving')) rxJitter!: number | null;
  @Field(() => Float, seconds('Maximum jitter the far end reported')) remoteMaxJitter!: number | null;
  @Field(() => Float, seconds('Minimum jitter the far end reported')) remoteMinJitter!: number | null;
  @Field(() => Float, seconds('Normal deviation of the jitter the far end reported')) remoteNormDevJitter!:
    number | null;
  @Field(() => Float, seconds('Standard deviation of the jitter the far end reported')) remoteStdevJitter!:
    number | null;
  @Field(() => Float, seconds('Maximum jitter measured here')) localMaxJitter!: number | null;
  @Field(() => Float, seconds('Minimum jitter measured here')) localMinJitter!: number | null;
  @Field(() => Float, seconds('Normal deviation of the jitter measured here')) localNormDevJitter!: number | null;
  @Field(() => Float, seconds('Standard deviation of the jitter measured here')) localStdevJitter!: number | null;
  @Field(() => Float, { nullable: true, description: 'Maximum receive packet loss the far end reported.' })
  remoteMaxRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true, description: 'Minimum receive packet loss the far end reported.' })
  remoteMinRxPacketLoss!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Normal deviation of the receive packet loss the far end reported.',
  })
  remoteNormDevRxPacketLoss!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Standard deviation of the receive packet loss the far end reported.',
  })
  remoteStdevRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true, description: 'Maximum receive packet loss measured here.' })
  localMaxRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true, description: 'Minimum receive packet loss measured here.' })
  localMinRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true, description: 'Normal deviation of the receive packet loss measured here.' })
  localNormDevRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true, description: 'Standard deviation of the receive packet loss measured here.' })
  localStdevRxPacketLoss!: number | null;
  @Field(() => Float, seconds('Round-trip time')) rtt!: number | null;
  @Field(() => Float, seconds('Maximum round-trip time')) maxRtt!: number | null;
  @Field(() => Float, seconds('Minimum round-trip time')) minRtt!: number | null;
  @Field(() => Float, seconds('Normal deviation of the round-trip time')) normDevRtt!: number | null;
  @Field(() => Float, seconds('Standard deviation of the round-trip time')) stdevRtt!: number | null;
}

/** What a playback is at one moment: shared by the live Playback and PlaybackSnapshot. */
@ObjectType({ description: 'Internal base of Playback and PlaybackSnapshot; never in the schema.' })
export abstract class PlaybackValues {
  @Field({ description: "The backend's playback id." })
  nativeId!: string;

  @Field({ description: 'Media playing now, e.g. "sound:hello-world".' })
  mediaUri!: string;

  @Field(() => String, { nullable: true, description: 'Next media URI when more are queued.' })
  nextMediaUri!: string | null;

  @Field({ description: '"channel:<id>" or "bridge:<id>".' })
  targetUri!: string;

  @Field(() => String, { nullable: true, description: 'Language of the sounds played, e.g. "en".' })
  language!: string | null;

  @Field(() => PlaybackStateEnum, { description: 'Where the playback is in its lifecycle.' })
  state!: PlaybackStateEnum;
}

@ObjectType({ implements: Node, description: 'Media being played to a channel, as it is now.' })
export class Playback extends PlaybackValues {
  @Field(() => ID, { description: 'Global id: `<backend>:<playback id>`.' })
  id!: string;
}

@ObjectType({
  description:
    'A playback as one journal event saw it: typed apart from the live Playback so that a normalised client cache never writes past state over live state.',
})
export class PlaybackSnapshot extends PlaybackValues {
  @Field(() => ID, { description: 'Id of this snapshot: `<playbackId>@<event cursor>` (never a live Playback id).' })
  id!: string;

  @Field(() => ID, { description: 'Global id of the playback this is a snapshot of.' })
  playbackId!: string;
}

@ObjectType({ description: 'A recording in progress.' })
export class LiveRecording {
  @Field({ description: 'Recording name (the file name without format).' })
  name!: string;

  @Field({ description: 'Audio format, e.g. "wav".' })
  format!: string;

  @Field({ description: '"channel:<id>" or "bridge:<id>".' })
  targetUri!: string;

  @Field(() => RecordingStateEnum, { description: 'Where the recording is in its lifecycle.' })
  state!: RecordingStateEnum;

  @Field(() => Int, { nullable: true, description: 'Length so far, in seconds (when the backend says).' })
  durationSeconds!: number | null;
  @Field(() => Int, { nullable: true, description: 'Seconds of talking detected (when the backend says).' })
  talkingDurationSeconds!: number | null;
  @Field(() => Int, { nullable: true, description: 'Seconds of silence detected (when the backend says).' })
  silenceDurationSeconds!: number | null;
  @Field(() => String, { nullable: true, description: 'Why it failed, when it did.' }) cause!: string | null;
}
