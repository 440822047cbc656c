/** KAZOO Blackhole websocket sessions and the binding catalogue. */
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { KazooBackendLike } from '../../backends/kazoo/operations';
import { PatchbayError } from '../../domain/errors';
import { checkAccountId, parseAccountScopedId, toAccountScopedId } from '../../domain/scoped-ids';
import type { WebsocketSession as DomainSession } from '../../domain/websocket-session';
import type { GraphQLContext } from '../context';
import { toGraphQLError } from '../errors';
import { WebsocketBindingGroup, WebsocketSession } from '../types/recipient';

@Resolver(() => WebsocketSession)
export class WebsocketResolver {
  @Query(() => [WebsocketBindingGroup], { description: 'The bindings a Blackhole client may subscribe to (GET /v2/websockets).' })
  async websocketBindings(@Arg('backend', { description: 'KAZOO backend name.' }) backend: string, @Ctx() ctx: GraphQLContext): Promise<WebsocketBindingGroup[]> {
    return ctx.registry.kazoo(backend, 'websocketBindings', 'backend').websocketBindings(ctx.call);
  }

  @Query(() => [WebsocketSession], { description: "Open Blackhole sessions of an account (default: each KAZOO backend's configured account)." })
  async websocketSessions(
    @Ctx() ctx: GraphQLContext,
    @Arg('accountId', () => String, { nullable: true }) accountId?: string,
    @Arg('backend', () => String, { nullable: true }) backend?: string,
  ): Promise<DomainSession[]> {
    if (accountId) checkAccountId(accountId);
    const backends = backend ? [ctx.registry.kazoo(backend, 'websocketSessions', 'backend')] : (ctx.registry.byKind('kazoo') as unknown as KazooBackendLike[]);
    const lists = await Promise.all(
      backends.map(async (k) => {
        try {
          return await k.websocketSessions(accountId ?? k.accountId, ctx.call);
        } catch (e) {
          if (!(e instanceof PatchbayError)) throw e;
          ctx.partialErrors.push(toGraphQLError(e, ['websocketSessions']));
          return [];
        }
      }),
    );
    return lists.flat();
  }

  @Query(() => WebsocketSession, { nullable: true, description: 'One session by global id `<backend>:<accountId>/<session id>`.' })
  websocketSession(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<DomainSession | null> {
    const { backend, accountId, objectId } = parseAccountScopedId(id);
    return ctx.registry.kazoo(backend, 'websocketSession').websocketSession(accountId, objectId, ctx.call);
  }

  @FieldResolver(() => ID)
  id(@Root() s: DomainSession): string {
    return toAccountScopedId(s.backend, s.accountId, s.nativeId);
  }
}
