/** KAZOO Blackhole websocket sessions and the binding catalogue. */
import { Authorized, Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { KazooBackendLike } from '../../backends/kazoo/operations';
import { PatchbayError } from '../../domain/errors';
import { checkAccountId, parseAccountScopedId, toAccountScopedId } from '../../domain/scoped-ids';
import type { WebsocketSession as DomainSession } from '../../domain/websocket-session';
import type { GraphQLContext } from '../context';
import { toGraphQLError } from '../errors';
import { WebsocketBindingGroup, WebsocketSession } from '../types/recipient';
import { principalOf, requireAccount, requireBackendInScope, Roles } from '../authz';
import { inScope } from '../../auth/principal';

@Resolver(() => WebsocketSession)
export class WebsocketResolver {
  @Authorized(Roles.READERS)
  @Query(() => [WebsocketBindingGroup], { description: 'The bindings a Blackhole client may subscribe to (GET /v2/websockets).' })
  async websocketBindings(@Arg('backend', { description: 'KAZOO backend name.' }) backend: string, @Ctx() ctx: GraphQLContext): Promise<WebsocketBindingGroup[]> {
    requireBackendInScope(ctx, backend, 'backend');
    return ctx.registry.kazoo(backend, 'websocketBindings', 'backend').websocketBindings(ctx.call);
  }

  @Authorized(Roles.READERS)
  @Query(() => [WebsocketSession], { description: "Open Blackhole sessions of an account (default: each KAZOO backend's configured account)." })
  async websocketSessions(
    @Ctx() ctx: GraphQLContext,
    @Arg('accountId', () => String, { nullable: true }) accountId?: string,
    @Arg('backend', () => String, { nullable: true }) backend?: string,
  ): Promise<DomainSession[]> {
    if (accountId) checkAccountId(accountId);
    const p = principalOf(ctx);
    if (backend) requireBackendInScope(ctx, backend, 'backend');
    const backends = backend ? [ctx.registry.kazoo(backend, 'websocketSessions', 'backend')] : (ctx.registry.byKind('kazoo') as unknown as KazooBackendLike[]);
    const lists = await Promise.all(
      backends.map(async (k) => {
        try {
          const account = accountId ?? k.accountId;
          if (!inScope(p, k.name, account)) {
            if (accountId) requireAccount(ctx, k.name, account);
            return [];
          }
          return await k.websocketSessions(account, ctx.call);
        } catch (e) {
          if (!(e instanceof PatchbayError)) throw e;
          ctx.partialErrors.push(toGraphQLError(e, ['websocketSessions']));
          return [];
        }
      }),
    );
    return lists.flat();
  }

  @Authorized(Roles.READERS)
  @Query(() => WebsocketSession, { nullable: true, description: 'One session by global id `<backend>:<accountId>/<session id>`.' })
  websocketSession(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<DomainSession | null> {
    const { backend, accountId, objectId } = parseAccountScopedId(id);
    if (!inScope(principalOf(ctx), backend, accountId)) return Promise.resolve(null);
    return ctx.registry.kazoo(backend, 'websocketSession').websocketSession(accountId, objectId, ctx.call);
  }

  @FieldResolver(() => ID)
  id(@Root() s: DomainSession): string {
    return toAccountScopedId(s.backend, s.accountId, s.nativeId);
  }
}
