/** normalizeKazooEvent on frames shaped by the KAZOO simulator and mapped by the real client mapper. */
import type { KazooEvent } from '../../../src/backends/kazoo/operations';
import { mapBlackholeEvent } from '../../../src/backends/kazoo/map/event';
import type { Channel } from '../../../src/domain/channel';
import type { AgentEvent, ChannelEvent, NormalizedEvent } from '../../../src/domain/events';
import { LiveView } from '../../../src/events/live-view';
import { normalizeKazooEvent } from '../../../src/backends/kazoo/normalize';
import { q850FromCauseName } from '../../../src/backends/kazoo/hangup-causes';
import { agentActionForEventName } from '../../../src/backends/kazoo/agent-actions';
import {
  A_LEG,
  ACCOUNT,
  ALICE,
  ALICE_DEVICE,
  B_LEG,
  BACKEND,
  CALL_FIELDS,
  OLIVIA,
  OLIVIA_DEVICE,
  QUEUE,
  RECEIVED,
  T0,
  aLeg,
  bLeg,
  callFrame,
  recipient,
  recipientFrame,
} from './fixtures/kazoo-frames';

const secs = (offsetMs: number) => new Date(Math.floor((T0 + offsetMs) / 1000) * 1000).toISOString();

function replay(view: LiveView, frames: KazooEvent[]): NormalizedEvent[] {
  const out: NormalizedEvent[] = [];
  for (const f of frames) {
    const events = normalizeKazooEvent(BACKEND, f, view.contextFor(BACKEND));
    for (const e of events) view.apply(e);
    out.push(...events);
  }
  return out;
}

function summary(e: NormalizedEvent): unknown[] {
  if (e.category === 'agent') return [e.action, e.backendName, e.ids.recipientId, e.availabilityState];
  if (e.category === 'object') return [e.type, e.action];
  const base = [e.type, e.ids.channelId, e.occurredAt.toISOString()];
  switch (e.type) {
    case 'ChannelStateChanged':
      return [...base, e.previousState, e.state];
    case 'ChannelBridged':
      return [...base, e.bridgeId, e.otherChannelId];
    case 'ChannelDestroyed':
      return [...base, e.causeCode, e.causeText];
    default:
      return base;
  }
}

/** The simulator's call lifecycle (calls.ts): ring, answer B then A, bridge, hang up both legs. */
function directCall(): KazooEvent[] {
  const a = aLeg();
  const b = bLeg();
  const frames = [callFrame(a, 'CHANNEL_CREATE', T0), callFrame(b, 'CHANNEL_CREATE', T0 + 20)];
  for (const leg of [b, a])
    Object.assign(leg, { answered: true, answeredMs: T0 + 4000, callState: 'ACTIVE', channelState: 'EXECUTE' });
  frames.push(callFrame(b, 'CHANNEL_ANSWER', T0 + 4000), callFrame(a, 'CHANNEL_ANSWER', T0 + 4000));
  Object.assign(a, { otherLeg: B_LEG, channelState: 'EXCHANGE_MEDIA' });
  Object.assign(b, { channelState: 'EXCHANGE_MEDIA' });
  frames.push(callFrame(a, 'CHANNEL_BRIDGE', T0 + 4000));
  for (const leg of [a, b])
    Object.assign(leg, {
      endedMs: T0 + 9000,
      hangupCause: 'NORMAL_CLEARING',
      hangupCode: 'sip:200',
      callState: 'HANGUP',
      channelState: 'HANGUP',
    });
  frames.push(callFrame(a, 'CHANNEL_DESTROY', T0 + 9000), callFrame(b, 'CHANNEL_DESTROY', T0 + 9000));
  return frames;
}

describe('call events', () => {
  it('a direct call, create → answer → bridge → destroy, in order with KAZOO times (Gregorian seconds)', () => {
    const view = new LiveView();
    const events = replay(view, directCall());
    expect(events.map(summary)).toEqual([
      ['ChannelCreated', A_LEG, secs(0)],
      ['ChannelCreated', B_LEG, secs(20)],
      ['ChannelStateChanged', B_LEG, secs(4000), 'RINGING', 'UP'],
      ['ChannelAnswered', B_LEG, secs(4000)],
      ['ChannelStateChanged', A_LEG, secs(4000), 'RING', 'UP'],
      ['ChannelAnswered', A_LEG, secs(4000)],
      ['ChannelBridged', A_LEG, secs(4000), A_LEG, B_LEG],
      ['ChannelDestroyed', A_LEG, secs(9000), 16, 'NORMAL_CLEARING'],
      ['ChannelDestroyed', B_LEG, secs(9000), 16, 'NORMAL_CLEARING'],
    ]);
    expect(
      events.every(
        (e) => e.backend === BACKEND && e.backendKind === 'kazoo' && !e.reconciled && e.receivedAt === RECEIVED,
      ),
    ).toBe(true);
    expect(view.list(BACKEND)).toEqual([]);
  });

  it('ids: call id, account, owner as user, authorizing device; raw is the payload; snapshot from the event', () => {
    const frame = callFrame(aLeg(), 'CHANNEL_CREATE', T0);
    const [e] = normalizeKazooEvent(BACKEND, frame, { previous: () => undefined }) as ChannelEvent[];
    expect(e.ids).toEqual({ channelId: A_LEG, accountId: ACCOUNT, userId: OLIVIA, deviceId: OLIVIA_DEVICE });
    expect(e.raw).toBe(frame.raw);
    expect(e.raw).toMatchObject({ call_id: A_LEG, event_name: 'CHANNEL_CREATE', channel_call_state: 'RINGING' });
    expect(e.channel).toMatchObject({
      backend: BACKEND,
      backendKind: 'kazoo',
      nativeId: A_LEG,
      state: 'RING',
      caller: { name: 'Olivia Owner', number: '1000' },
      createdAt: new Date(T0),
      kazoo: {
        accountId: ACCOUNT,
        direction: 'inbound',
        ownerId: OLIVIA,
        authorizingId: OLIVIA_DEVICE,
        authorizingType: 'device',
      },
    });
    const [b] = normalizeKazooEvent(BACKEND, callFrame(bLeg(), 'CHANNEL_CREATE', T0), { previous: () => undefined });
    expect(b.ids).toEqual({ channelId: B_LEG, accountId: ACCOUNT, userId: ALICE, deviceId: ALICE_DEVICE });
  });

  it('a carrier leg (authorizing type resource) has no deviceId', () => {
    const leg = { ...aLeg(), deviceId: undefined, ownerId: undefined, resourceId: 'e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0' };
    const [e] = normalizeKazooEvent(BACKEND, callFrame(leg, 'CHANNEL_CREATE', T0), { previous: () => undefined });
    expect(e.ids).toEqual({ channelId: A_LEG, accountId: ACCOUNT });
  });

  it('a duplicate CHANNEL_CREATE (two matching bindings) and a repeated CHANNEL_ANSWER add nothing', () => {
    const view = new LiveView();
    const create = callFrame(aLeg(), 'CHANNEL_CREATE', T0);
    const answered = { ...aLeg(), answered: true, callState: 'ACTIVE' as const };
    const answer = callFrame(answered, 'CHANNEL_ANSWER', T0 + 1000);
    expect(replay(view, [create, create, answer, answer]).map((e) => e.type)).toEqual([
      'ChannelCreated',
      'ChannelStateChanged',
      'ChannelAnswered',
    ]);
  });

  it('CHANNEL_ANSWER for an unknown call: previousState null', () => {
    const answered = { ...aLeg(), answered: true, callState: 'ACTIVE' as const };
    expect(
      normalizeKazooEvent(BACKEND, callFrame(answered, 'CHANNEL_ANSWER', T0), { previous: () => undefined }).map(
        summary,
      ),
    ).toEqual([
      ['ChannelStateChanged', A_LEG, secs(0), null, 'UP'],
      ['ChannelAnswered', A_LEG, secs(0)],
    ]);
  });

  it('ORIGINATOR_CANCEL (FreeSWITCH-only cause) → causeCode null, name kept', () => {
    const leg = { ...bLeg(), endedMs: T0 + 3000, hangupCause: 'ORIGINATOR_CANCEL', callState: 'HANGUP' as const };
    expect(
      normalizeKazooEvent(BACKEND, callFrame(leg, 'CHANNEL_DESTROY', T0 + 3000), { previous: () => undefined }),
    ).toMatchObject([
      { type: 'ChannelDestroyed', causeCode: null, causeText: 'ORIGINATOR_CANCEL', channel: { state: 'DOWN' } },
    ]);
  });

  it('HOLD, UNHOLD, PARK_* (slot when present), DTMF; unknown call event names produce nothing', () => {
    const frame = (name: string, extra: Record<string, unknown> = {}): KazooEvent =>
      mapBlackholeEvent(BACKEND, ACCOUNT, {
        action: 'event',
        subscribed_key: 'call.*.*',
        name,
        routing_key: `call.${ACCOUNT}.${name}.abc`,
        data: {
          call_id: 'abc',
          event_name: name,
          event_category: 'call_event',
          timestamp: 63900000000,
          custom_channel_vars: { account_id: ACCOUNT },
          ...extra,
        },
      });
    const run = (f: KazooEvent) => normalizeKazooEvent(BACKEND, f, { previous: () => undefined, receivedAt: RECEIVED });
    expect(run(frame('CHANNEL_HOLD'))).toMatchObject([
      { type: 'ChannelHeld', musicClass: null, ids: { channelId: 'abc', accountId: ACCOUNT } },
    ]);
    expect(run(frame('CHANNEL_UNHOLD'))).toMatchObject([{ type: 'ChannelUnheld' }]);
    expect(run(frame('PARK_PARKED', { parking_slot: '101' }))).toMatchObject([{ type: 'ChannelParked', slot: '101' }]);
    expect(run(frame('PARK_RETRIEVED', { slot_number: 101 }))).toMatchObject([
      { type: 'ChannelRetrieved', slot: '101' },
    ]);
    expect(run(frame('PARK_ABANDONED'))).toMatchObject([{ type: 'ChannelAbandoned', slot: null }]);
    expect(run(frame('DTMF', { dtmf_digit: '5', dtmf_duration: 1600 }))).toMatchObject([
      { type: 'DtmfReceived', digit: '5', durationMs: null },
    ]);
    expect(run(frame('DTMF'))).toEqual([]);
    expect(run(frame('CHANNEL_UNBRIDGE'))).toEqual([]);
    expect(run(frame('CHANNEL_CREATE'))[0].receivedAt).toBe(RECEIVED);
  });
});

describe('Qubicle recipient events → AgentStateChanged', () => {
  it('a queue call as the simulator emits it: create, ready, offer, delivered, wrapup, ready, then a reject and a logout', () => {
    const frames = [
      recipientFrame(recipient(ALICE, 'Away'), 'create', T0),
      recipientFrame(recipient(ALICE, 'Ready'), 'ready', T0 + 1000),
      recipientFrame(recipient(ALICE, 'Call-Offer'), 'offer', T0 + 2000, CALL_FIELDS),
      recipientFrame(recipient(ALICE, 'On-A-Call'), 'delivered', T0 + 3000, CALL_FIELDS),
      recipientFrame(recipient(ALICE, 'Wrapup-Time'), 'wrapup', T0 + 9000, { queue_id: QUEUE, wrapup_time_seconds: 2 }),
      recipientFrame(recipient(ALICE, 'Ready'), 'ready', T0 + 11000),
      recipientFrame(recipient(ALICE, 'Ready'), 'reject', T0 + 12000, CALL_FIELDS),
      recipientFrame(recipient(ALICE, 'Not-Logged-In', false), 'delete', T0 + 13000, { reason: 'logout' }),
      recipientFrame(recipient(ALICE, 'Ready'), 'Wiretap-Start', T0 + 14000, {
        target_id: OLIVIA,
        mode: 'whisper',
        session_id: A_LEG,
      }),
    ];
    const events = replay(new LiveView(), frames) as AgentEvent[];
    expect(events.map(summary)).toEqual([
      ['LOGIN', 'create', ALICE, 'AWAY'],
      ['READY', 'ready', ALICE, 'READY'],
      ['OFFERED', 'offer', ALICE, 'CALL_OFFER'],
      ['DELIVERED', 'delivered', ALICE, 'ON_A_CALL'],
      ['WRAPUP', 'wrapup', ALICE, 'WRAPUP_TIME'],
      ['READY', 'ready', ALICE, 'READY'],
      ['REJECTED', 'reject', ALICE, 'READY'],
      ['LOGOUT', 'delete', ALICE, 'NOT_LOGGED_IN'],
      ['OTHER', 'Wiretap-Start', ALICE, 'READY'],
    ]);
    expect(events.map((e) => e.ids)).toEqual([
      { recipientId: ALICE, accountId: ACCOUNT },
      { recipientId: ALICE, accountId: ACCOUNT },
      { recipientId: ALICE, accountId: ACCOUNT, queueId: QUEUE, callId: A_LEG },
      { recipientId: ALICE, accountId: ACCOUNT, queueId: QUEUE, callId: A_LEG },
      { recipientId: ALICE, accountId: ACCOUNT, queueId: QUEUE },
      { recipientId: ALICE, accountId: ACCOUNT },
      { recipientId: ALICE, accountId: ACCOUNT, queueId: QUEUE, callId: A_LEG },
      { recipientId: ALICE, accountId: ACCOUNT },
      { recipientId: ALICE, accountId: ACCOUNT, callId: A_LEG },
    ]);
    expect(events[1]).toEqual({
      backend: BACKEND,
      backendKind: 'kazoo',
      occurredAt: new Date(T0 + 1000),
      receivedAt: RECEIVED,
      reconciled: false,
      ids: { recipientId: ALICE, accountId: ACCOUNT },
      raw: frames[1].raw,
      category: 'agent',
      type: 'AgentStateChanged',
      action: 'READY',
      backendName: 'ready',
      availabilityState: 'READY',
    });
  });

  it('event names map case-insensitively; login/logout/connected/timeout aliases; anything else OTHER', () => {
    const names = [
      'create',
      'LOGIN',
      'delete',
      'logout',
      'Ready',
      'away',
      'offer',
      'delivered',
      'connected',
      'reject',
      'timeout',
      'wrapup',
      'Wiretap-Failed',
      '',
    ];
    expect(names.map(agentActionForEventName)).toEqual([
      'LOGIN',
      'LOGIN',
      'LOGOUT',
      'LOGOUT',
      'READY',
      'AWAY',
      'OFFERED',
      'DELIVERED',
      'DELIVERED',
      'REJECTED',
      'REJECTED',
      'WRAPUP',
      'OTHER',
      'OTHER',
    ]);
  });
});

describe('object and other events', () => {
  it('doc_edited → ObjectChanged; queue and fax events → nothing', () => {
    const obj = mapBlackholeEvent(
      BACKEND,
      ACCOUNT,
      {
        action: 'event',
        subscribed_key: 'object.*.*',
        name: 'doc_edited',
        routing_key: 'doc_edited.account%2F4b%2F31%2Fdd1d32ce6d249897c06332375d65.user.abc',
        data: {
          id: 'abc',
          type: 'user',
          account_id: ACCOUNT,
          event_name: 'doc_edited',
          event_category: 'configuration',
          rev: '2-x',
        },
      },
      RECEIVED,
    );
    expect(normalizeKazooEvent(BACKEND, obj, { previous: () => undefined })).toEqual([
      {
        backend: BACKEND,
        backendKind: 'kazoo',
        occurredAt: RECEIVED,
        receivedAt: RECEIVED,
        reconciled: false,
        ids: { accountId: ACCOUNT },
        raw: obj.raw,
        category: 'object',
        type: 'ObjectChanged',
        action: 'doc_edited',
        docType: 'user',
        docId: 'abc',
      },
    ]);
    const queue = mapBlackholeEvent(BACKEND, ACCOUNT, {
      action: 'event',
      subscribed_key: 'qubicle.queue',
      name: 'join',
      routing_key: `qubicle.queue.${ACCOUNT}.${QUEUE}`,
      data: { event_category: 'qubicle-queue', event_name: 'join' },
    });
    expect(normalizeKazooEvent(BACKEND, queue, { previous: () => undefined })).toEqual([]);
  });

  it('the backend argument names events and snapshots', () => {
    const [e] = normalizeKazooEvent('other-name', callFrame(aLeg(), 'CHANNEL_CREATE', T0), {
      previous: () => undefined,
    }) as ChannelEvent[];
    expect([e.backend, (e.channel as Channel).backend]).toEqual(['other-name', 'other-name']);
  });
});

describe('q850FromCauseName', () => {
  it.each([
    ['NORMAL_CLEARING', 16],
    ['USER_BUSY', 17],
    ['NO_USER_RESPONSE', 18],
    ['NO_ANSWER', 19],
    ['CALL_REJECTED', 21],
    ['UNALLOCATED_NUMBER', 1],
    ['NORMAL_TEMPORARY_FAILURE', 41],
    ['INTERWORKING', 127],
    ['normal_clearing', 16],
    ['ORIGINATOR_CANCEL', null],
    ['LOSE_RACE', null],
    ['MEDIA_TIMEOUT', null],
    ['', null],
    [null, null],
  ])('%s → %s', (name, code) => {
    expect(q850FromCauseName(name)).toBe(code);
  });
});
