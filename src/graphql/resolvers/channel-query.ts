import { Authorized, Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Channel as DomainChannel } from '../../domain/channel';
import { ErrorCode, PatchbayError } from '../../domain/errors';
import { parseGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';
import { toGraphQLError } from '../errors';
import { Backend } from '../types/backend';
import { Channel } from '../types/channel';
import { ChannelFilter } from '../types/inputs';
import { listKey } from '../loaders';
import { checkAccountId } from '../../domain/scoped-ids';
import { checkExclusive } from '../validate';
import { backendView } from './backend-view';
import {
  canSeeBackend,
  canSeeChannel,
  principalOf,
  reachesBackendOfId,
  requireAccount,
  requireBackendInScope,
  Roles,
} from '../authz';
import { inScope } from '../../auth/principal';

@Resolver()
export class ChannelQueryResolver {
  @Authorized(Roles.READERS)
  @Query(() => [Channel], {
    description:
      'Live channels across backends. A backend that fails adds one BACKEND_UNAVAILABLE error (naming it) to `errors`; the others still answer.',
  })
  async channels(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ChannelFilter, {
      nullable: true,
      description: 'Only channels matching this; all channels your key reaches when absent.',
    })
    filter?: ChannelFilter,
  ): Promise<DomainChannel[]> {
    const kazooOnly = Boolean(filter?.accountId || filter?.userId || filter?.deviceId || filter?.systemWide);
    if (filter?.accountId) checkAccountId(filter.accountId, 'filter.accountId');
    if (filter?.userId) checkAccountId(filter.userId, 'filter.userId');
    if (filter?.deviceId) checkAccountId(filter.deviceId, 'filter.deviceId');
    checkExclusive(filter?.userId, 'filter.userId', filter?.deviceId, 'filter.deviceId');
    if (filter?.systemWide) checkExclusive(filter.accountId, 'filter.accountId', true, 'filter.systemWide');
    const p = principalOf(ctx);
    if (filter?.systemWide && p.role !== 'ADMIN')
      throw new PatchbayError(ErrorCode.FORBIDDEN, 'systemWide listing needs an ADMIN key');
    if (filter?.backend) requireBackendInScope(ctx, filter.backend, 'filter.backend');
    let backends = (
      filter?.backend ? [ctx.registry.require(filter.backend, 'filter.backend')] : ctx.registry.all()
    ).filter((b) => canSeeBackend(p, b.name, b.kind));
    if (kazooOnly) backends = backends.filter((b) => b.kind === 'kazoo');
    const kazooFilter = {
      accountId: filter?.accountId,
      userId: filter?.userId,
      deviceId: filter?.deviceId,
      systemWide: filter?.systemWide ?? undefined,
    };
    const lists = await Promise.all(
      backends.map(async (b) => {
        try {
          // Another tenant's account: refused like a missing one, and never asked of the backend.
          if (filter?.accountId && !inScope(p, b.name, filter.accountId)) requireAccount(ctx, b.name, filter.accountId);
          return await ctx.loaders.channelList.load(b.kind === 'kazoo' ? listKey(b.name, kazooFilter) : b.name);
        } catch (e) {
          if (!(e instanceof PatchbayError)) throw e;
          ctx.partialErrors.push(toGraphQLError(e, ['channels']));
          return [];
        }
      }),
    );
    const states = filter?.states?.length ? new Set<string>(filter.states) : null;
    return lists.flat().filter((c) => (!states || states.has(c.state)) && canSeeChannel(p, c));
  }

  @Authorized(Roles.READERS)
  @Query(() => Channel, {
    nullable: true,
    description: 'One channel by global id; null when the backend does not know it (or it is outside your scope).',
  })
  async channel(
    @Arg('id', () => ID, { description: 'Global channel id.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DomainChannel | null> {
    const { backend } = parseGlobalId(id);
    const p = principalOf(ctx);
    if (!reachesBackendOfId(ctx, backend)) return null;
    const c = await ctx.loaders.channel.load(id);
    return c && canSeeChannel(p, c) ? c : null;
  }

  @Authorized(Roles.ANYONE)
  @Query(() => [Backend], { description: 'Configured backends your key reaches, with their health.' })
  backends(@Ctx() ctx: GraphQLContext): Backend[] {
    const p = principalOf(ctx);
    return ctx.registry
      .all()
      .filter((b) => canSeeBackend(p, b.name, b.kind))
      .map((b) => backendView(b, ctx.events));
  }
}
