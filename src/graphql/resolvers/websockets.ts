/** KAZOO Blackhole websocket sessions and the binding catalogue. */
import { Authorized, Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { parseAccountScopedId, toAccountScopedId } from '../../domain/scoped-ids';
import type { WebsocketSession as DomainSession } from '../../domain/websocket-session';
import type { GraphQLContext } from '../context';
import { WebsocketBindingGroup, WebsocketSession } from '../types/recipient';
import { principalOf, requireBackendInScope, Roles } from '../authz';
import { inScope } from '../../auth/principal';
import { perKazooAccount } from './kazoo-accounts';

@Resolver(() => WebsocketSession)
export class WebsocketResolver {
  @Authorized(Roles.READERS)
  @Query(() => [WebsocketBindingGroup], {
    description: 'The bindings a Blackhole client may subscribe to (GET /v2/websockets).',
  })
  async websocketBindings(
    @Arg('backend', { description: 'KAZOO backend name.' }) backend: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebsocketBindingGroup[]> {
    requireBackendInScope(ctx, backend, 'backend');
    return ctx.registry.kazoo(backend, 'websocketBindings', 'backend').websocketBindings(ctx.call);
  }

  @Authorized(Roles.READERS)
  @Query(() => [WebsocketSession], {
    description: "Open Blackhole sessions of an account (default: each KAZOO backend's configured account).",
  })
  async websocketSessions(
    @Ctx() ctx: GraphQLContext,
    @Arg('accountId', () => String, {
      nullable: true,
      description: "KAZOO account (32 hex); default: each KAZOO backend's configured account.",
    })
    accountId?: string,
    @Arg('backend', () => String, { nullable: true, description: 'Only this KAZOO backend.' }) backend?: string,
  ): Promise<DomainSession[]> {
    return perKazooAccount(ctx, 'websocketSessions', { backend, accountId }, (k, account) =>
      k.websocketSessions(account, ctx.call),
    );
  }

  @Authorized(Roles.READERS)
  @Query(() => WebsocketSession, {
    nullable: true,
    description: 'One session by global id `<backend>:<accountId>/<session id>`.',
  })
  websocketSession(
    @Arg('id', () => ID, { description: 'Global session id `<backend>:<accountId>/<session id>`.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DomainSession | null> {
    const { backend, accountId, objectId } = parseAccountScopedId(id);
    if (!ctx.registry.get(backend) || !inScope(principalOf(ctx), backend, accountId)) return Promise.resolve(null);
    return ctx.registry.kazoo(backend, 'websocketSession').websocketSession(accountId, objectId, ctx.call);
  }

  @FieldResolver(() => ID)
  id(@Root() s: DomainSession): string {
    return toAccountScopedId(s.backend, s.accountId, s.nativeId);
  }
}
