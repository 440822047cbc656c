/** LiveView: what each event does to the per-backend channel map; health flags. */
import type { Channel, ChannelState } from '../../../src/domain/channel';
import type { ChannelEvent, ChannelEventData, NormalizedEvent } from '../../../src/domain/events';
import { LiveView } from '../../../src/events/live-view';
import { normalizeAriEvent } from '../../../src/backends/ari/normalize';
import { reconcileChannels } from '../../../src/events/reconcile';
import { captured } from '../ari/fixtures/ari-capture';

const AT = new Date('2026-03-01T10:00:00.000Z');

function ch(id: string, state: ChannelState = 'UP', createdMs = 0, backend = 'b'): Channel {
  return {
    backend,
    backendKind: 'ari',
    nativeId: id,
    name: id,
    state,
    rawState: state,
    caller: { name: '', number: '' },
    connected: { name: '', number: '' },
    accountCode: '',
    dialplan: null,
    createdAt: new Date(AT.getTime() + createdMs),
    language: null,
    protocolId: null,
    variables: {},
  };
}

function ev(data: ChannelEventData, channel: Channel | null, channelId?: string, backend = 'b'): ChannelEvent {
  const ids = channelId ?? channel?.nativeId;
  return {
    backend,
    backendKind: 'ari',
    occurredAt: AT,
    receivedAt: AT,
    reconciled: false,
    ids: ids ? { channelId: ids } : {},
    raw: {},
    category: 'channel',
    channel,
    ...data,
  } as ChannelEvent;
}

const ids = (v: LiveView, backend = 'b') => v.list(backend).map((c) => `${c.nativeId}:${c.state}`);

describe('apply', () => {
  it.each<[string, Channel[], NormalizedEvent, string[]]>([
    ['ChannelCreated adds', [], ev({ type: 'ChannelCreated' }, ch('1', 'DOWN')), ['1:DOWN']],
    [
      'a state change replaces the snapshot',
      [ch('1', 'RING')],
      ev({ type: 'ChannelStateChanged', previousState: 'RING', state: 'UP' }, ch('1', 'UP')),
      ['1:UP'],
    ],
    [
      'any event with a snapshot upserts (even an unknown channel)',
      [],
      ev({ type: 'DtmfReceived', digit: '1', durationMs: 100 }, ch('9', 'UP')),
      ['9:UP'],
    ],
    [
      'ChannelDestroyed removes',
      [ch('1'), ch('2', 'UP', 1)],
      ev({ type: 'ChannelDestroyed', causeCode: 16, causeText: 'Normal Clearing' }, ch('1')),
      ['2:UP'],
    ],
    [
      'ChannelDestroyed without a snapshot removes by ids.channelId',
      [ch('1')],
      ev({ type: 'ChannelDestroyed', causeCode: null, causeText: null }, null, '1'),
      [],
    ],
    [
      'ChannelDestroyed of an unknown channel is harmless',
      [ch('1')],
      ev({ type: 'ChannelDestroyed', causeCode: null, causeText: null }, ch('7')),
      ['1:UP'],
    ],
    [
      'a snapshot-less playback event changes nothing',
      [ch('1')],
      ev(
        {
          type: 'PlaybackStarted',
          playback: {
            backend: 'b',
            nativeId: 'p',
            mediaUri: 'sound:x',
            nextMediaUri: null,
            targetUri: 'channel:1',
            language: null,
            state: 'PLAYING',
          },
        },
        null,
        '1',
      ),
      ['1:UP'],
    ],
    [
      'agent events change nothing',
      [ch('1')],
      {
        backend: 'b',
        backendKind: 'kazoo',
        occurredAt: AT,
        receivedAt: AT,
        reconciled: false,
        ids: { recipientId: 'r' },
        raw: {},
        category: 'agent',
        type: 'AgentStateChanged',
        action: 'READY',
        backendName: 'ready',
        availabilityState: 'READY',
      },
      ['1:UP'],
    ],
    [
      'another backend is untouched',
      [ch('1')],
      ev({ type: 'ChannelCreated' }, ch('1', 'DOWN', 0, 'other'), undefined, 'other'),
      ['1:UP'],
    ],
  ])('%s', (_name, initial, event, expected) => {
    const v = new LiveView();
    v.replace('b', initial);
    v.apply(event);
    expect(ids(v)).toEqual(expected);
  });

  it('KAZOO channels are keyed by call id', () => {
    const v = new LiveView();
    const call = { ...ch('3f2a9c01@10.26.0.91', 'RING'), backendKind: 'kazoo' as const, kazoo: { accountId: 'acc' } };
    v.apply(ev({ type: 'ChannelCreated' }, call));
    expect(v.get('b', '3f2a9c01@10.26.0.91')).toBe(call);
  });
});

describe('list, get, previous, refresh, replace', () => {
  it('lists by creation time; equal times keep first-seen order, also after an upsert', () => {
    const v = new LiveView();
    for (const c of [ch('late', 'UP', 50), ch('b', 'UP', 10), ch('a', 'UP', 10), ch('early', 'UP', 0)])
      v.apply(ev({ type: 'ChannelCreated' }, c));
    v.apply(ev({ type: 'ChannelStateChanged', previousState: 'UP', state: 'BUSY' }, ch('b', 'BUSY', 10)));
    expect(ids(v)).toEqual(['early:UP', 'b:BUSY', 'a:UP', 'late:UP']);
  });

  it('get and previous return the current snapshot or undefined; contextFor binds the backend', () => {
    const v = new LiveView();
    const c = ch('1');
    v.apply(ev({ type: 'ChannelCreated' }, c));
    expect([v.get('b', '1'), v.previous('b', '1'), v.get('b', '2'), v.get('nope', '1')]).toEqual([
      c,
      c,
      undefined,
      undefined,
    ]);
    const ctx = v.contextFor('b', AT);
    expect([ctx.previous('1'), ctx.receivedAt]).toEqual([c, AT]);
  });

  it('refresh updates known channels only', () => {
    const v = new LiveView();
    v.replace('b', [ch('1', 'RING')]);
    expect(v.refresh({ ...ch('1', 'RING'), name: 'new' })).toBe(true);
    expect(v.get('b', '1')?.name).toBe('new');
    expect(v.refresh(ch('2'))).toBe(false);
    expect(v.get('b', '2')).toBeUndefined();
  });

  it('replace swaps the whole backend; list of an unknown backend is []', () => {
    const v = new LiveView();
    v.replace('b', [ch('1'), ch('2')]);
    v.replace('b', [ch('3')]);
    expect(ids(v)).toEqual(['3:UP']);
    expect(v.list('unknown')).toEqual([]);
  });

  it('after a reconcile, a late live ChannelCreated of a listed channel adds no event', () => {
    const v = new LiveView();
    const msg = captured(1);
    const listed = normalizeAriEvent('b', msg, { previous: () => undefined, receivedAt: AT })[0] as ChannelEvent;
    const reconciled = reconcileChannels('b', 'ari', v.list('b'), [listed.channel!], AT);
    expect(reconciled.map((e) => e.type)).toEqual(['ChannelCreated']);
    v.replace('b', [listed.channel!]);
    expect(normalizeAriEvent('b', msg, v.contextFor('b', AT))).toEqual([]);
  });
});

describe('health', () => {
  it('unhealthy until marked; per backend; forget clears channels and health', () => {
    const v = new LiveView();
    expect(v.isHealthy('b')).toBe(false);
    v.markHealthy('b', true);
    expect([v.isHealthy('b'), v.isHealthy('c')]).toEqual([true, false]);
    v.markHealthy('b', false);
    expect(v.isHealthy('b')).toBe(false);
    v.markHealthy('b', true);
    v.replace('b', [ch('1')]);
    v.forget('b');
    expect([v.isHealthy('b'), v.list('b')]).toEqual([false, []]);
  });
});
