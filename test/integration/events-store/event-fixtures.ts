/** One normalised event of every type, with every Date and id shape the codec must carry. */
import type { Channel } from '../../../src/domain/channel';
import type {
  AgentEvent,
  ChannelEvent,
  ChannelEventData,
  NormalizedEvent,
  ObjectEvent,
} from '../../../src/domain/events';

const T0 = Date.parse('2026-11-23T10:00:00.123Z');
export const at = (offsetMs: number): Date => new Date(T0 + offsetMs);

export function ariChannel(nativeId: string): Channel {
  return {
    backend: 'pbx1',
    backendKind: 'ari',
    nativeId,
    name: `PJSIP/alice-${nativeId}`,
    state: 'UP',
    rawState: 'Up',
    caller: { name: 'Alice', number: '1001' },
    connected: { name: '', number: '' },
    accountCode: '',
    dialplan: { context: 'ari-test', exten: 's', priority: 1, appName: 'Stasis', appData: 'patchbay' },
    createdAt: at(-5000),
    language: 'en',
    protocolId: null,
    // A variable named like a codec tag must come back as a string map.
    variables: { CDR_PROP: 'x', $date: '2026-01-01T00:00:00.000Z' },
  };
}

export function kazooChannel(nativeId: string): Channel {
  return {
    backend: 'kazoo-eu',
    backendKind: 'kazoo',
    nativeId,
    name: nativeId,
    state: 'RINGING',
    rawState: 'ringing',
    caller: { name: 'Bob', number: '+4420' },
    connected: { name: 'Carol', number: '+4421' },
    accountCode: '',
    dialplan: null,
    createdAt: at(-7000),
    language: null,
    protocolId: null,
    variables: {},
    kazoo: {
      accountId: 'acct1',
      direction: 'inbound',
      answered: false,
      ownerId: 'user1',
      callee: { name: 'Carol', number: '+4421' },
      raw: { timestamp: 63900000000, custom_channel_vars: { 'Account-ID': 'acct1' }, when: '2026-11-23T09:00:00Z' },
    },
  };
}

const CHANNEL_DATA: ChannelEventData[] = [
  { type: 'ChannelCreated' },
  { type: 'ChannelStateChanged', previousState: null, state: 'RING' },
  { type: 'ChannelAnswered' },
  { type: 'ChannelHeld', musicClass: 'default' },
  { type: 'ChannelUnheld' },
  { type: 'DtmfReceived', digit: '#', durationMs: 120 },
  { type: 'VariableSet', name: 'FOO', value: '2026-11-23T10:00:00.000Z' },
  { type: 'ChannelBridged', bridgeId: 'br-1', otherChannelId: null },
  { type: 'ChannelParked', slot: '701' },
  { type: 'ChannelRetrieved', slot: null },
  { type: 'ChannelAbandoned', slot: '702' },
  {
    type: 'PlaybackStarted',
    playback: {
      backend: 'pbx1',
      nativeId: 'pb-1',
      mediaUri: 'sound:hello',
      nextMediaUri: null,
      targetUri: 'channel:c1',
      language: 'en',
      state: 'PLAYING',
    },
  },
  {
    type: 'PlaybackFinished',
    playback: {
      backend: 'pbx1',
      nativeId: 'pb-1',
      mediaUri: 'sound:hello',
      nextMediaUri: 'sound:bye',
      targetUri: 'channel:c1',
      language: null,
      state: 'DONE',
    },
  },
  {
    type: 'RecordingStarted',
    recording: {
      backend: 'pbx1',
      name: 'rec1',
      format: 'wav',
      targetUri: 'channel:c1',
      state: 'RECORDING',
      durationSeconds: null,
      talkingDurationSeconds: null,
      silenceDurationSeconds: null,
      cause: null,
    },
  },
  {
    type: 'RecordingFinished',
    recording: {
      backend: 'pbx1',
      name: 'rec1',
      format: 'wav',
      targetUri: 'channel:c1',
      state: 'DONE',
      durationSeconds: 12,
      talkingDurationSeconds: 9,
      silenceDurationSeconds: 3,
      cause: null,
    },
  },
  { type: 'HangupRequested', cause: 16, soft: false },
  { type: 'ChannelDestroyed', causeCode: 16, causeText: 'Normal Clearing' },
];

/** Every channel event type on ARI channel `c1`, one ms apart. */
export function channelEvents(channelId = 'c1', startMs = 0): ChannelEvent[] {
  return CHANNEL_DATA.map((data, i): ChannelEvent => ({
    backend: 'pbx1',
    backendKind: 'ari',
    occurredAt: at(startMs + i),
    receivedAt: at(startMs + i + 2),
    reconciled: i === 2,
    ids: { channelId },
    raw: { type: data.type, timestamp: '2026-11-23T10:00:00.123+0000', nested: { $date: 'not a tag in raw' } },
    category: 'channel',
    channel: i === 0 ? null : ariChannel(channelId),
    ...data,
  }));
}

export function kazooChannelEvent(callId: string, offsetMs = 0): ChannelEvent {
  return {
    backend: 'kazoo-eu',
    backendKind: 'kazoo',
    occurredAt: at(offsetMs),
    receivedAt: at(offsetMs + 1),
    reconciled: false,
    ids: { channelId: callId, accountId: 'acct1', userId: 'user1', deviceId: 'dev1' },
    raw: { name: 'CHANNEL_CREATE', call_id: callId },
    category: 'channel',
    channel: kazooChannel(callId),
    type: 'ChannelCreated',
  };
}

export function agentEvent(recipientId: string, offsetMs = 0): AgentEvent {
  return {
    backend: 'kazoo-eu',
    backendKind: 'kazoo',
    occurredAt: at(offsetMs),
    receivedAt: at(offsetMs + 1),
    reconciled: false,
    ids: { accountId: 'acct1', recipientId, userId: recipientId, queueId: 'q1', callId: 'call-9' },
    raw: { event: 'ready', recipient_id: recipientId },
    category: 'agent',
    type: 'AgentStateChanged',
    action: 'READY',
    backendName: 'ready',
    availabilityState: 'READY',
  };
}

export function objectEvent(docId: string, offsetMs = 0): ObjectEvent {
  return {
    backend: 'kazoo-eu',
    backendKind: 'kazoo',
    occurredAt: at(offsetMs),
    receivedAt: at(offsetMs + 1),
    reconciled: false,
    ids: { accountId: 'acct2' },
    raw: {},
    category: 'object',
    type: 'ObjectChanged',
    action: 'doc_edited',
    docType: 'device',
    docId,
  };
}

/** 17 channel events + a KAZOO channel event + an agent event + an object event. */
export function everyEventType(): NormalizedEvent[] {
  return [...channelEvents(), kazooChannelEvent('call-1', 100), agentEvent('agent1', 200), objectEvent('doc1', 300)];
}

/** A small channel event received at `receivedAt`, for volume and retention tests. */
export function tinyEvent(n: number, receivedAt: Date = at(n)): ChannelEvent {
  return {
    backend: n % 2 === 0 ? 'pbx1' : 'pbx2',
    backendKind: 'ari',
    occurredAt: receivedAt,
    receivedAt,
    reconciled: false,
    ids: { channelId: `ch-${n}` },
    raw: { n },
    category: 'channel',
    channel: null,
    type: 'DtmfReceived',
    digit: String(n % 10),
    durationMs: n,
  };
}

/** Polls until `check` holds; fails with `what` after timeoutMs. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
