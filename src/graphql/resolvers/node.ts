/**
 * `node(id:)`: any entity by its global id, through the same resolvers (and so the same scope
 * rules) as its own query. The id's shape picks the type:
 * - `<backend>` alone: a Backend;
 * - `<backend>:<accountId>/<32 hex>`: a Recipient; `<backend>:<accountId>/<other>`: a WebsocketSession;
 * - `<backend>:<nativeId>`: a Channel, or else (ARI only) a Playback of that id.
 */
import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { parseGlobalId } from '../../domain/ids';
import { canSeeBackend, checkRoles, principalOf, Roles } from '../authz';
import type { GraphQLContext } from '../context';
import { Node, NODE_TYPE } from '../types/node';
import { backendView } from './backend-view';
import { ChannelQueryResolver } from './channel-query';
import { RecipientResolver } from './recipients';
import { WebsocketResolver } from './websockets';

const USER_ID = /^[0-9a-f]{32}$/;
const channels = new ChannelQueryResolver();
const recipients = new RecipientResolver();
const websockets = new WebsocketResolver();

function tagged<T extends object>(value: T | null, type: string): (T & { [NODE_TYPE]: string }) | null {
  return value && { ...value, [NODE_TYPE]: type };
}

async function channelOrPlayback(id: string, ctx: GraphQLContext): Promise<object | null> {
  checkRoles(ctx, Roles.READERS);
  const channel = await channels.channel(id, ctx);
  if (channel) return tagged(channel, 'Channel');
  const { backend, nativeId } = parseGlobalId(id);
  if (ctx.registry.get(backend)?.kind !== 'ari') return null;
  return tagged(await ctx.registry.ari(backend, 'node').getPlayback(nativeId, ctx.call), 'Playback');
}

@Resolver()
export class NodeResolver {
  @Authorized(Roles.ANYONE)
  @Query(() => Node, {
    nullable: true,
    description:
      'Any entity by its global id (Channel, Playback, Recipient, WebsocketSession, Backend); null when it does not exist or is outside your scope.',
  })
  async node(
    @Arg('id', () => ID, { description: "A global id as some entity's `id` field gave it." }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<object | null> {
    const colon = id.indexOf(':');
    if (colon < 0) {
      const b = ctx.registry.get(id);
      return b && canSeeBackend(principalOf(ctx), b.name, b.kind)
        ? tagged(backendView(b, ctx.events), 'Backend')
        : null;
    }
    const slash = id.indexOf('/', colon);
    if (slash < 0) return channelOrPlayback(id, ctx);
    if (USER_ID.test(id.slice(slash + 1))) return tagged(await recipients.recipient(id, ctx), 'Recipient');
    checkRoles(ctx, Roles.READERS);
    return tagged(await websockets.websocketSession(id, ctx), 'WebsocketSession');
  }
}
