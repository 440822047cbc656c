/** Channel fields only KAZOO channels carry; null on ARI channels. */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Channel as DomainChannel } from '../../domain/channel';
import { toGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';
import { CallerId, Channel } from '../types/channel';

@Resolver(() => Channel)
export class ChannelKazooFields {
  @FieldResolver(() => String, { nullable: true, description: 'Account the call belongs to (KAZOO).' })
  accountId(@Root() c: DomainChannel): string | null {
    // System-wide listings carry no account (Crossbar strips account_id); the domain has "" then.
    return c.kazoo?.accountId || null;
  }

  @FieldResolver(() => String, { nullable: true, description: '"inbound" or "outbound", seen from the switch (KAZOO).' })
  direction(@Root() c: DomainChannel): string | null {
    return c.kazoo?.direction ?? null;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether the call was answered (KAZOO).' })
  answered(@Root() c: DomainChannel): boolean | null {
    return c.kazoo?.answered ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'User id owning the device on this leg (KAZOO owner_id).' })
  ownerId(@Root() c: DomainChannel): string | null {
    return c.kazoo?.ownerId ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Id of the device (or other object) that authorized the call (KAZOO).' })
  authorizingId(@Root() c: DomainChannel): string | null {
    return c.kazoo?.authorizingId ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Type of the authorizing object, e.g. "device" (KAZOO).' })
  authorizingType(@Root() c: DomainChannel): string | null {
    return c.kazoo?.authorizingType ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Presence id, e.g. "1000@realm" (KAZOO).' })
  presenceId(@Root() c: DomainChannel): string | null {
    return c.kazoo?.presenceId ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Dialed destination (KAZOO).' })
  destination(@Root() c: DomainChannel): string | null {
    return c.kazoo?.destination ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'SIP username of the device (KAZOO).' })
  username(@Root() c: DomainChannel): string | null {
    return c.kazoo?.username ?? null;
  }

  @FieldResolver(() => CallerId, { nullable: true, description: 'Callee id (KAZOO).' })
  callee(@Root() c: DomainChannel): CallerId | null {
    return c.kazoo?.callee ?? null;
  }

  @FieldResolver(() => Channel, { nullable: true, description: 'The other leg of a bridged call (KAZOO other_leg), through the request loader.' })
  async otherLeg(@Root() c: DomainChannel, @Ctx() ctx: GraphQLContext): Promise<DomainChannel | null> {
    const other = c.kazoo?.otherLegCallId;
    if (!other) return null;
    return ctx.loaders.channel.load(toGlobalId(c.backend, other));
  }
}
