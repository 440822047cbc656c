/** normalizeAriEvent against the real Asterisk 22 capture, plus the event types the capture lacks. */
import { mapChannel } from '../../../src/backends/ari/map';
import type * as W from '../../../src/backends/ari/wire.generated';
import type { ChannelEvent, NormalizedEvent } from '../../../src/domain/events';
import { LiveView } from '../../../src/events/live-view';
import { ariChannelSnapshot, channelIdFromTargetUri, normalizeAriEvent } from '../../../src/backends/ari/normalize';
import { CAPTURE_LENGTH, captured } from './fixtures/ari-capture';
import { wireChannel } from './fixtures/wire-channel';

const B = 'pbx1';
const RECEIVED = new Date('2026-11-23T18:17:00.000Z');
const C0 = '1795457805.0';
const C1 = '1795457805.1';

/** What ingest does: normalise against the view, then apply what came out. */
function replay(view: LiveView, frames: number[]): NormalizedEvent[] {
  const out: NormalizedEvent[] = [];
  for (const n of frames) {
    const events = normalizeAriEvent(B, captured(n), view.contextFor(B, RECEIVED));
    for (const e of events) view.apply(e);
    out.push(...events);
  }
  return out;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The parts of a channel event that differ per type, for compact sequence assertions. */
function summary(e: NormalizedEvent): unknown[] {
  if (e.category !== 'channel') return [e.type];
  const base = [e.type, e.ids.channelId ?? null, e.occurredAt.toISOString()];
  switch (e.type) {
    case 'ChannelStateChanged':
      return [...base, e.previousState, e.state];
    case 'VariableSet':
      return [...base, e.name, e.value];
    case 'DtmfReceived':
      return [...base, e.digit, e.durationMs];
    case 'HangupRequested':
      return [...base, e.cause, e.soft];
    case 'ChannelDestroyed':
      return [...base, e.causeCode, e.causeText];
    case 'PlaybackStarted':
    case 'PlaybackFinished':
      return [...base, e.playback.nativeId, e.playback.state];
    default:
      return base;
  }
}

describe('the Asterisk 22 capture, replayed', () => {
  it('R4 originate (#1–#13): created twice, both answered, STASISSTATUS set; StasisStart of a known channel adds nothing', () => {
    const events = replay(new LiveView(), range(1, 13));
    expect(events.map(summary)).toEqual([
      ['ChannelCreated', C0, '2026-11-23T18:16:45.563Z'],
      ['ChannelCreated', C1, '2026-11-23T18:16:45.563Z'],
      ['ChannelStateChanged', C1, '2026-11-23T18:16:45.568Z', 'RING', 'UP'],
      ['ChannelAnswered', C1, '2026-11-23T18:16:45.568Z'],
      ['ChannelStateChanged', C0, '2026-11-23T18:16:45.568Z', 'DOWN', 'UP'],
      ['ChannelAnswered', C0, '2026-11-23T18:16:45.568Z'],
      ['VariableSet', C0, '2026-11-23T18:16:45.568Z', 'STASISSTATUS', ''],
    ]);
  });

  it('#1 in full: envelope, ids, mapped snapshot, raw is the message', () => {
    const msg = captured(1) as W.ChannelCreated;
    const [e] = normalizeAriEvent(B, msg, { previous: () => undefined, receivedAt: RECEIVED });
    expect(e).toEqual({
      backend: B,
      backendKind: 'ari',
      occurredAt: new Date('2026-11-23T18:16:45.563Z'),
      receivedAt: RECEIVED,
      reconciled: false,
      ids: { channelId: C0 },
      raw: msg,
      category: 'channel',
      channel: mapChannel(B, msg.channel),
      type: 'ChannelCreated',
    });
    expect((e as ChannelEvent).channel).toMatchObject({
      nativeId: C0,
      state: 'DOWN',
      rawState: 'Down',
      name: 'Local/wait@ari-test-00000000;1',
    });
  });

  it('the whole session (#1–#28) in order, ending with an empty view', () => {
    const view = new LiveView();
    const events = replay(view, range(1, CAPTURE_LENGTH));
    expect(events).toHaveLength(19);
    expect(events.map(summary).slice(7)).toEqual([
      // R11 playback: no snapshot in the event, channel id from target_uri
      ['PlaybackStarted', C0, '2026-11-23T18:16:48.330Z', '3adbcd4c-e6fb-4eb0-8a36-331f40a52245', 'PLAYING'],
      ['PlaybackFinished', C0, '2026-11-23T18:16:49.357Z', '3adbcd4c-e6fb-4eb0-8a36-331f40a52245', 'DONE'],
      // R16
      ['VariableSet', C0, '2026-11-23T18:16:50.597Z', 'FOO', 'bar'],
      // R18: DTMF sent to .0 is received on the other half of the Local channel
      ['DtmfReceived', C1, '2026-11-23T18:16:51.602Z', '1', 100],
      ['DtmfReceived', C1, '2026-11-23T18:16:51.803Z', '2', 100],
      ['DtmfReceived', C1, '2026-11-23T18:16:52.003Z', '3', 100],
      // R26: soft hangup flag 32 passed through; StasisEnd and DeviceStateChanged produce nothing
      ['HangupRequested', C0, '2026-11-23T18:16:55.733Z', 32, true],
      ['VariableSet', C0, '2026-11-23T18:16:55.734Z', 'STASISSTATUS', 'SUCCESS'],
      ['HangupRequested', C1, '2026-11-23T18:16:55.734Z', 16, null],
      ['HangupRequested', C1, '2026-11-23T18:16:55.734Z', 16, true],
      ['ChannelDestroyed', C1, '2026-11-23T18:16:55.735Z', 16, 'Normal Clearing'],
      ['ChannelDestroyed', C0, '2026-11-23T18:16:55.735Z', 16, 'Normal Clearing'],
    ]);
    expect(
      events.every((e) => e.backend === B && e.backendKind === 'ari' && !e.reconciled && e.receivedAt === RECEIVED),
    ).toBe(true);
    expect(view.list(B)).toEqual([]);
  });

  it('R11 playback events carry the mapped playback and no channel snapshot', () => {
    const [started] = normalizeAriEvent(B, captured(14), { previous: () => undefined, receivedAt: RECEIVED });
    expect(started).toMatchObject({
      type: 'PlaybackStarted',
      channel: null,
      ids: { channelId: C0 },
      playback: {
        backend: B,
        nativeId: '3adbcd4c-e6fb-4eb0-8a36-331f40a52245',
        mediaUri: 'sound:hello-world',
        nextMediaUri: null,
        targetUri: `channel:${C0}`,
        language: 'en',
        state: 'PLAYING',
      },
    });
  });

  it('R26 destroy carries the last snapshot and removes the channel from the view', () => {
    const view = new LiveView();
    replay(view, range(1, 24));
    expect(view.list(B).map((c) => c.nativeId)).toEqual([C0, C1]);
    const [destroyed] = normalizeAriEvent(B, captured(25), view.contextFor(B, RECEIVED));
    expect(destroyed).toMatchObject({
      type: 'ChannelDestroyed',
      causeCode: 16,
      causeText: 'Normal Clearing',
      channel: { nativeId: C1, state: 'UP' },
    });
    view.apply(destroyed);
    expect(view.list(B).map((c) => c.nativeId)).toEqual([C0]);
  });

  it('snapshots of dropped types (ChannelDialplan #13) refresh a known channel in the view', () => {
    const view = new LiveView();
    replay(view, range(1, 12));
    expect(normalizeAriEvent(B, captured(13), view.contextFor(B, RECEIVED))).toEqual([]);
    const snap = ariChannelSnapshot(B, captured(13), RECEIVED)!;
    expect(view.refresh(snap)).toBe(true);
    expect(view.get(B, C1)?.dialplan).toEqual({
      context: 'ari-test',
      exten: 'wait',
      priority: 2,
      appName: 'Wait',
      appData: '3600',
    });
    // Dial carries its channel as `peer`
    expect(ariChannelSnapshot(B, captured(4))?.nativeId).toBe(C0);
    expect(ariChannelSnapshot(B, captured(8))).toBeNull();
  });
});

const TS = '2026-11-23T18:00:05.250+0000';
const base = { timestamp: TS, application: 'test', asterisk_id: '02:fc:00:00:00:01' };
const none = () => undefined;
const run = (msg: object, previous: (id: string) => ReturnType<typeof mapChannel> | undefined = none) =>
  normalizeAriEvent(B, msg as W.AriMessage, { previous, receivedAt: RECEIVED });
const known = (over: Partial<W.Channel>) => () => mapChannel(B, wireChannel(over));

describe('arrival and state rules', () => {
  it('StasisStart of an unknown channel (entered from the dialplan) → ChannelCreated', () => {
    expect(run({ ...base, type: 'StasisStart', args: [], channel: wireChannel() }).map((e) => e.type)).toEqual([
      'ChannelCreated',
    ]);
  });
  it('StasisStart of a known channel in another state → ChannelStateChanged + ChannelAnswered', () => {
    const events = run({ ...base, type: 'StasisStart', args: [], channel: wireChannel() }, known({ state: 'Ring' }));
    expect(events.map(summary)).toEqual([
      ['ChannelStateChanged', 'c-1', '2026-11-23T18:00:05.250Z', 'RING', 'UP'],
      ['ChannelAnswered', 'c-1', '2026-11-23T18:00:05.250Z'],
    ]);
  });
  it('ChannelCreated of a channel already known (seen by a REST list first) → nothing new', () => {
    expect(run({ ...base, type: 'ChannelCreated', channel: wireChannel() }, known({}))).toEqual([]);
  });
  it('ChannelStateChange: previous unknown → previousState null (+ Answered on Up); same state → nothing; non-Up → no Answered', () => {
    expect(run({ ...base, type: 'ChannelStateChange', channel: wireChannel() }).map(summary)).toEqual([
      ['ChannelStateChanged', 'c-1', '2026-11-23T18:00:05.250Z', null, 'UP'],
      ['ChannelAnswered', 'c-1', '2026-11-23T18:00:05.250Z'],
    ]);
    expect(run({ ...base, type: 'ChannelStateChange', channel: wireChannel() }, known({ state: 'Up' }))).toEqual([]);
    expect(
      run(
        { ...base, type: 'ChannelStateChange', channel: wireChannel({ state: 'Ringing' }) },
        known({ state: 'Ring' }),
      ).map(summary),
    ).toEqual([['ChannelStateChanged', 'c-1', '2026-11-23T18:00:05.250Z', 'RING', 'RINGING']]);
  });
});

describe('types the capture does not show', () => {
  it('ChannelHold (musicclass, "N/A" → null) and ChannelUnhold', () => {
    const held = run({ ...base, type: 'ChannelHold', musicclass: 'default', channel: wireChannel() });
    expect(held).toMatchObject([{ type: 'ChannelHeld', musicClass: 'default', ids: { channelId: 'c-1' } }]);
    expect(run({ ...base, type: 'ChannelHold', musicclass: 'N/A', channel: wireChannel() })).toMatchObject([
      { musicClass: null },
    ]);
    expect(run({ ...base, type: 'ChannelUnhold', channel: wireChannel() })).toMatchObject([{ type: 'ChannelUnheld' }]);
  });

  it('ChannelEnteredBridge: the other channel only when exactly one other is in the bridge', () => {
    const bridge = (channels: string[]): W.Bridge => ({
      id: 'br-1',
      technology: 'simple_bridge',
      bridge_type: 'mixing',
      bridge_class: 'stasis',
      creator: 'Stasis',
      name: '',
      channels,
      creationtime: TS,
    });
    const entered = (channels: string[]) =>
      run({ ...base, type: 'ChannelEnteredBridge', bridge: bridge(channels), channel: wireChannel() });
    expect(entered(['c-1', 'c-2'])).toMatchObject([
      { type: 'ChannelBridged', bridgeId: 'br-1', otherChannelId: 'c-2' },
    ]);
    expect(entered(['c-1'])).toMatchObject([{ otherChannelId: null }]);
    expect(entered(['c-1', 'c-2', 'c-3'])).toMatchObject([{ otherChannelId: null }]);
    expect(run({ ...base, type: 'ChannelEnteredBridge', bridge: bridge(['c-2']) })).toEqual([]);
  });

  it('recordings: started, finished, failed → RecordingFinished with state FAILED and the cause', () => {
    const rec = (state: string, cause?: string): W.LiveRecording => ({
      name: 'r1',
      format: 'wav',
      target_uri: 'channel:c-1',
      state,
      ...(cause ? { cause } : {}),
    });
    expect(run({ ...base, type: 'RecordingStarted', recording: rec('recording') })).toMatchObject([
      {
        type: 'RecordingStarted',
        channel: null,
        ids: { channelId: 'c-1' },
        recording: { name: 'r1', state: 'RECORDING' },
      },
    ]);
    expect(run({ ...base, type: 'RecordingFinished', recording: { ...rec('done'), duration: 4 } })).toMatchObject([
      { type: 'RecordingFinished', recording: { state: 'DONE', durationSeconds: 4 } },
    ]);
    expect(run({ ...base, type: 'RecordingFailed', recording: rec('failed', 'disk full') })).toMatchObject([
      { type: 'RecordingFinished', recording: { state: 'FAILED', cause: 'disk full' } },
    ]);
  });

  it('a bridge playback has no channel id', () => {
    const [e] = run({
      ...base,
      type: 'PlaybackStarted',
      playback: { id: 'p', media_uri: 'sound:x', target_uri: 'bridge:br-1', state: 'playing' },
    });
    expect(e.ids).toEqual({});
  });

  it('far-end hangup: Q.850 cause, no soft flag', () => {
    expect(run({ ...base, type: 'ChannelHangupRequest', cause: 17, channel: wireChannel() })).toMatchObject([
      { type: 'HangupRequested', cause: 17, soft: null },
    ]);
  });

  it('produces nothing for the documented list of other types, a global ChannelVarset, PlaybackContinuing, MissingParams', () => {
    const ch = { channel: wireChannel() };
    const dropped: object[] = [
      { ...base, type: 'StasisEnd', ...ch },
      { ...base, type: 'Dial', dialstatus: 'RINGING', peer: wireChannel() },
      { ...base, type: 'ChannelDialplan', dialplan_app: 'Wait', dialplan_app_data: '1', ...ch },
      { ...base, type: 'ChannelCallerId', caller_presentation: 0, caller_presentation_txt: 'x', ...ch },
      { ...base, type: 'ChannelConnectedLine', ...ch },
      { ...base, type: 'ChannelLeftBridge', bridge: { id: 'b', channels: [] }, ...ch },
      { ...base, type: 'ChannelTalkingStarted', ...ch },
      { ...base, type: 'DeviceStateChanged', device_state: { name: 'PJSIP/alice', state: 'INUSE' } },
      { ...base, type: 'ApplicationReplaced' },
      { ...base, type: 'BridgeCreated', bridge: { id: 'b', channels: [] } },
      {
        ...base,
        type: 'PlaybackContinuing',
        playback: { id: 'p', media_uri: 'sound:x', target_uri: 'channel:c-1', state: 'continuing' },
      },
      { ...base, type: 'ChannelVarset', variable: 'GLOBAL_X', value: '1' },
      { type: 'MissingParams', params: ['app'] },
    ];
    for (const msg of dropped)
      expect([(msg as { type: string }).type, run(msg)]).toEqual([(msg as { type: string }).type, []]);
  });
});

describe('robustness', () => {
  it('an unparsable timestamp falls back to receivedAt; a bad creationtime falls back to the event time', () => {
    const [e] = run({ ...base, timestamp: 'yesterday', type: 'ChannelCreated', channel: wireChannel() });
    expect(e.occurredAt).toEqual(RECEIVED);
    const [f] = run({
      ...base,
      type: 'ChannelCreated',
      channel: wireChannel({ creationtime: 'soon' }),
    }) as ChannelEvent[];
    expect(f.channel?.createdAt).toEqual(new Date('2026-11-23T18:00:05.250Z'));
  });
  it('a channel event without its channel is dropped instead of throwing', () => {
    expect(run({ ...base, type: 'ChannelStateChange' })).toEqual([]);
    expect(run({ ...base, type: 'PlaybackStarted' })).toEqual([]);
  });
  it('channelIdFromTargetUri', () => {
    expect([
      channelIdFromTargetUri('channel:1.2'),
      channelIdFromTargetUri('bridge:x'),
      channelIdFromTargetUri('channel:'),
      channelIdFromTargetUri(undefined),
    ]).toEqual(['1.2', undefined, undefined, undefined]);
  });
});
