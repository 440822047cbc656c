import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ChannelControlMutations } from './resolvers/channel-control-mutations';
import { ChannelFieldResolver } from './resolvers/channel-fields';
import { ChannelLifecycleMutations } from './resolvers/channel-lifecycle-mutations';
import { ChannelQueryResolver } from './resolvers/channel-query';
import { MediaMutations } from './resolvers/media-mutations';
import { ChannelKazooFields } from './resolvers/channel-kazoo-fields';
import { ChannelSnapshotValueFields, ChannelValueFields } from './resolvers/channel-value-fields';
import { KazooChannelMutations } from './resolvers/kazoo-channel-mutations';
import { RecipientResolver } from './resolvers/recipients';
import { WebsocketResolver } from './resolvers/websockets';
import { EventSubscriptions } from './resolvers/event-subscriptions';
import {
  AgentEventFields,
  AgentStateChangedFields,
  ChannelBridgedFields,
  ChannelEventFields,
  JournalEventFields,
  ObjectEventFields,
  ResyncRequiredFields,
  ChannelSnapshotFields,
  PlaybackSnapshotFields,
  PlaybackStartedFields,
  PlaybackFinishedFields,
} from './resolvers/event-fields';
import { GatewaySessionsResolver } from './resolvers/gateway-sessions';
import { AccessResolver } from './resolvers/access';
import { NodeResolver } from './resolvers/node';
import { ChannelQualityResolver } from './resolvers/channel-quality';
import { EVENT_TYPES } from './types/events';
import { authChecker } from './authz';
import { usePlainResolvers } from './plain-resolvers';

const RESOLVERS = [
  ChannelQueryResolver,
  ChannelFieldResolver,
  ChannelLifecycleMutations,
  ChannelControlMutations,
  MediaMutations,
  ChannelKazooFields,
  ChannelValueFields,
  ChannelSnapshotValueFields,
  KazooChannelMutations,
  RecipientResolver,
  WebsocketResolver,
  EventSubscriptions,
  JournalEventFields,
  ChannelEventFields,
  AgentEventFields,
  ObjectEventFields,
  AgentStateChangedFields,
  ChannelBridgedFields,
  ChannelSnapshotFields,
  PlaybackSnapshotFields,
  PlaybackStartedFields,
  PlaybackFinishedFields,
  ResyncRequiredFields,
  GatewaySessionsResolver,
  AccessResolver,
  NodeResolver,
  ChannelQualityResolver,
] as const;

/**
 * type-graphql insists on a PubSub whenever a schema has subscriptions, but every patchbay
 * subscription brings its own event source (`subscribe:`), so topics are never used.
 */
const NO_TOPICS = {
  publish(): never {
    throw new Error('patchbay subscriptions do not use type-graphql topics');
  },
  subscribe(): never {
    throw new Error('patchbay subscriptions do not use type-graphql topics');
  },
};

let cached: Promise<GraphQLSchema> | undefined;

/** The schema is built once per process: type-graphql metadata is global anyway. */
export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: [...RESOLVERS],
    orphanedTypes: EVENT_TYPES,
    validate: false,
    pubSub: NO_TOPICS,
    authChecker,
    authMode: 'error',
  }).then(usePlainResolvers);
  return cached;
}

/** The SDL checked in as schema.graphql (sorted, so diffs show real changes only). */
export async function printedSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
