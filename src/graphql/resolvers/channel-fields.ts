import { Arg, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { Channel as DomainChannel } from '../../domain/channel';
import { toGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';
import { variableKey } from '../loaders';
import { channelId } from '../plain-resolvers';
import { Channel } from '../types/channel';
import { RtpStats } from '../types/media';
import { requireText } from '../validate';

@Resolver(() => Channel)
export class ChannelFieldResolver {
  @FieldResolver(() => ID)
  id(@Root() c: DomainChannel): string {
    return channelId(c);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Value of a channel variable or dialplan function, e.g. "CALLERID(name)"; null when unset. ARI channels only: always null on KAZOO channels, which have no channel variables.',
  })
  async variable(
    @Root() c: DomainChannel,
    @Arg('name', { description: 'Variable or dialplan function name, e.g. "CALLERID(name)".' }) name: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<string | null> {
    requireText(name, 'name');
    // A mixed channels list must not fail for what one backend kind lacks: null, never an error.
    if (c.backendKind !== 'ari') return null;
    return ctx.loaders.variable.load(variableKey(toGlobalId(c.backend, c.nativeId), name));
  }

  @FieldResolver(() => GraphQLJSONObject, {
    nullable: true,
    description:
      'Several variables in one backend call (ARI getChannelVars) as {name: value}. ARI channels only: always null on KAZOO channels. When one is unset the field is null with one NOT_FOUND error (at its path) naming it; the rest of the result stands.',
  })
  async variables(
    @Root() c: DomainChannel,
    @Arg('names', () => [String], { description: 'Variable or dialplan function names (at least one).' })
    names: string[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<Record<string, string> | null> {
    if (names.length === 0) requireText('', 'names');
    for (const n of names) requireText(n, 'names');
    if (c.backendKind !== 'ari') return null;
    return ctx.registry.ari(c.backend, 'variables').getVariables(c.nativeId, names, ctx.call);
  }

  @FieldResolver(() => RtpStats, {
    nullable: true,
    description:
      'RTP statistics; null for channels without RTP (Local, Snoop, not yet negotiated). ARI channels only: always null on KAZOO channels. A failed read nulls this field with one error at its path.',
  })
  async rtpStats(@Root() c: DomainChannel, @Ctx() ctx: GraphQLContext): Promise<RtpStats | null> {
    if (c.backendKind !== 'ari') return null;
    return ctx.loaders.rtpStats.load(toGlobalId(c.backend, c.nativeId));
  }
}
