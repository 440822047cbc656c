import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { GatewaySession } from '../types/gateway-session';
import { Roles } from '../authz';

@Resolver()
export class GatewaySessionsResolver {
  @Authorized(Roles.ADMINS)
  @Query(() => [GatewaySession], { description: 'Open graphql-ws connections of this gateway instance, with their subscriptions.' })
  gatewaySessions(@Ctx() ctx: GraphQLContext): GatewaySession[] {
    return ctx.sessions.list().map((s) => ({ ...s, subscriptions: [...s.subscriptions.values()] }));
  }
}
