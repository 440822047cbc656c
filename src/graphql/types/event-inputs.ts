import { Field, ID, InputType } from 'type-graphql';
import { EventCategoryEnum, EventTypeEnum } from './events';

@InputType({ description: 'Which channel events to receive; all given conditions must hold.' })
export class ChannelEventFilter {
  @Field({ nullable: true, description: 'Only this backend.' }) backend?: string;
  @Field({ nullable: true, description: 'Only this KAZOO account.' }) accountId?: string;
  @Field(() => ID, { nullable: true, description: 'Only this channel (global id).' }) channelId?: string;
  @Field({ nullable: true, description: "Only this KAZOO user's calls." }) userId?: string;
  @Field({ nullable: true, description: "Only this KAZOO device's calls." }) deviceId?: string;
  @Field(() => [EventTypeEnum], { nullable: true, description: 'Only these event types (channel event types only).' })
  types?: string[];
}

@InputType({ description: 'Which agent events to receive.' })
export class AgentEventFilter {
  @Field({ nullable: true, description: 'Only this backend.' }) backend?: string;
  @Field({ nullable: true, description: 'Only this KAZOO account.' }) accountId?: string;
  @Field(() => ID, { nullable: true, description: 'Only this agent (global recipient id).' }) recipientId?: string;
  @Field({ nullable: true, description: 'Only events about this queue.' }) queueId?: string;
}

@InputType({ description: 'Which KAZOO document changes to receive.' })
export class ObjectEventFilter {
  @Field({ nullable: true, description: 'Only this backend.' }) backend?: string;
  @Field({ nullable: true, description: 'Only this KAZOO account.' }) accountId?: string;
}

@InputType({ description: 'History filter; all given conditions must hold.' })
export class EventFilter {
  @Field(() => [EventCategoryEnum], { nullable: true, description: 'Only these streams.' })
  categories?: EventCategoryEnum[];
  @Field({ nullable: true, description: 'Only this backend.' }) backend?: string;
  @Field(() => [EventTypeEnum], {
    nullable: true,
    description: 'Only these event types, e.g. [CHANNEL_DESTROYED, AGENT_STATE_CHANGED].',
  })
  types?: string[];
  @Field(() => ID, { nullable: true, description: 'Global channel id.' }) channelId?: string;
  @Field({ nullable: true, description: 'Only this KAZOO account.' }) accountId?: string;
  @Field({ nullable: true, description: "Only this KAZOO user's calls." }) userId?: string;
  @Field({ nullable: true, description: "Only this KAZOO device's calls." }) deviceId?: string;
  @Field(() => ID, { nullable: true, description: 'Global recipient id.' }) recipientId?: string;
  @Field({ nullable: true, description: 'Only this queue.' }) queueId?: string;
}
