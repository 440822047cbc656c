import { Field, ID, InputType, Int } from 'type-graphql';
import {
  ChannelStateEnum,
  ExternalMediaConnectionTypeEnum,
  ExternalMediaEncapsulationEnum,
  ExternalMediaTransportEnum,
  HangupReasonEnum,
  MuteDirectionEnum,
  PlaybackOperationEnum,
  RecordIfExistsEnum,
  RecordTerminateOnEnum,
  SnoopDirectionEnum,
  TransferProgressStateEnum,
} from './enums';

@InputType({ description: 'A channel variable to set. Names may be dialplan functions, e.g. "CALLERID(name)".' })
export class ChannelVariableInput {
  @Field({ description: 'Variable or dialplan function name.' })
  name!: string;

  @Field({ description: 'Value to set.' })
  value!: string;

  @Field({ nullable: true, description: 'ARI report_events: show the variable in every channel snapshot and event.' })
  reportEvents?: boolean;
}

@InputType({
  description:
    'Originate a call. Give `app` (Stasis application) or `extension`/`context`/`priority`/`label`, not both.',
})
export class OriginateInput {
  @Field({ description: 'Backend name from config.' })
  backend!: string;

  @Field({ description: 'Endpoint to call, "tech/resource": "PJSIP/alice", "Local/100@default".' })
  endpoint!: string;

  @Field({ nullable: true, description: 'Stasis application the channel enters when answered.' })
  app?: string;

  @Field({ nullable: true, description: 'Arguments for the Stasis application (comma separated).' })
  appArgs?: string;

  @Field({ nullable: true, description: 'Dialplan extension to continue at when answered.' })
  extension?: string;

  @Field({ nullable: true, description: 'Dialplan context (default "default").' })
  context?: string;

  @Field(() => Int, { nullable: true, description: 'Dialplan priority (default 1).' })
  priority?: number;

  @Field({ nullable: true, description: 'Dialplan label; supersedes priority.' })
  label?: string;

  @Field({ nullable: true, description: 'Caller id, e.g. "\\"Alice\\" <+15551234>".' })
  callerId?: string;

  @Field(() => Int, { nullable: true, description: 'Seconds to wait for an answer; -1 for no limit (default 30).' })
  timeoutSeconds?: number;

  @Field({ nullable: true, description: 'Native id to give the new channel (at most 149 characters).' })
  channelId?: string;

  @Field({ nullable: true, description: 'Native id for the second half of a Local channel.' })
  otherChannelId?: string;

  @Field(() => ID, { nullable: true, description: 'Global id of the channel originating this one (same backend).' })
  originator?: string;

  @Field(() => [String], { nullable: true, description: 'Codec names, e.g. ["ulaw","slin16"]; not with originator.' })
  formats?: string[];

  @Field(() => [ChannelVariableInput], { nullable: true, description: 'Variables set on the channel at creation.' })
  variables?: ChannelVariableInput[];
}

@InputType({ description: 'Create a channel in a Stasis application without dialing it (dial it with dialChannel).' })
export class CreateChannelInput {
  @Field({ description: 'ARI backend to create the channel on.' }) backend!: string;
  @Field({ description: 'Endpoint, "tech/resource".' }) endpoint!: string;
  @Field({ description: 'Stasis application.' }) app!: string;
  @Field({ nullable: true, description: 'Arguments passed to the application.' }) appArgs?: string;
  @Field({ nullable: true, description: 'Native id for the new channel (default: Asterisk picks one).' })
  channelId?: string;
  @Field({ nullable: true, description: 'Native id for the second leg of a Local channel.' }) otherChannelId?: string;
  @Field(() => ID, { nullable: true, description: 'Global id of the originating channel.' }) originator?: string;
  @Field(() => [String], { nullable: true, description: 'Codecs to offer, e.g. ["ulaw"].' }) formats?: string[];
  @Field(() => [ChannelVariableInput], { nullable: true, description: 'Variables to set on the channel.' })
  variables?: ChannelVariableInput[];
}

@InputType({ description: 'Dial a channel made by createChannel.' })
export class DialChannelInput {
  @Field(() => ID, { description: 'Global channel id (a channel made by createChannel).' }) id!: string;
  @Field(() => ID, {
    nullable: true,
    description: 'Global id of the calling channel (inherits its variables and caller id).',
  })
  caller?: string;
  @Field(() => Int, { nullable: true, description: 'Seconds until the call is given up (0 or none: no limit).' })
  timeoutSeconds?: number;
}

@InputType({ description: 'Hang up a channel.' })
export class HangupChannelInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field(() => HangupReasonEnum, { nullable: true, description: 'Reason (default NORMAL); not with reasonCode.' })
  reason?: HangupReasonEnum;
  @Field(() => Int, { nullable: true, description: 'Q.850 cause code; not with reason.' })
  reasonCode?: number;
}

@InputType({ description: 'Leave the Stasis application and continue in the dialplan.' })
export class ContinueInDialplanInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field({ nullable: true, description: 'Dialplan context to continue in.' }) context?: string;
  @Field({ nullable: true, description: 'Extension to continue at.' }) extension?: string;
  @Field(() => Int, { nullable: true, description: 'Priority to continue at.' }) priority?: number;
  @Field({ nullable: true, description: 'Priority label to continue at (instead of priority).' }) label?: string;
}

@InputType({ description: 'Move a channel to another Stasis application.' })
export class MoveChannelInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field({ description: 'Stasis application to move the channel to.' }) app!: string;
  @Field({ nullable: true, description: 'Arguments passed to that application.' }) appArgs?: string;
}

@InputType({ description: 'Send DTMF to a channel.' })
export class SendDtmfInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field({ description: 'Digits 0-9, A-D, *, #; "w" pauses 0.5 s, "W" 1 s.' }) dtmf!: string;
  @Field(() => Int, { nullable: true, description: 'Pause before the first digit, in milliseconds.' })
  beforeMs?: number;
  @Field(() => Int, { nullable: true, description: 'Pause between digits, in milliseconds.' }) betweenMs?: number;
  @Field(() => Int, { nullable: true, description: 'Length of each digit, in milliseconds.' }) durationMs?: number;
  @Field(() => Int, { nullable: true, description: 'Pause after the last digit, in milliseconds.' }) afterMs?: number;
}

@InputType({ description: 'Play media to a channel.' })
export class PlayMediaInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field(() => [String], { description: 'Media URIs: sound:, recording:, number:, digits:, characters:, tone:.' })
  media!: string[];
  @Field({ nullable: true, description: 'Language of the sounds, e.g. "en".' }) lang?: string;
  @Field(() => Int, { nullable: true, description: 'Start this many milliseconds into the media.' }) offsetMs?: number;
  @Field(() => Int, { nullable: true, description: 'How far FORWARD and REVERSE skip, in milliseconds.' })
  skipMs?: number;
  @Field({ nullable: true, description: 'Native id to give the playback.' }) playbackId?: string;
}

@InputType({ description: 'Record a channel.' })
export class RecordChannelInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field({ description: 'Recording name (a path without format).' }) name!: string;
  @Field({ description: 'Audio format, e.g. "wav".' }) format!: string;
  @Field(() => Int, { nullable: true, description: 'Stop after this many seconds (0: no limit).' })
  maxDurationSeconds?: number;
  @Field(() => Int, { nullable: true, description: 'Stop after this much silence, in seconds (0: no limit).' })
  maxSilenceSeconds?: number;
  @Field(() => RecordIfExistsEnum, {
    nullable: true,
    description: 'What to do when a recording of that name exists (default FAIL).',
  })
  ifExists?: RecordIfExistsEnum;
  @Field({ nullable: true, description: 'Play a beep before recording.' }) beep?: boolean;
  @Field(() => RecordTerminateOnEnum, { nullable: true, description: 'DTMF that stops the recording (default NONE).' })
  terminateOn?: RecordTerminateOnEnum;
}

@InputType({ description: 'Set (or unset, without value) a channel variable.' })
export class SetChannelVariableInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field({ description: 'Variable or dialplan function name.' }) name!: string;
  @Field({ nullable: true, description: 'Omit to unset the variable.' }) value?: string;
  @Field({ nullable: true, description: 'Also report it in every later snapshot (reportedVariables).' })
  reportEvents?: boolean;
}

@InputType({ description: 'Start snooping on a channel: a new channel that spies and/or whispers.' })
export class SnoopChannelInput {
  @Field(() => ID, { description: 'Global id of the channel to snoop on.' }) id!: string;
  @Field({ description: 'Stasis application the snoop channel enters.' }) app!: string;
  @Field({ nullable: true, description: 'Arguments passed to the application.' }) appArgs?: string;
  @Field(() => SnoopDirectionEnum, { nullable: true, description: 'Audio to listen to (default NONE).' })
  spy?: SnoopDirectionEnum;
  @Field(() => SnoopDirectionEnum, { nullable: true, description: 'Audio to whisper into (default NONE).' })
  whisper?: SnoopDirectionEnum;
  @Field({ nullable: true, description: 'Native id for the snoop channel.' }) snoopId?: string;
}

@InputType({ description: 'Create a channel that streams media to or from an external host.' })
export class CreateExternalMediaInput {
  @Field({ description: 'ARI backend.' }) backend!: string;
  @Field({ description: 'Stasis application the channel enters.' }) app!: string;
  @Field({ nullable: true, description: '"host:port" (required except for a websocket server).' })
  externalHost?: string;
  @Field({ description: 'Audio format, e.g. "ulaw".' }) format!: string;
  @Field({ nullable: true, description: 'Native id for the new channel.' }) channelId?: string;
  @Field(() => ExternalMediaEncapsulationEnum, { nullable: true, description: 'Payload encapsulation (default RTP).' })
  encapsulation?: ExternalMediaEncapsulationEnum;
  @Field(() => ExternalMediaTransportEnum, { nullable: true, description: 'Transport (default UDP).' })
  transport?: ExternalMediaTransportEnum;
  @Field(() => ExternalMediaConnectionTypeEnum, {
    nullable: true,
    description: 'Who connects to whom (default CLIENT).',
  })
  connectionType?: ExternalMediaConnectionTypeEnum;
  @Field(() => MuteDirectionEnum, { nullable: true, description: 'Media direction, e.g. "both".' })
  direction?: MuteDirectionEnum;
  @Field({ nullable: true, description: 'Data sent to the external host on connect (AudioSocket: its UUID).' })
  data?: string;
  @Field({ nullable: true, description: 'Transport options as ARI takes them.' }) transportData?: string;
  @Field(() => [ChannelVariableInput], { nullable: true, description: 'Variables to set on the channel.' })
  variables?: ChannelVariableInput[];
}

@InputType({ description: 'Play music on hold to a channel.' })
export class StartMusicOnHoldInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field(() => String, { nullable: true, description: "Music class (default: the channel's)." }) mohClass?: string;
}

@InputType({ description: 'Set several channel variables at once.' })
export class SetChannelVariablesInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field(() => [ChannelVariableInput], { description: 'The variables to set, in order (at least one).' })
  variables!: ChannelVariableInput[];
}

@InputType({ description: 'Redirect a channel to another endpoint of the same technology.' })
export class RedirectChannelInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field({ description: 'Endpoint to redirect to, e.g. "PJSIP/bob" (same technology).' }) endpoint!: string;
}

@InputType({ description: 'Report the progress of a transfer to the transferee.' })
export class ReportTransferProgressInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field(() => TransferProgressStateEnum, { description: 'The progress to report.' }) state!: TransferProgressStateEnum;
}

@InputType({ description: 'Control a playing playback.' })
export class ControlPlaybackInput {
  @Field(() => ID, { description: 'Global playback id.' }) id!: string;
  @Field(() => PlaybackOperationEnum, { description: 'What to do with the playback.' })
  operation!: PlaybackOperationEnum;
}

@InputType({ description: 'Filter for the channels query; all given conditions must hold.' })
export class ChannelFilter {
  @Field({ nullable: true, description: 'Only this backend.' }) backend?: string;
  @Field({ nullable: true, description: 'Only this KAZOO account (ARI channels have no account and are left out).' })
  accountId?: string;
  @Field({ nullable: true, description: "Only channels of this KAZOO user's devices." }) userId?: string;
  @Field({ nullable: true, description: 'Only channels of this KAZOO device.' }) deviceId?: string;
  @Field({
    nullable: true,
    description:
      'KAZOO: every account of the cluster (GET /v2/channels). Only where the backend allows it (superduper admin and system_wide_channels_list); FORBIDDEN otherwise.',
  })
  systemWide?: boolean;
  @Field(() => [ChannelStateEnum], { nullable: true, description: 'Only channels in one of these states.' })
  states?: ChannelStateEnum[];
}
