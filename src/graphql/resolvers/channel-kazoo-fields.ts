/** The live KAZOO channel's link to its other leg (null on ARI channels and unbridged calls). */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Channel as DomainChannel } from '../../domain/channel';
import { toGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';
import { Channel } from '../types/channel';

@Resolver(() => Channel)
export class ChannelKazooFields {
  @FieldResolver(() => Channel, {
    nullable: true,
    description:
      'The other leg of a bridged call (other_leg), as it is now. KAZOO channels only: null on ARI channels.',
  })
  async otherLeg(@Root() c: DomainChannel, @Ctx() ctx: GraphQLContext): Promise<DomainChannel | null> {
    const other = c.kazoo?.otherLegCallId;
    if (!other) return null;
    return ctx.loaders.channel.load(toGlobalId(c.backend, other));
  }
}
