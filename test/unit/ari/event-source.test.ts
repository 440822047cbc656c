/**
 * AriEventSource: what ingest learns of each ARI message (placement against a channel list,
 * refresh, domain events) and what it asks of Asterisk around a reconcile, with the socket and
 * the app subscription replaced by hooks.
 */
import { AriEventSource } from '../../../src/backends/ari/event-source';
import type { BackendEvent } from '../../../src/backends/types';
import type * as W from '../../../src/backends/ari/wire.generated';
import { wireChannel } from './fixtures/wire-channel';

const channel = (state: string): W.Channel => wireChannel({ state });
const base = { timestamp: '2026-11-23T18:00:05.250+0000', application: 'test' };

function setup() {
  const listeners = new Set<(m: W.AriMessage) => void>();
  const calls: string[] = [];
  const socket = {
    onEvent: (l: (m: W.AriMessage) => void) => (listeners.add(l), () => listeners.delete(l)),
    onConnectionChange: () => () => undefined,
    reconnect: () => void calls.push('reconnect'),
  };
  const source = new AriEventSource({
    backend: 'pbx1',
    socket,
    subscribeAll: async (ctx) => void calls.push(`subscribeAll:${ctx.requestId}`),
  });
  const got: BackendEvent[] = [];
  const off = source.onEvent((e) => got.push(e));
  const emit = (m: object) => listeners.forEach((l) => l(m as W.AriMessage));
  return { source, got, emit, calls, off };
}

describe('AriEventSource events', () => {
  it('a channel event: placed by its snapshot, refreshes the view, maps through normalize', () => {
    const { got, emit } = setup();
    emit({ ...base, type: 'ChannelStateChange', channel: channel('Up') });
    const [e] = got;
    expect([e.channelId, e.snapshot?.state, e.destroys, e.refresh?.nativeId]).toEqual(['c-1', 'UP', false, 'c-1']);
    expect(e.toDomain(() => undefined).map((d) => d.type)).toEqual(['ChannelStateChanged', 'ChannelAnswered']);
  });

  it('ChannelDestroyed ends the channel and refreshes nothing', () => {
    const { got, emit } = setup();
    emit({ ...base, type: 'ChannelDestroyed', cause: 16, cause_txt: 'Normal Clearing', channel: channel('Up') });
    expect([got[0].channelId, got[0].destroys, got[0].refresh]).toEqual(['c-1', true, null]);
  });

  it('a playback is placed on the channel of its target_uri, without a snapshot', () => {
    const { got, emit } = setup();
    emit({
      ...base,
      type: 'PlaybackStarted',
      playback: { id: 'p', media_uri: 'sound:x', target_uri: 'channel:c-9', state: 'playing' },
    });
    expect([got[0].channelId, got[0].snapshot, got[0].refresh]).toEqual(['c-9', null, null]);
  });

  it('an event applied later (held during a reconcile) keeps the time it arrived', () => {
    const { got, emit } = setup();
    const before = Date.now();
    emit({ ...base, type: 'ChannelVarset', variable: 'X', value: '1', channel: channel('Up') });
    const after = Date.now();
    // Let the clock move on, so a time taken when applying could not pass for the arrival time.
    while (Date.now() <= after) continue;
    const [d] = got[0].toDomain(() => undefined);
    expect(d.receivedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(d.receivedAt.getTime()).toBeLessThanOrEqual(after);
    expect(got[0].toDomain(() => undefined)[0].receivedAt).toEqual(d.receivedAt);
  });

  it('unsubscribing stops delivery', () => {
    const { got, emit, off } = setup();
    off();
    emit({ ...base, type: 'ChannelStateChange', channel: channel('Up') });
    expect(got).toEqual([]);
  });
});

describe('AriEventSource reconcile hooks', () => {
  it('subscribes the app to everything before the list, reclaims by reconnecting, has no agents', async () => {
    const { source, calls } = setup();
    await source.prepareReconcile({ requestId: 'reconcile-pbx1' });
    expect(source.reclaim()).toBe('reconnecting');
    expect(calls).toEqual(['subscribeAll:reconcile-pbx1', 'reconnect']);
    expect(await source.reconcileAgents()).toBeNull();
  });
});
