import { Arg, Ctx, FieldResolver, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { ChannelEventRecord } from '../../domain/channel-event';
import { parseGlobalId, toGlobalId } from '../../domain/ids';
import { AsyncQueue } from '../../events/async-queue';
import { refreshLoaders, type GraphQLContext } from '../context';
import { ChannelEvent } from '../types/channel-event';

interface Filter {
  backend?: string;
  channelNativeId?: string;
  types?: Set<string>;
}

function matches(f: Filter, e: ChannelEventRecord): boolean {
  if (f.backend && e.backend !== f.backend) return false;
  if (f.channelNativeId && e.channelNativeId !== f.channelNativeId) return false;
  if (f.types && !f.types.has(e.type)) return false;
  return true;
}

@Resolver(() => ChannelEvent)
export class ChannelSubscriptions {
  @Subscription(() => ChannelEvent, {
    description: 'Live channel events from every backend (or one backend / one channel / some types).',
    subscribe: ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const f: Filter = {};
      if (args.backend) f.backend = ctx.registry.require(args.backend as string, 'backend').name;
      if (args.channelId) {
        const id = parseGlobalId(args.channelId as string, 'channelId');
        ctx.registry.require(id.backend, 'channelId');
        f.backend = id.backend;
        f.channelNativeId = id.nativeId;
      }
      if (Array.isArray(args.types) && args.types.length) f.types = new Set(args.types as string[]);
      let unsubscribe = (): void => {};
      const queue = new AsyncQueue<ChannelEventRecord>(() => unsubscribe());
      unsubscribe = ctx.events.subscribe((e) => {
        if (matches(f, e)) queue.push(e);
      });
      return queue;
    },
  })
  channelEvents(
    @Root() e: ChannelEventRecord,
    @Ctx() ctx: GraphQLContext,
    @Arg('backend', () => String, { nullable: true, description: 'Only this backend.' }) _backend?: string,
    @Arg('channelId', () => ID, { nullable: true, description: 'Only this channel (global id).' }) _channelId?: string,
    @Arg('types', () => [String], { nullable: true, description: 'Only these event types.' }) _types?: string[],
  ): ChannelEventRecord {
    refreshLoaders(ctx);
    return e;
  }

  @FieldResolver(() => ID, { nullable: true })
  channelId(@Root() e: ChannelEventRecord): string | null {
    return e.channelNativeId === null ? null : toGlobalId(e.backend, e.channelNativeId);
  }
}
