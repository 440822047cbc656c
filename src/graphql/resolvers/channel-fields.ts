import { Arg, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { channelCapabilities } from '../../domain/capabilities';
import type { Channel as DomainChannel } from '../../domain/channel';
import { toGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';
import type { WithActionCursor } from '../action-cursor';
import { variableKey } from '../loaders';
import { Backend } from '../types/backend';
import { Channel } from '../types/channel';
import { ChannelAction } from '../types/enums';
import { RtpStats } from '../types/media';
import { backendViewOnce } from './backend-view';
import { requireText } from '../validate';

@Resolver(() => Channel)
export class ChannelFieldResolver {
  @FieldResolver(() => ID)
  id(@Root() c: DomainChannel): string {
    return toGlobalId(c.backend, c.nativeId);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'On the result of originate, createChannel, snoopChannel, createExternalMedia and transferChannel: the journal cursor taken just before the backend was asked. Subscribe with `after:` it to see the first event of what the mutation started. Null elsewhere.',
  })
  actionCursor(@Root() c: WithActionCursor<DomainChannel>): string | null {
    return c.actionCursor ?? null;
  }

  @FieldResolver(() => Backend, { description: 'The backend this channel lives on.' })
  backend(@Root() c: DomainChannel, @Ctx() ctx: GraphQLContext): Backend {
    return backendViewOnce(ctx, c.backend);
  }

  @FieldResolver(() => GraphQLJSONObject)
  reportedVariables(@Root() c: DomainChannel): Record<string, string> {
    return c.variables;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Value of a channel variable or dialplan function, e.g. "CALLERID(name)"; null when unset (ARI only).',
  })
  async variable(@Root() c: DomainChannel, @Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    requireText(name, 'name');
    return ctx.loaders.variable.load(variableKey(toGlobalId(c.backend, c.nativeId), name));
  }

  @FieldResolver(() => GraphQLJSONObject, {
    description:
      'Several variables in one backend call (ARI getChannelVars) as {name: value}. Fails with NOT_FOUND naming the first unset one (ARI only).',
  })
  async variables(
    @Root() c: DomainChannel,
    @Arg('names', () => [String]) names: string[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<Record<string, string>> {
    if (names.length === 0) requireText('', 'names');
    for (const n of names) requireText(n, 'names');
    return ctx.registry.ari(c.backend, 'variables').getVariables(c.nativeId, names, ctx.call);
  }

  @FieldResolver(() => RtpStats, {
    nullable: true,
    description: 'RTP statistics; null for channels without RTP (Local, Snoop, not yet negotiated) (ARI only).',
  })
  async rtpStats(@Root() c: DomainChannel, @Ctx() ctx: GraphQLContext): Promise<RtpStats | null> {
    if (c.backendKind !== 'ari') return null;
    return ctx.loaders.rtpStats.load(toGlobalId(c.backend, c.nativeId));
  }

  @FieldResolver(() => [ChannelAction], {
    description: 'Actions this channel accepts now (others would be refused by the backend or by patchbay).',
  })
  capabilities(@Root() c: DomainChannel): ChannelAction[] {
    return channelCapabilities(c) as ChannelAction[];
  }
}
