/**
 * channelEvents / agentEvents / objectEvents: with `after`, history from the journal then live,
 * with no gap and no duplicate at the seam; without it, live only. `events` pages history.
 */
import { Authorized, Arg, Ctx, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { badInput } from '../../domain/errors';
import type { JournalFilter } from '../../events/journal/journal';
import type { Journaled } from '../../domain/events';
import { openEventStream, type StreamItem } from '../../events/event-stream';
import { refreshLoaders, type GraphQLContext } from '../context';
import { AgentEventFilter, ChannelEventFilter, EventFilter, ObjectEventFilter } from '../types/event-inputs';
import { AgentEvent, ChannelEvent, EventConnection, ObjectEvent } from '../types/events';
import { agentJournalFilter, channelJournalFilter, historyJournalFilter, objectJournalFilter } from './event-filters';
import { toEventView, type EventView } from './event-view';
import { checkRoles, eventVisibleTo, principalOf, Roles } from '../authz';
import type { Role } from '../../auth/principal';

const MAX_PAGE = 500;
/** How many journal pages one history request scans for events the key may see. */
const SCOPE_SCAN_ROUNDS = 20;

function checkCursor(after: string | undefined | null, arg = 'after'): string | null {
  if (after === undefined || after === null) return null;
  if (!/^(0|[1-9]\d{0,18})$/.test(after) || BigInt(after) > 9223372036854775807n)
    throw badInput(
      `${arg} must be a cursor this API issued (an event's or page's cursor, passed back unchanged), got ${JSON.stringify(after)}`,
      { argumentName: arg },
    );
  return after;
}

/**
 * A cursor past the newest journaled event was never issued (typically one kept by a client
 * across a data reset). Replaying after it would deliver events with lower cursors, so callers
 * answer ResyncRequired (subscriptions) or BAD_USER_INPUT (history) instead.
 */
async function beyondEnd(ctx: GraphQLContext, after: string): Promise<boolean> {
  if (BigInt(after) <= BigInt(ctx.events.dispatcher.lastCursor)) return false;
  const latest = await ctx.events.journal.latestCursor();
  return latest === null || BigInt(after) > BigInt(latest);
}

type StreamArgs = { filter?: unknown; after?: string | null };

async function stream(
  data: SubscribeResolverData<unknown, StreamArgs, GraphQLContext>,
  roles: Role[],
  build: (ctx: GraphQLContext, filter: unknown) => JournalFilter,
) {
  const ctx = data.context;
  // Checked at subscribe time too, so a refused subscription fails at once instead of per event.
  const p = checkRoles(ctx, roles);
  const args = data.args;
  const filter = build(ctx, args.filter);
  const after = checkCursor(args.after);
  const accept = (e: Journaled) => eventVisibleTo(p, e);
  if (after === null || !(await beyondEnd(ctx, after)))
    return openEventStream(ctx.events.journal, ctx.events.dispatcher, { filter, after, accept });
  // Live only, after one notice; pushed in the same tick as the listener opens, so nothing precedes it.
  const live = openEventStream(ctx.events.journal, ctx.events.dispatcher, { filter, after: null, accept });
  live.push({ kind: 'resync', cursor: ctx.events.dispatcher.lastCursor, requestedAfter: after, at: new Date() });
  return live;
}

/** History pages hold only what the key may see; scope is an OR the journal's SQL filter cannot express. */
async function visiblePage(
  ctx: GraphQLContext,
  after: string | null,
  filter: JournalFilter,
  wanted: number,
): Promise<Journaled[]> {
  const p = principalOf(ctx);
  const out: Journaled[] = [];
  let cursor = after;
  for (let round = 0; round < SCOPE_SCAN_ROUNDS && out.length < wanted; round++) {
    const page = await ctx.events.journal.read(cursor, { filter, limit: MAX_PAGE });
    for (const e of page) if (eventVisibleTo(p, e) && out.length < wanted) out.push(e);
    if (page.length < MAX_PAGE) break;
    cursor = page[page.length - 1].cursor;
  }
  return out;
}

const AFTER = {
  nullable: true,
  description:
    "An event's opaque cursor: history after it first, then live. Omit for live only. A cursor too old or never issued starts with one ResyncRequired.",
};

@Resolver()
export class EventSubscriptions {
  @Authorized(Roles.READERS)
  @Subscription(() => ChannelEvent, {
    description:
      'Channel events of every backend. Each carries a cursor; reconnect with `after: <last cursor>` to miss nothing.',
    subscribe: (data) =>
      stream(data as SubscribeResolverData<unknown, StreamArgs, GraphQLContext>, Roles.READERS, (ctx, f) =>
        channelJournalFilter(ctx.registry, f as ChannelEventFilter | undefined),
      ),
  })
  channelEvents(
    @Root() item: StreamItem,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ChannelEventFilter, { nullable: true, description: 'Only events matching this.' })
    _filter?: ChannelEventFilter,
    @Arg('after', () => String, AFTER) _after?: string,
  ): EventView {
    refreshLoaders(ctx);
    return toEventView(item);
  }

  @Authorized(Roles.ANYONE)
  @Subscription(() => AgentEvent, {
    description: 'Call-center agent events (login, logout, ready, away, offered, delivered, rejected, wrap-up).',
    subscribe: (data) =>
      stream(data as SubscribeResolverData<unknown, StreamArgs, GraphQLContext>, Roles.ANYONE, (ctx, f) =>
        agentJournalFilter(ctx.registry, f as AgentEventFilter | undefined),
      ),
  })
  agentEvents(
    @Root() item: StreamItem,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => AgentEventFilter, { nullable: true, description: 'Only events matching this.' })
    _filter?: AgentEventFilter,
    @Arg('after', () => String, AFTER) _after?: string,
  ): EventView {
    refreshLoaders(ctx);
    return toEventView(item);
  }

  @Authorized(Roles.READERS)
  @Subscription(() => ObjectEvent, {
    description: 'KAZOO document changes (object.doc_created / doc_edited / doc_deleted).',
    subscribe: (data) =>
      stream(data as SubscribeResolverData<unknown, StreamArgs, GraphQLContext>, Roles.READERS, (ctx, f) =>
        objectJournalFilter(ctx.registry, f as ObjectEventFilter | undefined),
      ),
  })
  objectEvents(
    @Root() item: StreamItem,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ObjectEventFilter, { nullable: true, description: 'Only events matching this.' })
    _filter?: ObjectEventFilter,
    @Arg('after', () => String, AFTER) _after?: string,
  ): EventView {
    refreshLoaders(ctx);
    return toEventView(item);
  }

  @Authorized(Roles.READERS)
  @Query(() => EventConnection, {
    description: 'Journal history, oldest first, after a cursor (or from the oldest kept).',
  })
  async events(
    @Ctx() ctx: GraphQLContext,
    @Arg('after', () => String, {
      nullable: true,
      description: "An edge's opaque cursor: the page starts right after it. Omit for the oldest event kept.",
    })
    after?: string,
    @Arg('filter', () => EventFilter, { nullable: true, description: 'Only events matching this.' })
    filter?: EventFilter,
    @Arg('first', () => Int, { defaultValue: 100, description: `Page size, 1 to ${MAX_PAGE}.` }) first = 100,
  ): Promise<EventConnection> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      throw badInput(`first must be from 1 to ${MAX_PAGE}`, { argumentName: 'first' });
    const journalFilter = historyJournalFilter(ctx.registry, filter);
    const from = checkCursor(after);
    if (from !== null && (await beyondEnd(ctx, from))) {
      throw badInput(
        'after is beyond the newest event: the journal never issued that cursor (was its data reset?); page again without after',
        { argumentName: 'after' },
      );
    }
    const page = await visiblePage(ctx, from, journalFilter, first + 1);
    const nodes = page.slice(0, first);
    return {
      edges: nodes.map((e) => ({ cursor: e.cursor, node: e as never })),
      pageInfo: {
        hasNextPage: page.length > first,
        endCursor: nodes.length ? nodes[nodes.length - 1].cursor : (after ?? null),
      },
    };
  }
}
