/**
 * channelEvents / agentEvents / objectEvents: with `after`, history from the journal then live,
 * with no gap and no duplicate at the seam; without it, live only. `events` pages history.
 */
import { Arg, Ctx, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { badInput } from '../../domain/errors';
import type { JournalFilter } from '../../events/journal/journal';
import { openEventStream, type StreamItem } from '../../events/event-stream';
import { refreshLoaders, type GraphQLContext } from '../context';
import { AgentEventFilter, ChannelEventFilter, EventFilter, ObjectEventFilter } from '../types/event-inputs';
import { AgentEvent, ChannelEvent, EventConnection, ObjectEvent } from '../types/events';
import { agentJournalFilter, channelJournalFilter, historyJournalFilter, objectJournalFilter } from './event-filters';
import { toEventView, type EventView } from './event-view';

const MAX_PAGE = 500;

function checkCursor(after: string | undefined | null, arg = 'after'): string | null {
  if (after === undefined || after === null) return null;
  if (!/^\d{1,19}$/.test(after)) throw badInput(`${arg} must be a cursor from an event (a decimal number), got ${JSON.stringify(after)}`, { argumentName: arg });
  return after;
}

type StreamArgs = { filter?: unknown; after?: string | null };

function stream(data: SubscribeResolverData<unknown, StreamArgs, GraphQLContext>, build: (ctx: GraphQLContext, filter: unknown) => JournalFilter) {
  const ctx = data.context;
  const args = data.args;
  const filter = build(ctx, args.filter);
  const after = checkCursor(args.after);
  return openEventStream(ctx.events.journal, ctx.events.dispatcher, { filter, after });
}

const AFTER = { nullable: true, description: 'Resume after this cursor: history first, then live. Omit for live only.' };

@Resolver()
export class EventSubscriptions {
  @Subscription(() => ChannelEvent, {
    description: 'Channel events of every backend. Each carries a cursor; reconnect with `after: <last cursor>` to miss nothing.',
    subscribe: (data) => stream(data as SubscribeResolverData<unknown, StreamArgs, GraphQLContext>, (ctx, f) => channelJournalFilter(ctx.registry, f as ChannelEventFilter | undefined)),
  })
  channelEvents(
    @Root() item: StreamItem,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ChannelEventFilter, { nullable: true }) _filter?: ChannelEventFilter,
    @Arg('after', () => String, AFTER) _after?: string,
  ): EventView {
    refreshLoaders(ctx);
    return toEventView(item);
  }

  @Subscription(() => AgentEvent, {
    description: 'Call-center agent events (login, logout, ready, away, offered, delivered, rejected, wrap-up).',
    subscribe: (data) => stream(data as SubscribeResolverData<unknown, StreamArgs, GraphQLContext>, (ctx, f) => agentJournalFilter(ctx.registry, f as AgentEventFilter | undefined)),
  })
  agentEvents(
    @Root() item: StreamItem,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => AgentEventFilter, { nullable: true }) _filter?: AgentEventFilter,
    @Arg('after', () => String, AFTER) _after?: string,
  ): EventView {
    refreshLoaders(ctx);
    return toEventView(item);
  }

  @Subscription(() => ObjectEvent, {
    description: 'KAZOO document changes (object.doc_created / doc_edited / doc_deleted).',
    subscribe: (data) => stream(data as SubscribeResolverData<unknown, StreamArgs, GraphQLContext>, (ctx, f) => objectJournalFilter(ctx.registry, f as ObjectEventFilter | undefined)),
  })
  objectEvents(
    @Root() item: StreamItem,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ObjectEventFilter, { nullable: true }) _filter?: ObjectEventFilter,
    @Arg('after', () => String, AFTER) _after?: string,
  ): EventView {
    refreshLoaders(ctx);
    return toEventView(item);
  }

  @Query(() => EventConnection, { description: 'Journal history, oldest first, after a cursor (or from the oldest kept).' })
  async events(
    @Ctx() ctx: GraphQLContext,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => EventFilter, { nullable: true }) filter?: EventFilter,
    @Arg('first', () => Int, { defaultValue: 100, description: `Page size, 1 to ${MAX_PAGE}.` }) first = 100,
  ): Promise<EventConnection> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be from 1 to ${MAX_PAGE}`, { argumentName: 'first' });
    const journalFilter = historyJournalFilter(ctx.registry, filter);
    const page = await ctx.events.journal.read(checkCursor(after), { filter: journalFilter, limit: first + 1 });
    const nodes = page.slice(0, first);
    return {
      edges: nodes.map((e) => ({ cursor: e.cursor, node: e as never })),
      pageInfo: { hasNextPage: page.length > first, endCursor: nodes.length ? nodes[nodes.length - 1].cursor : after ?? null },
    };
  }
}
