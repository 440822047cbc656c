import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { PlaybackStateEnum, RecordingStateEnum } from './enums';

@ObjectType({ description: 'RTP statistics of a channel (ARI RTPstat). Jitter and RTT values are seconds.' })
export class RtpStats {
  @Field(() => Float, { description: 'Packets sent.' }) txCount!: number;
  @Field(() => Float, { description: 'Packets received.' }) rxCount!: number;
  @Field(() => Float, { description: 'Packets lost, sending side.' }) txPacketLoss!: number;
  @Field(() => Float, { description: 'Packets lost, receiving side.' }) rxPacketLoss!: number;
  @Field(() => Float, { description: 'Our SSRC.' }) localSsrc!: number;
  @Field(() => Float, { description: "The far end's SSRC." }) remoteSsrc!: number;
  @Field(() => Float, { description: 'Octets sent.' }) txOctetCount!: number;
  @Field(() => Float, { description: 'Octets received.' }) rxOctetCount!: number;
  @Field(() => Float, { nullable: true }) txJitter!: number | null;
  @Field(() => Float, { nullable: true }) rxJitter!: number | null;
  @Field(() => Float, { nullable: true }) remoteMaxJitter!: number | null;
  @Field(() => Float, { nullable: true }) remoteMinJitter!: number | null;
  @Field(() => Float, { nullable: true }) remoteNormDevJitter!: number | null;
  @Field(() => Float, { nullable: true }) remoteStdevJitter!: number | null;
  @Field(() => Float, { nullable: true }) localMaxJitter!: number | null;
  @Field(() => Float, { nullable: true }) localMinJitter!: number | null;
  @Field(() => Float, { nullable: true }) localNormDevJitter!: number | null;
  @Field(() => Float, { nullable: true }) localStdevJitter!: number | null;
  @Field(() => Float, { nullable: true }) remoteMaxRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true }) remoteMinRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true }) remoteNormDevRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true }) remoteStdevRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true }) localMaxRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true }) localMinRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true }) localNormDevRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true }) localStdevRxPacketLoss!: number | null;
  @Field(() => Float, { nullable: true, description: 'Round-trip time.' }) rtt!: number | null;
  @Field(() => Float, { nullable: true }) maxRtt!: number | null;
  @Field(() => Float, { nullable: true }) minRtt!: number | null;
  @Field(() => Float, { nullable: true }) normDevRtt!: number | null;
  @Field(() => Float, { nullable: true }) stdevRtt!: number | null;
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

@ObjectType({ description: 'Media being played to a channel, as it is now.' })
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

  @Field(() => RecordingStateEnum)
  state!: RecordingStateEnum;

  @Field(() => Int, { nullable: true }) durationSeconds!: number | null;
  @Field(() => Int, { nullable: true }) talkingDurationSeconds!: number | null;
  @Field(() => Int, { nullable: true }) silenceDurationSeconds!: number | null;
  @Field(() => String, { nullable: true, description: 'Why it failed, when it did.' }) cause!: string | null;
}
