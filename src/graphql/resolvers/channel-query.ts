import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Channel as DomainChannel } from '../../domain/channel';
import { PatchbayError } from '../../domain/errors';
import { parseGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';
import { toGraphQLError } from '../errors';
import { Backend } from '../types/backend';
import { Channel } from '../types/channel';
import { ChannelFilter } from '../types/inputs';
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
    const backends = filter?.backend ? [ctx.registry.require(filter.backend, 'filter.backend')] : ctx.registry.all();
    const lists = await Promise.all(
      backends.map(async (b) => {
        try {
          return await ctx.loaders.channelList.load(b.name);
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
    return ctx.registry.all().map(backendView);
  }
}
