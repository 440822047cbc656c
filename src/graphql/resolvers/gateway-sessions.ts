import { Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { GatewaySession } from '../types/gateway-session';

@Resolver()
export class GatewaySessionsResolver {
  @Query(() => [GatewaySession], { description: 'Open graphql-ws connections of this gateway instance, with their subscriptions.' })
  gatewaySessions(@Ctx() ctx: GraphQLContext): GatewaySession[] {
    return ctx.sessions.list().map((s) => ({ ...s, subscriptions: [...s.subscriptions.values()] }));
  }
}
