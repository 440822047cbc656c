import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { ChannelStateEnum } from './enums';
import { Node } from './node';

@ObjectType({ description: 'Caller id: name and number ("" when unknown).', simpleResolvers: true })
export class CallerId {
  @Field({ description: 'Display name.' })
  name!: string;

  @Field({ description: 'Number.' })
  number!: string;
}

@ObjectType({ description: 'Where a channel is in the dialplan, and what it is executing.', simpleResolvers: true })
export class DialplanLocation {
  @Field({ description: 'Dialplan context.' })
  context!: string;

  @Field({ description: 'Extension.' })
  exten!: string;

  @Field(() => Int, { description: 'Priority within the extension.' })
  priority!: number;

  @Field({ description: 'Dialplan application executing now, e.g. "Stasis", "Wait" ("" when none).' })
  appName!: string;

  @Field({ description: 'Arguments of that application.' })
  appData!: string;
}

/** The values a channel has at one moment: shared by the live Channel and ChannelSnapshot. */
@ObjectType({
  description: 'Internal base of Channel and ChannelSnapshot; never in the schema.',
  simpleResolvers: true,
})
export abstract class ChannelValues {
  @Field({ description: "The backend's own id (ARI channel id, KAZOO call-id)." })
  nativeId!: string;

  @Field({ description: 'Channel name, e.g. "PJSIP/alice-0000000a".' })
  name!: string;

  @Field(() => ChannelStateEnum, { description: 'State, normalised across backends.' })
  state!: ChannelStateEnum;

  @Field({ description: 'State exactly as the backend reported it (e.g. "Rsrvd", "Unknown (12)").' })
  rawState!: string;

  @Field(() => CallerId, { description: 'Calling party.' })
  caller!: CallerId;

  @Field(() => CallerId, { description: 'Connected line.' })
  connected!: CallerId;

  @Field({ description: 'Account code ("" when unset).' })
  accountCode!: string;

  @Field(() => DialplanLocation, { nullable: true, description: 'Dialplan position (ARI only).' })
  dialplan!: DialplanLocation | null;

  @Field(() => GraphQLDateTime, { description: 'When the channel was created (UTC).' })
  createdAt!: Date;

  @Field(() => String, { nullable: true, description: 'Language, e.g. "en".' })
  language!: string | null;

  @Field(() => String, { nullable: true, description: 'SIP Call-ID for PJSIP channels; "" for others (ARI only).' })
  protocolId!: string | null;

  @Field(() => GraphQLJSONObject, {
    description: 'Variables the backend reports with every snapshot (ARI channelvars / report_events).',
  })
  reportedVariables!: Record<string, string>;
}

// simpleResolvers (here and on ChannelSnapshot, CallerId, DialplanLocation): plain data fields
// are read straight off the object, with no type-graphql wrapper per field per channel; fields
// with a @FieldResolver keep theirs.
@ObjectType({
  implements: Node,
  description:
    'A live call leg on a backend: an Asterisk channel or a KAZOO call. Fields a backend kind does not have are null on it (each says which kind has it), never an error.',
  simpleResolvers: true,
})
export class Channel extends ChannelValues {
  @Field(() => ID, { description: 'Global id: `<backend>:<nativeId>`.' })
  id!: string;
}

@ObjectType({
  description:
    'A channel as one journal event saw it: history, typed apart from the live Channel so that a normalised client cache never writes past state over live state. `channelId` names the live channel.',
  simpleResolvers: true,
})
export class ChannelSnapshot extends ChannelValues {
  @Field(() => ID, {
    description: 'Id of this snapshot: `<channelId>@<event cursor>` (unique per event; never a live Channel id).',
  })
  id!: string;

  @Field(() => ID, { description: 'Global id of the live channel this is a snapshot of.' })
  channelId!: string;
}
