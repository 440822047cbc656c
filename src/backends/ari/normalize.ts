/**
 * ARI events-socket messages → backend-neutral events.
 *
 * | ARI                                   | domain                                                        |
 * |---------------------------------------|---------------------------------------------------------------|
 * | ChannelCreated, StasisStart           | ChannelCreated if the channel is unknown; else the state       |
 * |                                       | transition, if any (StateChanged [+ Answered])                 |
 * | ChannelStateChange                    | ChannelStateChanged [+ ChannelAnswered when it became UP]      |
 * | ChannelHold / ChannelUnhold           | ChannelHeld (musicClass; "N/A" → null) / ChannelUnheld         |
 * | ChannelDtmfReceived                   | DtmfReceived                                                   |
 * | ChannelVarset with a channel          | VariableSet (global variables, without channel: nothing)       |
 * | ChannelEnteredBridge with a channel   | ChannelBridged (other channel only if exactly one other)       |
 * | PlaybackStarted / PlaybackFinished    | PlaybackStarted / PlaybackFinished (channel id from target_uri)|
 * | RecordingStarted / RecordingFinished  | RecordingStarted / RecordingFinished                           |
 * | RecordingFailed                       | RecordingFinished, recording state FAILED                      |
 * | ChannelHangupRequest                  | HangupRequested (cause and soft as sent)                       |
 * | ChannelDestroyed                      | ChannelDestroyed (causeCode = cause, causeText = cause_txt)    |
 *
 * Everything else produces nothing: StasisEnd, Dial, ChannelDialplan, ChannelCallerId,
 * ChannelConnectedLine, ChannelLeftBridge, ChannelUserevent, ChannelToneDetected,
 * ChannelTalkingStarted/Finished, ChannelTransfer, PlaybackContinuing, Bridge* (Created,
 * Destroyed, Merged, VideoSourceChanged, BlindTransfer, AttendedTransfer), DeviceStateChanged,
 * EndpointStateChange, PeerStatusChange, ContactStatusChange, Application* (Replaced,
 * Registered, Unregistered, MoveFailed), TextMessageReceived, RESTResponse, CallBroadcast,
 * CallClaimed, MissingParams. Their channel snapshots (dialplan, caller id, connected line) can
 * still refresh the live view: BackendEvent.refresh (event-source.ts).
 *
 * HangupRequested.cause is ARI's `cause` verbatim: after an ARI DELETE it is the soft-hangup
 * flag 32 (AST_SOFTHANGUP_EXPLICIT), not a Q.850 code (docs/wire/ari.md §3.4); a far-end hangup
 * sends the Q.850 cause. The two cannot be told apart reliably (the capture shows soft:true
 * with 16 too), so no rewriting.
 */
import { mapChannel, mapLiveRecording, mapPlayback, parseAriTime } from './map';
import type * as W from './wire.generated';
import type { Channel } from '../../domain/channel';
import type { NormalizedEvent } from '../../domain/events';
import { arrival, channelEvent, stateTransition, type EventEnvelope } from '../../domain/event-envelope';

export interface AriNormalizeContext {
  /** The channel as known before this event (LiveView.previous), undefined when unknown. */
  previous(channelId: string): Channel | undefined;
  /** Default: now. */
  receivedAt?: Date;
}

const CHANNEL_TYPES = new Set([
  'ChannelCreated',
  'StasisStart',
  'ChannelStateChange',
  'ChannelHold',
  'ChannelUnhold',
  'ChannelDtmfReceived',
  'ChannelHangupRequest',
  'ChannelDestroyed',
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isWireChannel(v: unknown): v is W.Channel {
  return isObject(v) && typeof v.id === 'string';
}

function eventTime(raw: unknown, fallback: Date): Date {
  if (typeof raw !== 'string') return fallback;
  try {
    return parseAriTime(raw);
  } catch {
    // A malformed timestamp must not lose the event.
    return fallback;
  }
}

/** mapChannel, except that a bad creationtime falls back to `at` instead of throwing. */
function snapshot(backend: string, c: W.Channel, at: Date): Channel {
  try {
    return mapChannel(backend, c);
  } catch {
    return mapChannel(backend, { ...c, creationtime: at.toISOString() });
  }
}

/** "channel:<id>" → id; bridges and anything else → undefined. */
export function channelIdFromTargetUri(uri: string | undefined): string | undefined {
  if (typeof uri !== 'string' || !uri.startsWith('channel:')) return undefined;
  const id = uri.slice('channel:'.length);
  return id.length > 0 ? id : undefined;
}

/** The channel snapshot a message carries (`channel`, or a Dial's `peer`), mapped; else null. */
export function ariChannelSnapshot(backend: string, msg: W.AriMessage, receivedAt: Date = new Date()): Channel | null {
  const m = msg as unknown as Record<string, unknown>;
  const wire = (m.channel ?? (m.type === 'Dial' ? m.peer : undefined)) as W.Channel | undefined;
  if (!isWireChannel(wire)) return null;
  return snapshot(backend, wire, eventTime(m.timestamp, receivedAt));
}

export function normalizeAriEvent(backend: string, msg: W.AriMessage, ctx: AriNormalizeContext): NormalizedEvent[] {
  const receivedAt = ctx.receivedAt ?? new Date();
  const raw = msg as unknown as Record<string, unknown>;
  const occurredAt = eventTime(raw.timestamp, receivedAt);
  const env = (channelId: string | undefined): EventEnvelope => ({
    backend,
    backendKind: 'ari',
    occurredAt,
    receivedAt,
    reconciled: false,
    ids: channelId === undefined ? {} : { channelId },
    raw,
  });
  const withChannel = (c: W.Channel) => {
    const channel = snapshot(backend, c, occurredAt);
    return { channel, env: env(channel.nativeId), previous: ctx.previous(channel.nativeId) };
  };
  // Swagger requires these; a frame without them is dropped rather than allowed to throw.
  if (CHANNEL_TYPES.has(msg.type) && !isWireChannel(raw.channel)) return [];
  if ((msg.type === 'PlaybackStarted' || msg.type === 'PlaybackFinished') && !isObject(raw.playback)) return [];
  if (msg.type.startsWith('Recording') && !isObject(raw.recording)) return [];

  switch (msg.type) {
    case 'ChannelCreated':
    case 'StasisStart': {
      const { channel, env: e, previous } = withChannel(msg.channel);
      return arrival(e, channel, previous);
    }
    case 'ChannelStateChange': {
      const { channel, env: e, previous } = withChannel(msg.channel);
      return stateTransition(e, channel, previous?.state ?? null);
    }
    case 'ChannelHold': {
      const { channel, env: e } = withChannel(msg.channel);
      const musicClass = msg.musicclass && msg.musicclass !== 'N/A' ? msg.musicclass : null;
      return [channelEvent(e, channel, { type: 'ChannelHeld', musicClass })];
    }
    case 'ChannelUnhold': {
      const { channel, env: e } = withChannel(msg.channel);
      return [channelEvent(e, channel, { type: 'ChannelUnheld' })];
    }
    case 'ChannelDtmfReceived': {
      const { channel, env: e } = withChannel(msg.channel);
      const durationMs = typeof msg.duration_ms === 'number' ? msg.duration_ms : null;
      return [channelEvent(e, channel, { type: 'DtmfReceived', digit: msg.digit, durationMs })];
    }
    case 'ChannelVarset': {
      if (!isWireChannel(msg.channel)) return [];
      const { channel, env: e } = withChannel(msg.channel);
      return [channelEvent(e, channel, { type: 'VariableSet', name: msg.variable, value: msg.value ?? '' })];
    }
    case 'ChannelEnteredBridge': {
      if (!isWireChannel(msg.channel)) return [];
      const { channel, env: e } = withChannel(msg.channel);
      const others = (msg.bridge?.channels ?? []).filter((id) => id !== channel.nativeId);
      const otherChannelId = others.length === 1 ? others[0] : null;
      return [channelEvent(e, channel, { type: 'ChannelBridged', bridgeId: msg.bridge?.id ?? null, otherChannelId })];
    }
    case 'PlaybackStarted':
    case 'PlaybackFinished': {
      const playback = mapPlayback(backend, msg.playback);
      return [channelEvent(env(channelIdFromTargetUri(msg.playback.target_uri)), null, { type: msg.type, playback })];
    }
    case 'RecordingStarted':
    case 'RecordingFinished':
    case 'RecordingFailed': {
      const recording = mapLiveRecording(backend, msg.recording);
      const e = env(channelIdFromTargetUri(msg.recording.target_uri));
      if (msg.type === 'RecordingStarted') return [channelEvent(e, null, { type: 'RecordingStarted', recording })];
      const finished = msg.type === 'RecordingFailed' ? { ...recording, state: 'FAILED' as const } : recording;
      return [channelEvent(e, null, { type: 'RecordingFinished', recording: finished })];
    }
    case 'ChannelHangupRequest': {
      const { channel, env: e } = withChannel(msg.channel);
      const cause = typeof msg.cause === 'number' ? msg.cause : null;
      const soft = typeof msg.soft === 'boolean' ? msg.soft : null;
      return [channelEvent(e, channel, { type: 'HangupRequested', cause, soft })];
    }
    case 'ChannelDestroyed': {
      const { channel, env: e } = withChannel(msg.channel);
      const causeCode = typeof msg.cause === 'number' ? msg.cause : null;
      const causeText = typeof msg.cause_txt === 'string' ? msg.cause_txt : null;
      return [channelEvent(e, channel, { type: 'ChannelDestroyed', causeCode, causeText })];
    }
    default:
      return [];
  }
}
