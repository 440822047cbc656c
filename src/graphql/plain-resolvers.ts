/**
 * Per-item fields of listings, resolved by plain functions instead of type-graphql's wrapper.
 * type-graphql calls every @FieldResolver through a wrapper that, on each call, builds a
 * resolver-data object, sorts and maps the parameter list and checks each for a promise; a
 * listing pays that once per field per item (`channels` over 100 channels: 200 wrapped calls).
 * These fields read only their root and the context, and no roles or middleware apply to them
 * (none is configured globally either), so the wrapper adds nothing. Their @FieldResolver
 * declarations stay (schema, descriptions) and call the same functions.
 */
import type { GraphQLFieldResolver, GraphQLObjectType, GraphQLSchema } from 'graphql';
import type { Channel as DomainChannel } from '../domain/channel';
import { toGlobalId } from '../domain/ids';
import type { Recipient as DomainRecipient } from '../domain/recipient';
import { toAccountScopedId } from '../domain/scoped-ids';
import type { GraphQLContext } from './context';
import { backendViewOnce } from './resolvers/backend-view';
import type { Backend } from './types/backend';

export function channelId(c: DomainChannel): string {
  return toGlobalId(c.backend, c.nativeId);
}

export function itemBackend(item: { backend: string }, _args: unknown, ctx: GraphQLContext): Backend {
  return backendViewOnce(ctx, item.backend);
}

export function recipientId(r: DomainRecipient): string {
  return toAccountScopedId(r.backend, r.accountId, r.nativeId);
}

/** Each takes its own root type; graphql-js hands it whatever the parent resolved. */
type PlainResolver = (root: never, args: unknown, ctx: GraphQLContext) => unknown;

const PLAIN_RESOLVERS: Record<string, Record<string, PlainResolver>> = {
  Channel: { id: channelId, backend: itemBackend },
  ChannelSnapshot: { backend: itemBackend },
  Recipient: { id: recipientId, backend: itemBackend },
};

/** Puts the plain functions in place of the wrapped resolvers; a field that is gone fails loudly. */
export function usePlainResolvers(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, fields] of Object.entries(PLAIN_RESOLVERS)) {
    const type = schema.getType(typeName) as GraphQLObjectType | undefined;
    for (const [name, resolve] of Object.entries(fields)) {
      const field = type?.getFields()[name];
      if (!field?.resolve) throw new Error(`plain resolver for ${typeName}.${name}: no such resolved field`);
      field.resolve = resolve as unknown as GraphQLFieldResolver<unknown, GraphQLContext>;
    }
  }
  return schema;
}
