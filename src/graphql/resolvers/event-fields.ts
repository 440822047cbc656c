/** Fields of journaled events computed from the domain event (ids made global, fresh reads). */
import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { Channel as DomainChannel, Playback as DomainPlayback } from '../../domain/channel';
import type { Journaled } from '../../domain/events';
import { toGlobalId } from '../../domain/ids';
import type { Recipient as DomainRecipient } from '../../domain/recipient';
import { toAccountScopedId } from '../../domain/scoped-ids';
import type { GraphQLContext } from '../context';
import { Backend } from '../types/backend';
import { Channel, ChannelSnapshot } from '../types/channel';
import {
  AgentEvent,
  AgentStateChanged,
  ChannelBridged,
  ChannelEvent,
  JournalEvent,
  ObjectEvent,
  PlaybackFinished,
  PlaybackStarted,
  ResyncRequired,
} from '../types/events';
import { PlaybackSnapshot } from '../types/media';
import { Recipient } from '../types/recipient';
import { backendView } from './backend-view';
import type { EventView } from './event-view';

@Resolver(() => JournalEvent)
export class JournalEventFields {
  @FieldResolver(() => Backend, {
    nullable: true,
    description: 'The backend the event came from (null on ResyncRequired, which covers every backend).',
  })
  backend(@Root() e: EventView, @Ctx() ctx: GraphQLContext): Backend | null {
    const b = e.backend ? ctx.registry.get(e.backend) : undefined;
    return b ? backendView(b, ctx.events) : null;
  }
}

@Resolver(() => ChannelEvent)
export class ChannelEventFields {
  @FieldResolver(() => ID, { nullable: true, description: 'Global id of the live channel the event is about.' })
  channelId(@Root() e: EventView): string | null {
    return e.backend && e.ids.channelId ? toGlobalId(e.backend, e.ids.channelId) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'KAZOO account the event is about, where there is one.' })
  accountId(@Root() e: EventView): string | null {
    return e.ids.accountId ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'KAZOO user owning the device of the call, where known.',
  })
  userId(@Root() e: EventView): string | null {
    return e.ids.userId ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'KAZOO device of the call, where known.' })
  deviceId(@Root() e: EventView): string | null {
    return e.ids.deviceId ?? null;
  }

  @FieldResolver(() => ChannelSnapshot, {
    nullable: true,
    description: 'The channel as this event saw it (null where the backend sent none).',
  })
  channel(@Root() e: EventView): SnapshotRoot | null {
    const c = 'channel' in e ? ((e.channel as DomainChannel | null) ?? null) : null;
    return c ? { ...c, snapshotCursor: e.cursor } : null;
  }
}

/** A snapshot's root: the domain object and the cursor of the event that carried it. */
type Snapshot<T> = T & { snapshotCursor: string };
type SnapshotRoot = Snapshot<DomainChannel>;

/** Snapshot ids are `<live global id>@<cursor>`: unique per event, never equal to a live id. */
function snapshotId(s: Snapshot<{ backend: string; nativeId: string }>): string {
  return `${toGlobalId(s.backend, s.nativeId)}@${s.snapshotCursor}`;
}

@Resolver(() => ChannelSnapshot)
export class ChannelSnapshotFields {
  @FieldResolver(() => ID, {
    description: 'Id of this snapshot: `<channelId>@<event cursor>` (unique per event; never a live Channel id).',
  })
  id(@Root() c: SnapshotRoot): string {
    return snapshotId(c);
  }

  @FieldResolver(() => ID, { description: 'Global id of the live channel this is a snapshot of.' })
  channelId(@Root() c: SnapshotRoot): string {
    return toGlobalId(c.backend, c.nativeId);
  }
}

@Resolver(() => PlaybackSnapshot)
export class PlaybackSnapshotFields {
  @FieldResolver(() => ID, {
    description: 'Id of this snapshot: `<playbackId>@<event cursor>` (never a live Playback id).',
  })
  id(@Root() p: Snapshot<DomainPlayback>): string {
    return snapshotId(p);
  }

  @FieldResolver(() => ID, { description: 'Global id of the playback this is a snapshot of.' })
  playbackId(@Root() p: Snapshot<DomainPlayback>): string {
    return toGlobalId(p.backend, p.nativeId);
  }
}

function playbackSnapshot(e: Journaled & { playback: DomainPlayback }): Snapshot<DomainPlayback> {
  return { ...e.playback, snapshotCursor: e.cursor };
}

@Resolver(() => PlaybackStarted)
export class PlaybackStartedFields {
  @FieldResolver(() => PlaybackSnapshot, { description: 'The playback as this event saw it.' })
  playback(@Root() e: Journaled & { playback: DomainPlayback }): Snapshot<DomainPlayback> {
    return playbackSnapshot(e);
  }
}

@Resolver(() => PlaybackFinished)
export class PlaybackFinishedFields {
  @FieldResolver(() => PlaybackSnapshot, { description: 'The playback as this event saw it.' })
  playback(@Root() e: Journaled & { playback: DomainPlayback }): Snapshot<DomainPlayback> {
    return playbackSnapshot(e);
  }
}

@Resolver(() => AgentEvent)
export class AgentEventFields {
  @FieldResolver(() => String, { nullable: true, description: 'KAZOO account the event is about, where there is one.' })
  accountId(@Root() e: EventView): string | null {
    return e.ids.accountId ?? null;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'Global recipient id of the agent the event is about.' })
  recipientId(@Root() e: EventView): string | null {
    return e.backend && e.ids.accountId && e.ids.recipientId
      ? toAccountScopedId(e.backend, e.ids.accountId, e.ids.recipientId)
      : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Qubicle queue the event is about, where there is one.' })
  queueId(@Root() e: EventView): string | null {
    return e.ids.queueId ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Call id of the queue call, where there is one.' })
  callId(@Root() e: EventView): string | null {
    return e.ids.callId ?? null;
  }
}

@Resolver(() => AgentStateChanged)
export class AgentStateChangedFields {
  @FieldResolver(() => Recipient, {
    nullable: true,
    description: 'The agent as it is now (read fresh for each event).',
  })
  recipient(@Root() e: Journaled, @Ctx() ctx: GraphQLContext): Promise<DomainRecipient | null> | null {
    if (!e.ids.accountId || !e.ids.recipientId) return null;
    return ctx.loaders.recipient.load(toAccountScopedId(e.backend, e.ids.accountId, e.ids.recipientId));
  }
}

@Resolver(() => ChannelBridged)
export class ChannelBridgedFields {
  @FieldResolver(() => ID, { nullable: true, description: 'Global id of the other channel, when known.' })
  otherChannelId(@Root() e: Journaled & { otherChannelId: string | null }): string | null {
    return e.otherChannelId ? toGlobalId(e.backend, e.otherChannelId) : null;
  }
}

@Resolver(() => ResyncRequired)
export class ResyncRequiredFields {
  @FieldResolver(() => [Channel], { description: 'Live channels now (every backend; filter client-side).' })
  async channels(@Ctx() ctx: GraphQLContext): Promise<DomainChannel[]> {
    const lists = await Promise.all(
      ctx.registry.all().map((b) => ctx.loaders.channelList.load(b.name).catch(() => [] as DomainChannel[])),
    );
    return lists.flat();
  }

  @FieldResolver(() => [Recipient], { description: 'Agents now (configured accounts of KAZOO backends).' })
  async recipients(@Ctx() ctx: GraphQLContext): Promise<DomainRecipient[]> {
    const lists = await Promise.all(
      ctx.registry.byKind('kazoo').map((b) =>
        ctx.registry
          .kazoo(b.name, 'recipients')
          .listRecipients(ctx.registry.kazoo(b.name, 'recipients').accountId, ctx.call)
          .catch(() => [] as DomainRecipient[]),
      ),
    );
    return lists.flat();
  }
}

@Resolver(() => ObjectEvent)
export class ObjectEventFields {
  @FieldResolver(() => String, { nullable: true, description: 'KAZOO account the event is about, where there is one.' })
  accountId(@Root() e: EventView): string | null {
    return e.ids.accountId ?? null;
  }
}
