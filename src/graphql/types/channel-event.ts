import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { Channel } from './channel';

@ObjectType({ description: 'A live event about a channel, as its backend reported it.' })
export class ChannelEvent {
  @Field({ description: 'Backend event type, e.g. "StasisStart", "ChannelStateChange", "ChannelDestroyed".' })
  type!: string;

  @Field({ description: 'Backend name.' })
  backend!: string;

  @Field(() => ID, { nullable: true, description: 'Global id of the channel the event is about.' })
  channelId!: string | null;

  @Field(() => GraphQLDateTime, { description: 'Backend time of the event.' })
  occurredAt!: Date;

  @Field(() => GraphQLDateTime, { description: 'When patchbay received it.' })
  receivedAt!: Date;

  @Field(() => Channel, { nullable: true, description: 'Channel snapshot carried by the event.' })
  channel!: Channel | null;

  @Field(() => GraphQLJSONObject, { description: 'The event exactly as the backend sent it.' })
  raw!: Record<string, unknown>;
}
