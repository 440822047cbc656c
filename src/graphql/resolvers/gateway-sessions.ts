import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { GatewaySession } from '../types/gateway-session';
import { principalOf, Roles } from '../authz';
import { ErrorCode, PatchbayError } from '../../domain/errors';

@Resolver()
export class GatewaySessionsResolver {
  @Authorized(Roles.ADMINS)
  @Query(() => [GatewaySession], {
    description:
      'Open graphql-ws connections of this gateway instance, with their subscriptions. All-scope ADMIN keys only.',
  })
  gatewaySessions(@Ctx() ctx: GraphQLContext): GatewaySession[] {
    // Sessions are not tied to tenants: their subscription documents name other tenants' ids.
    if (!principalOf(ctx).scope.all)
      throw new PatchbayError(ErrorCode.FORBIDDEN, 'gatewaySessions needs an all-scope ADMIN key');
    return ctx.sessions.list().map((s) => ({ ...s, subscriptions: [...s.subscriptions.values()] }));
  }
}
