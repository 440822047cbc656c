import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Channel as DomainChannel } from '../../domain/channel';
import { PatchbayError } from '../../domain/errors';
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

@Resolver()
export class ChannelQueryResolver {
  @Query(() => [Channel], {
    description:
      'Live channels across backends. A backend that fails adds one BACKEND_UNAVAILABLE error (naming it) to `errors`; the others still answer.',
  })
  async channels(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ChannelFilter, { nullable: true }) filter?: ChannelFilter,
  ): Promise<DomainChannel[]> {
    const kazooOnly = Boolean(filter?.accountId || filter?.userId || filter?.deviceId || filter?.systemWide);
    if (filter?.accountId) checkAccountId(filter.accountId, 'filter.accountId');
    if (filter?.userId) checkAccountId(filter.userId, 'filter.userId');
    if (filter?.deviceId) checkAccountId(filter.deviceId, 'filter.deviceId');
    checkExclusive(filter?.userId, 'filter.userId', filter?.deviceId, 'filter.deviceId');
    if (filter?.systemWide) checkExclusive(filter.accountId, 'filter.accountId', true, 'filter.systemWide');
    let backends = filter?.backend ? [ctx.registry.require(filter.backend, 'filter.backend')] : ctx.registry.all();
    if (kazooOnly) backends = backends.filter((b) => b.kind === 'kazoo');
    const kazooFilter = { accountId: filter?.accountId, userId: filter?.userId, deviceId: filter?.deviceId, systemWide: filter?.systemWide ?? undefined };
    const lists = await Promise.all(
      backends.map(async (b) => {
        try {
          return await ctx.loaders.channelList.load(b.kind === 'kazoo' ? listKey(b.name, kazooFilter) : b.name);
        } catch (e) {
          if (!(e instanceof PatchbayError)) throw e;
          ctx.partialErrors.push(toGraphQLError(e, ['channels']));
          return [];
        }
      }),
    );
    const states = filter?.states?.length ? new Set<string>(filter.states) : null;
    return lists.flat().filter((c) => !states || states.has(c.state));
  }

  @Query(() => Channel, { nullable: true, description: 'One channel by global id; null when the backend does not know it.' })
  async channel(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<DomainChannel | null> {
    const { backend } = parseGlobalId(id);
    ctx.registry.require(backend, 'id');
    return ctx.loaders.channel.load(id);
  }

  @Query(() => [Backend], { description: 'Configured backends with their health.' })
  backends(@Ctx() ctx: GraphQLContext): Backend[] {
    return ctx.registry.all().map((b) => backendView(b, ctx.events));
  }
}
