/**
 * Channel fields computed from the domain channel, shared by the live `Channel` and the
 * `ChannelSnapshot` events carry: one resolver class per type, built from one definition.
 * KAZOO-only fields are null on ARI channels.
 */
import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { channelCapabilities } from '../../domain/capabilities';
import type { Channel as DomainChannel } from '../../domain/channel';
import type { GraphQLContext } from '../context';
import { Backend } from '../types/backend';
import { CallerId, Channel, ChannelSnapshot } from '../types/channel';
import { ChannelAction, ChannelDirectionEnum } from '../types/enums';
import { itemBackend } from '../plain-resolvers';

function channelValueFields(type: ClassType) {
  @Resolver(() => type)
  abstract class ValueFields {
    @FieldResolver(() => Backend, { description: 'The backend this channel lives on.' })
    backend(@Root() c: DomainChannel, @Ctx() ctx: GraphQLContext): Backend {
      return itemBackend(c, {}, ctx);
    }

    @FieldResolver(() => GraphQLJSONObject, {
      description:
        'Variables the backend reports with every snapshot (ARI channelvars / report_events; {} on KAZOO channels).',
    })
    reportedVariables(@Root() c: DomainChannel): Record<string, string> {
      return c.variables;
    }

    @FieldResolver(() => String, {
      nullable: true,
      description: 'Account the call belongs to. KAZOO channels only: null on ARI channels.',
    })
    accountId(@Root() c: DomainChannel): string | null {
      // System-wide listings carry no account (Crossbar strips account_id); the domain has "" then.
      return c.kazoo?.accountId || null;
    }

    @FieldResolver(() => ChannelDirectionEnum, {
      nullable: true,
      description: 'Direction seen from the switch. KAZOO channels only: null on ARI channels.',
    })
    direction(@Root() c: DomainChannel): ChannelDirectionEnum | null {
      return (c.kazoo?.direction as ChannelDirectionEnum | undefined) ?? null;
    }

    @FieldResolver(() => Boolean, {
      nullable: true,
      description: 'Whether the call was answered. KAZOO channels only: null on ARI channels.',
    })
    answered(@Root() c: DomainChannel): boolean | null {
      return c.kazoo?.answered ?? null;
    }

    @FieldResolver(() => String, {
      nullable: true,
      description: 'User id owning the device on this leg (owner_id). KAZOO channels only: null on ARI channels.',
    })
    ownerId(@Root() c: DomainChannel): string | null {
      return c.kazoo?.ownerId ?? null;
    }

    @FieldResolver(() => String, {
      nullable: true,
      description:
        'Id of the device (or other object) that authorized the call. KAZOO channels only: null on ARI channels.',
    })
    authorizingId(@Root() c: DomainChannel): string | null {
      return c.kazoo?.authorizingId ?? null;
    }

    @FieldResolver(() => String, {
      nullable: true,
      description: 'Type of the authorizing object, e.g. "device". KAZOO channels only: null on ARI channels.',
    })
    authorizingType(@Root() c: DomainChannel): string | null {
      return c.kazoo?.authorizingType ?? null;
    }

    @FieldResolver(() => String, {
      nullable: true,
      description: 'Presence id, e.g. "1000@realm". KAZOO channels only: null on ARI channels.',
    })
    presenceId(@Root() c: DomainChannel): string | null {
      return c.kazoo?.presenceId ?? null;
    }

    @FieldResolver(() => String, {
      nullable: true,
      description: 'Dialed destination. KAZOO channels only: null on ARI channels.',
    })
    destination(@Root() c: DomainChannel): string | null {
      return c.kazoo?.destination ?? null;
    }

    @FieldResolver(() => String, {
      nullable: true,
      description: 'SIP username of the device. KAZOO channels only: null on ARI channels.',
    })
    username(@Root() c: DomainChannel): string | null {
      return c.kazoo?.username ?? null;
    }

    @FieldResolver(() => [ChannelAction], {
      description:
        'Actions the channel accepts in this state (others would be refused by the backend or by patchbay). On a snapshot: what it accepted at that moment, a pure function of the snapshot.',
    })
    capabilities(@Root() c: DomainChannel): ChannelAction[] {
      return channelCapabilities(c) as ChannelAction[];
    }

    @FieldResolver(() => CallerId, {
      nullable: true,
      description: 'Callee id. KAZOO channels only: null on ARI channels.',
    })
    callee(@Root() c: DomainChannel): CallerId | null {
      return c.kazoo?.callee ?? null;
    }
  }
  return ValueFields;
}

@Resolver(() => Channel)
export class ChannelValueFields extends channelValueFields(Channel) {}

@Resolver(() => ChannelSnapshot)
export class ChannelSnapshotValueFields extends channelValueFields(ChannelSnapshot) {}
