/**
 * Journaled events as GraphQL types. Every event has a cursor; `after: <cursor>` on the
 * subscriptions and on `events` continues exactly after it.
 */
import { Field, ID, Int, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { CHANNEL_EVENT_TYPES } from '../../domain/events';
import { Backend } from './backend';
import { Channel, ChannelSnapshot } from './channel';
import { ChannelStateEnum, ObjectActionEnum } from './enums';
import { LiveRecording, PlaybackSnapshot } from './media';
import { PageInfo } from './page-info';
import { AvailabilityStateEnum, Recipient } from './recipient';

/** 'ChannelStateChanged' → 'CHANNEL_STATE_CHANGED' */
export function screamingSnake(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Every concrete journaled event type (ResyncRequired is a notice, never journaled). */
export const JOURNALED_EVENT_TYPES: readonly string[] = [...CHANNEL_EVENT_TYPES, 'AgentStateChanged', 'ObjectChanged'];
const CHANNEL_TYPES: ReadonlySet<string> = new Set(CHANNEL_EVENT_TYPES);

/** One enum for every event-type filter (history and subscriptions); values map to type names. */
export const EventTypeEnum = Object.fromEntries(JOURNALED_EVENT_TYPES.map((t) => [screamingSnake(t), t])) as Record<
  string,
  string
>;
registerEnumType(EventTypeEnum, {
  name: 'EventType',
  description: 'A concrete event type, for filters: CHANNEL_CREATED is the ChannelCreated type, and so on.',
  valuesConfig: Object.fromEntries(
    JOURNALED_EVENT_TYPES.map((t) => [
      screamingSnake(t),
      { description: `\`${t}\` events${CHANNEL_TYPES.has(t) ? ' (a ChannelEvent)' : ''}.` },
    ]),
  ),
});

/** True for the types channelEvents can deliver. */
export function isChannelEventType(type: string): boolean {
  return CHANNEL_TYPES.has(type);
}

export enum EventCategoryEnum {
  CHANNEL = 'channel',
  AGENT = 'agent',
  OBJECT = 'object',
}
registerEnumType(EventCategoryEnum, {
  name: 'EventCategory',
  description: 'Which stream an event belongs to.',
  valuesConfig: {
    CHANNEL: { description: 'Channel events (channelEvents).' },
    AGENT: { description: 'Agent events (agentEvents).' },
    OBJECT: { description: 'KAZOO document changes (objectEvents).' },
  },
});

export enum AgentActionEnum {
  LOGIN = 'LOGIN',
  LOGOUT = 'LOGOUT',
  READY = 'READY',
  AWAY = 'AWAY',
  OFFERED = 'OFFERED',
  DELIVERED = 'DELIVERED',
  REJECTED = 'REJECTED',
  WRAPUP = 'WRAPUP',
  OTHER = 'OTHER',
}
registerEnumType(AgentActionEnum, {
  name: 'AgentAction',
  description: 'What happened to an agent.',
  valuesConfig: {
    LOGIN: { description: 'Logged in.' },
    LOGOUT: { description: 'Logged out.' },
    READY: { description: 'Became ready.' },
    AWAY: { description: 'Went away.' },
    OFFERED: { description: 'Was offered a call.' },
    DELIVERED: { description: 'A call was delivered (answered).' },
    REJECTED: { description: 'Rejected (or missed) an offered call.' },
    WRAPUP: { description: 'Entered wrap-up.' },
    OTHER: { description: 'Anything else; see backendName.' },
  },
});

function resolveEventType(value: { kind?: string; type?: string }): string | undefined {
  return value.kind === 'resync' ? 'ResyncRequired' : value.type;
}

@InterfaceType({
  description: 'Anything in the journal. Cursors order all events of all backends.',
  resolveType: resolveEventType,
})
export abstract class JournalEvent {
  @Field({
    description:
      'Opaque position in the journal (a string: never parse it or compute with it); pass it as `after` to continue right after this event.',
  })
  cursor!: string;
  @Field(() => GraphQLDateTime, { description: 'Backend time.' }) occurredAt!: Date;
  @Field(() => GraphQLDateTime, { description: 'When patchbay received (or reconciled) it.' }) receivedAt!: Date;
  @Field(() => Backend, {
    nullable: true,
    description: 'The backend the event came from (null on ResyncRequired, which covers every backend).',
  })
  backend!: Backend | null;
  @Field({
    description:
      'Synthesised after a reconnect from a diff with the backend: a transition that happened while the stream was down.',
  })
  reconciled!: boolean;
  @Field(() => GraphQLJSONObject, { description: "The backend's event as received ({} for reconciled events)." })
  raw!: Record<string, unknown>;
}

@InterfaceType({ implements: JournalEvent, description: 'An event about a call leg.', resolveType: resolveEventType })
export abstract class ChannelEvent extends JournalEvent {
  @Field(() => ID, { nullable: true, description: 'Global id of the channel.' }) channelId!: string | null;
  @Field(() => String, { nullable: true, description: 'KAZOO account the event is about, where there is one.' })
  accountId!: string | null;
  @Field(() => String, { nullable: true, description: 'KAZOO user owning the device of the call, where known.' })
  userId!: string | null;
  @Field(() => String, { nullable: true, description: 'KAZOO device of the call, where known.' }) deviceId!:
    string | null;
  @Field(() => ChannelSnapshot, {
    nullable: true,
    description: 'The channel as this event saw it (null where the backend sent none).',
  })
  channel!: ChannelSnapshot | null;
}

@InterfaceType({
  implements: JournalEvent,
  description: 'An event about a call-center agent.',
  resolveType: resolveEventType,
})
export abstract class AgentEvent extends JournalEvent {
  @Field(() => ID, { nullable: true, description: 'Global recipient id.' }) recipientId!: string | null;
  @Field(() => String, { nullable: true, description: 'KAZOO account the event is about, where there is one.' })
  accountId!: string | null;
  @Field(() => String, { nullable: true, description: 'Qubicle queue the event is about, where there is one.' })
  queueId!: string | null;
  @Field(() => String, { nullable: true, description: 'Call id of the queue call, where there is one.' }) callId!:
    string | null;
}

@InterfaceType({
  implements: JournalEvent,
  description: 'A KAZOO document change (object.* bindings).',
  resolveType: resolveEventType,
})
export abstract class ObjectEvent extends JournalEvent {
  @Field(() => String, { nullable: true, description: 'KAZOO account the event is about, where there is one.' })
  accountId!: string | null;
}

const channelEventOpts = (description: string) => ({ implements: [ChannelEvent, JournalEvent], description });

@ObjectType(channelEventOpts('A channel appeared.'))
export class ChannelCreated extends ChannelEvent {}
@ObjectType(channelEventOpts('A channel changed state.'))
export class ChannelStateChanged extends ChannelEvent {
  @Field(() => ChannelStateEnum, { nullable: true, description: 'State before the change, when known.' })
  previousState!: ChannelStateEnum | null;
  @Field(() => ChannelStateEnum, { description: 'State after the change.' }) state!: ChannelStateEnum;
}
@ObjectType(channelEventOpts('A channel was answered (became UP).'))
export class ChannelAnswered extends ChannelEvent {}
@ObjectType(channelEventOpts('The far end put the call on hold.'))
export class ChannelHeld extends ChannelEvent {
  @Field(() => String, { nullable: true, description: 'Music-on-hold class the far end asked for, if any.' })
  musicClass!: string | null;
}
@ObjectType(channelEventOpts('The far end took the call off hold.'))
export class ChannelUnheld extends ChannelEvent {}
@ObjectType(channelEventOpts('A DTMF digit was received from the channel.'))
export class DtmfReceived extends ChannelEvent {
  @Field({ description: 'The digit: 0-9, A-D, * or #.' }) digit!: string;
  @Field(() => Int, { nullable: true, description: 'How long the key was pressed, in milliseconds.' }) durationMs!:
    number | null;
}
@ObjectType(channelEventOpts('A channel variable was set.'))
export class VariableSet extends ChannelEvent {
  @Field({ description: 'Variable name.' }) name!: string;
  @Field({ description: 'New value ("" when unset).' }) value!: string;
}
@ObjectType(channelEventOpts('The channel was bridged with another.'))
export class ChannelBridged extends ChannelEvent {
  @Field(() => String, { nullable: true, description: 'Id of the bridge, when the backend has one.' }) bridgeId!:
    string | null;
  @Field(() => ID, { nullable: true, description: 'Global id of the other channel, when known.' }) otherChannelId!:
    string | null;
}
@ObjectType(channelEventOpts('The call was parked (KAZOO PARK_PARKED).'))
export class ChannelParked extends ChannelEvent {
  @Field(() => String, { nullable: true, description: 'Parking slot.' }) slot!: string | null;
}
@ObjectType(channelEventOpts('A parked call was retrieved.'))
export class ChannelRetrieved extends ChannelEvent {
  @Field(() => String, { nullable: true, description: 'Parking slot it was retrieved from.' }) slot!: string | null;
}
@ObjectType(channelEventOpts('A parked call was abandoned.'))
export class ChannelAbandoned extends ChannelEvent {
  @Field(() => String, { nullable: true, description: 'Parking slot it was abandoned in.' }) slot!: string | null;
}
@ObjectType(channelEventOpts('Media started playing.'))
export class PlaybackStarted extends ChannelEvent {
  @Field(() => PlaybackSnapshot, { description: 'The playback as this event saw it.' }) playback!: PlaybackSnapshot;
}
@ObjectType(channelEventOpts('A playback ended (state DONE or FAILED).'))
export class PlaybackFinished extends ChannelEvent {
  @Field(() => PlaybackSnapshot, { description: 'The playback as this event saw it.' }) playback!: PlaybackSnapshot;
}
@ObjectType(channelEventOpts('A recording started.'))
export class RecordingStarted extends ChannelEvent {
  @Field(() => LiveRecording, { description: 'The recording as this event saw it.' }) recording!: LiveRecording;
}
@ObjectType(channelEventOpts('A recording ended (DONE, CANCELED or FAILED with cause).'))
export class RecordingFinished extends ChannelEvent {
  @Field(() => LiveRecording, { description: 'The recording as this event saw it.' }) recording!: LiveRecording;
}
@ObjectType(
  channelEventOpts('A hangup was requested (ARI: soft for an API hangup, else the far end with its Q.850 cause).'),
)
export class HangupRequested extends ChannelEvent {
  @Field(() => Int, { nullable: true, description: 'Q.850 cause, when the far end hung up.' }) cause!: number | null;
  @Field(() => Boolean, { nullable: true, description: 'True for a soft hangup (an API request).' }) soft!:
    boolean | null;
}
@ObjectType(channelEventOpts('The channel is gone.'))
export class ChannelDestroyed extends ChannelEvent {
  @Field(() => Int, { nullable: true, description: 'Q.850 cause code.' }) causeCode!: number | null;
  @Field(() => String, { nullable: true, description: 'Cause text, e.g. "Normal Clearing", KAZOO "NORMAL_CLEARING".' })
  causeText!: string | null;
}

@ObjectType({
  implements: [AgentEvent, JournalEvent],
  description: 'An agent logged in or out, changed status, was offered or delivered a call, or entered wrap-up.',
})
export class AgentStateChanged extends AgentEvent {
  @Field(() => AgentActionEnum, { description: 'What happened, normalised.' }) action!: AgentActionEnum;
  @Field({ description: 'Backend event name.' }) backendName!: string;
  @Field(() => AvailabilityStateEnum, {
    nullable: true,
    description: 'The state the agent entered, when the event says.',
  })
  availabilityState!: AvailabilityStateEnum | null;
  @Field(() => Recipient, { nullable: true, description: 'The agent as it is now (read fresh for each event).' })
  recipient!: Recipient | null;
}

@ObjectType({
  implements: [ObjectEvent, JournalEvent],
  description: 'A KAZOO document was created, edited or deleted.',
})
export class ObjectChanged extends ObjectEvent {
  @Field(() => ObjectActionEnum, { description: 'What happened to the document.' }) action!: ObjectActionEnum;
  @Field(() => String, { nullable: true, description: 'Document type, e.g. "user", "device".' }) docType!:
    string | null;
  @Field(() => String, { nullable: true, description: 'Document id.' }) docId!: string | null;
}

@ObjectType({
  implements: [ChannelEvent, AgentEvent, ObjectEvent, JournalEvent],
  description:
    'Your `after` cursor is older than the journal keeps (history is gone) or beyond its end (never issued, e.g. after a data reset). Rebuild from the snapshot here; live events continue after `cursor`.',
})
export class ResyncRequired extends ChannelEvent {
  @Field(() => ID, { nullable: true, description: 'Global recipient id of the agent the event is about.' })
  recipientId!: string | null;
  @Field(() => String, { nullable: true, description: 'Qubicle queue the event is about, where there is one.' })
  queueId!: string | null;
  @Field(() => String, { nullable: true, description: 'Call id of the queue call, where there is one.' }) callId!:
    string | null;
  @Field({ description: 'The cursor you asked to resume after.' }) requestedAfter!: string;
  @Field(() => [Channel], { description: 'Live channels now (every backend; filter client-side).' })
  channels!: Channel[];
  @Field(() => [Recipient], { description: 'Agents now (configured accounts of KAZOO backends).' })
  recipients!: Recipient[];
}

export const EVENT_TYPES = [
  ChannelCreated,
  ChannelStateChanged,
  ChannelAnswered,
  ChannelHeld,
  ChannelUnheld,
  DtmfReceived,
  VariableSet,
  ChannelBridged,
  ChannelParked,
  ChannelRetrieved,
  ChannelAbandoned,
  PlaybackStarted,
  PlaybackFinished,
  RecordingStarted,
  RecordingFinished,
  HangupRequested,
  ChannelDestroyed,
  AgentStateChanged,
  ObjectChanged,
  ResyncRequired,
];

@ObjectType({ description: 'An event in a page of history.' })
export class EventEdge {
  @Field({ description: 'Opaque cursor of this event: pass as `after` to continue after it.' }) cursor!: string;
  @Field(() => JournalEvent, { description: 'The event.' }) node!: JournalEvent;
}

@ObjectType({ description: 'A page of journal history, oldest first.' })
export class EventConnection {
  @Field(() => [EventEdge], { description: 'The events of this page, oldest first.' }) edges!: EventEdge[];
  @Field(() => PageInfo, { description: 'Where this page ends and whether more follow.' }) pageInfo!: PageInfo;
}
