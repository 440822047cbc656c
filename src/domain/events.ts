/**
 * Backend-neutral events. Backends' wire events are normalised into these (backends/<kind>/normalize.ts),
 * appended to the journal (which assigns the cursor) before anyone sees them, then fanned out.
 *
 * `type` is also the GraphQL type name of the event.
 */
import type { BackendKind, Channel, ChannelState, LiveRecording, Playback } from './channel';
import type { AvailabilityState } from './recipient';

export const CHANNEL_EVENT_TYPES = [
  'ChannelCreated',
  'ChannelStateChanged',
  'ChannelAnswered',
  'ChannelHeld',
  'ChannelUnheld',
  'DtmfReceived',
  'VariableSet',
  'ChannelBridged',
  'ChannelParked',
  'ChannelRetrieved',
  'ChannelAbandoned',
  'PlaybackStarted',
  'PlaybackFinished',
  'RecordingStarted',
  'RecordingFinished',
  'HangupRequested',
  'ChannelDestroyed',
] as const;
export type ChannelEventType = (typeof CHANNEL_EVENT_TYPES)[number];

export type EventCategory = 'channel' | 'agent' | 'object';

/** Ids an event is about, native (not global) and only where known; used by filters. */
export interface EventIds {
  channelId?: string;
  accountId?: string;
  userId?: string;
  deviceId?: string;
  recipientId?: string;
  queueId?: string;
  /** KAZOO call id of the queue call an agent event is about. */
  callId?: string;
}

interface EventBase {
  backend: string;
  backendKind: BackendKind;
  /** Backend time. */
  occurredAt: Date;
  /** When patchbay received it (or synthesised it, for reconciled events). */
  receivedAt: Date;
  /** Synthesised after a reconnect from a diff of what we knew and what the backend lists. */
  reconciled: boolean;
  ids: EventIds;
  /** The backend's event exactly as received ({} for reconciled events). */
  raw: Record<string, unknown>;
}

/** Per-type data of channel events. */
export type ChannelEventData =
  | { type: 'ChannelCreated' }
  | { type: 'ChannelStateChanged'; previousState: ChannelState | null; state: ChannelState }
  | { type: 'ChannelAnswered' }
  | { type: 'ChannelHeld'; musicClass: string | null }
  | { type: 'ChannelUnheld' }
  | { type: 'DtmfReceived'; digit: string; durationMs: number | null }
  | { type: 'VariableSet'; name: string; value: string }
  | { type: 'ChannelBridged'; bridgeId: string | null; otherChannelId: string | null }
  | { type: 'ChannelParked'; slot: string | null }
  | { type: 'ChannelRetrieved'; slot: string | null }
  | { type: 'ChannelAbandoned'; slot: string | null }
  | { type: 'PlaybackStarted'; playback: Playback }
  | { type: 'PlaybackFinished'; playback: Playback }
  | { type: 'RecordingStarted'; recording: LiveRecording }
  | { type: 'RecordingFinished'; recording: LiveRecording }
  | { type: 'HangupRequested'; cause: number | null; soft: boolean | null }
  | { type: 'ChannelDestroyed'; causeCode: number | null; causeText: string | null };

export type ChannelEvent = EventBase & {
  category: 'channel';
  /** The channel as the event saw it; null where the backend sent no snapshot. */
  channel: Channel | null;
} & ChannelEventData;

export type AgentAction =
  'LOGIN' | 'LOGOUT' | 'READY' | 'AWAY' | 'OFFERED' | 'DELIVERED' | 'REJECTED' | 'WRAPUP' | 'OTHER';

export type AgentEvent = EventBase & {
  category: 'agent';
  type: 'AgentStateChanged';
  action: AgentAction;
  /** Backend event name, e.g. "ready", "offer", "wrapup". */
  backendName: string;
  availabilityState: AvailabilityState | null;
};

/** Blackhole's object event names (docs/wire/kazoo.md §4.6). */
export const OBJECT_ACTIONS = ['doc_created', 'doc_edited', 'doc_deleted'] as const;
export type ObjectAction = (typeof OBJECT_ACTIONS)[number];

export type ObjectEvent = EventBase & {
  category: 'object';
  type: 'ObjectChanged';
  action: ObjectAction;
  docType: string | null;
  docId: string | null;
};

/** What ingest produces, before the journal gives it a cursor. */
export type NormalizedEvent = ChannelEvent | AgentEvent | ObjectEvent;

/** The journal's cursor: a decimal string of a monotonically increasing sequence. */
export type Journaled<E extends NormalizedEvent = NormalizedEvent> = E & { cursor: string };
