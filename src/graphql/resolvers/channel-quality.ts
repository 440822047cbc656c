/**
 * Call quality: `Channel.quality` on demand and the `channelQuality` subscription, both from
 * ARI RTP statistics through the E-model (src/quality, docs/quality.md).
 */
import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { Channel as DomainChannel } from '../../domain/channel';
import { badInput } from '../../domain/errors';
import { parseGlobalId, toGlobalId } from '../../domain/ids';
import { AsyncQueue } from '../../events/async-queue';
import { assessQuality, type CallQuality as DomainCallQuality } from '../../quality/assess';
import { qualityHub, type QualitySample } from '../../quality/hub';
import { canSeeBackend, canSeeChannel, checkRoles, requireBackendInScope, Roles } from '../authz';
import type { GraphQLContext } from '../context';
import type { Principal } from '../../auth/principal';
import { Channel } from '../types/channel';
import { CallQuality, ChannelQualityFilter } from '../types/quality';

const MIN_INTERVAL = 1;
const MAX_INTERVAL = 300;
const DEFAULT_INTERVAL = 5;

type QualityArgs = { filter?: ChannelQualityFilter | null; intervalSeconds?: number };

/** The GraphQL shape of a domain estimate (codec by name). */
function toView(q: DomainCallQuality): CallQuality {
  return { ...q, codec: q.codec.name } as CallQuality;
}

/** Checks the arguments before any backend is asked; returns the backends to poll and the ids wanted. */
function plan(
  ctx: GraphQLContext,
  args: QualityArgs,
): { p: Principal; backends: string[]; ids: Set<string> | null; interval: number } {
  const p = checkRoles(ctx, Roles.READERS);
  const interval = args.intervalSeconds ?? DEFAULT_INTERVAL;
  if (!Number.isInteger(interval) || interval < MIN_INTERVAL || interval > MAX_INTERVAL) {
    throw badInput(`intervalSeconds must be from ${MIN_INTERVAL} to ${MAX_INTERVAL}`, {
      argumentName: 'intervalSeconds',
    });
  }
  const f = args.filter ?? {};
  if (f.backend) requireBackendInScope(ctx, f.backend, 'filter.backend');
  const ids = f.channelIds ? new Set(f.channelIds.map((id) => (parseGlobalId(id, 'filter.channelIds'), id))) : null;
  const backends = ctx.registry
    .byKind('ari')
    .filter((b) => canSeeBackend(p, b.name, b.kind) && (!f.backend || b.name === f.backend))
    .filter((b) => !ids || [...ids].some((id) => id.startsWith(`${b.name}:`)))
    .map((b) => b.name);
  return { p, backends, ids, interval };
}

function openQualityStream(
  data: SubscribeResolverData<unknown, QualityArgs, GraphQLContext>,
): AsyncIterable<DomainCallQuality> {
  const ctx = data.context;
  const { p, backends, ids, interval } = plan(ctx, data.args);
  const hub = qualityHub(ctx.registry, ctx.events.live);
  const leaves: Array<() => void> = [];
  const queue = new AsyncQueue<DomainCallQuality>(() => leaves.forEach((leave) => leave()));
  const deliver = (samples: QualitySample[]) => {
    for (const s of samples)
      if ((!ids || ids.has(s.quality.channelId)) && canSeeChannel(p, s.channel)) queue.push(s.quality);
  };
  for (const b of backends) leaves.push(hub.watch(b, interval, deliver, ids));
  return queue;
}

@Resolver(() => Channel)
export class ChannelQualityResolver {
  @FieldResolver(() => CallQuality, {
    nullable: true,
    description:
      'Call quality now: RTP statistics and a MOS estimate (ITU-T G.107 E-model). Null for channels without RTP and on KAZOO (ARI only).',
  })
  async quality(@Root() c: DomainChannel, @Ctx() ctx: GraphQLContext): Promise<CallQuality | null> {
    if (c.backendKind !== 'ari') return null;
    const id = toGlobalId(c.backend, c.nativeId);
    const stats = await ctx.loaders.rtpStats.load(id);
    if (!stats) return null;
    const codec = await qualityHub(ctx.registry, ctx.events.live).codecOf(c);
    return toView(assessQuality(id, stats, codec));
  }

  @Authorized(Roles.READERS)
  @Subscription(() => CallQuality, {
    description:
      'Call quality of live channels with RTP, one payload per channel every intervalSeconds. Channels without RTP (Local, Snoop, KAZOO, not yet negotiated) are left out. Subscribers at the same interval share one backend poll per channel.',
    subscribe: (data) => openQualityStream(data as SubscribeResolverData<unknown, QualityArgs, GraphQLContext>),
  })
  channelQuality(
    @Root() q: DomainCallQuality,
    @Arg('filter', () => ChannelQualityFilter, {
      nullable: true,
      description: 'Which channels; all you can see when omitted.',
    })
    _filter?: ChannelQualityFilter,
    @Arg('intervalSeconds', () => Int, {
      defaultValue: DEFAULT_INTERVAL,
      description: `Seconds between samples, ${MIN_INTERVAL} to ${MAX_INTERVAL}.`,
    })
    _interval?: number,
  ): CallQuality {
    return toView(q);
  }
}
