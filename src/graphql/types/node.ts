/**
 * The Relay-style `Node` interface: every entity with a global id implements it and
 * `node(id:)` fetches any of them. Snapshots (ChannelSnapshot, PlaybackSnapshot) are not nodes:
 * they are history, not something to refetch.
 */
import { Field, ID, InterfaceType } from 'type-graphql';

/** Set by `node(id:)` on what it returns: the id alone does not always tell the type (see resolvers/node.ts). */
export const NODE_TYPE = Symbol('nodeType');

@InterfaceType({
  description:
    'An entity with a global id that `node(id:)` fetches again: Channel, Playback, Recipient, WebsocketSession, Backend.',
  resolveType: (value: { [NODE_TYPE]?: string }) => value[NODE_TYPE],
})
export abstract class Node {
  @Field(() => ID, { description: 'Global id, stable for the life of the entity; pass it to `node(id:)`.' })
  id!: string;
}
