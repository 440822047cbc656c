import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { ChannelStateEnum } from './enums';

@ObjectType({ description: 'Caller id: name and number ("" when unknown).', simpleResolvers: true })
export class CallerId {
  @Field({ description: 'Display name.' })
  name!: string;

  @Field({ description: 'Number.' })
  number!: string;
}

@ObjectType({ description: 'Where a channel is in the dialplan, and what it is executing.', simpleResolvers: true })
export class DialplanLocation {
  @Field()
  context!: string;

  @Field({ description: 'Extension.' })
  exten!: string;

  @Field(() => Int)
  priority!: number;

  @Field({ description: 'Dialplan application executing now, e.g. "Stasis", "Wait" ("" when none).' })
  appName!: string;

  @Field({ description: 'Arguments of that application.' })
  appData!: string;
}

// simpleResolvers: plain data fields are read straight off the object, with no type-graphql
// wrapper per field per channel (fields with a @FieldResolver keep theirs).
@ObjectType({
  description:
    'A call leg on a backend: an Asterisk channel or a KAZOO call. Fields a backend does not have are null.',
  simpleResolvers: true,
})
export class Channel {
  @Field(() => ID, { description: 'Global id: `<backend>:<nativeId>`.' })
  id!: string;

  @Field({ description: "The backend's own id (ARI channel id, KAZOO call-id)." })
  nativeId!: string;

  @Field({ description: 'Channel name, e.g. "PJSIP/alice-0000000a".' })
  name!: string;

  @Field(() => ChannelStateEnum)
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
