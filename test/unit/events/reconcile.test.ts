/** reconcileChannels: diff tables. */
import type { Channel, ChannelState } from '../../../src/domain/channel';
import type { ChannelEvent } from '../../../src/domain/events';
import { compareChannels, reconcileChannels } from '../../../src/events/reconcile';

const NOW = new Date('2026-03-01T10:00:00.000Z');

function ch(id: string, state: ChannelState, createdMs = 0, kazoo = false): Channel {
  return {
    backend: 'b',
    backendKind: kazoo ? 'kazoo' : 'ari',
    nativeId: id,
    name: `chan-${id}`,
    state,
    rawState: state,
    caller: { name: '', number: '' },
    connected: { name: '', number: '' },
    accountCode: '',
    dialplan: null,
    createdAt: new Date(Date.UTC(2026, 2, 1, 9) + createdMs),
    language: null,
    protocolId: null,
    variables: {},
    ...(kazoo ? { kazoo: { accountId: 'acc', ownerId: 'u1', authorizingId: 'd1', authorizingType: 'device' } } : {}),
  };
}

const summary = (e: ChannelEvent) => [
  e.type,
  e.ids.channelId,
  ...(e.type === 'ChannelStateChanged' ? [e.previousState, e.state] : []),
];

describe('reconcileChannels', () => {
  it.each<[string, Channel[], Channel[], unknown[][]]>([
    ['nothing known, nothing there', [], [], []],
    ['unchanged', [ch('1', 'UP')], [ch('1', 'UP')], []],
    ['new channel (already UP: created only)', [], [ch('1', 'UP')], [['ChannelCreated', '1']]],
    [
      'answered while away',
      [ch('1', 'RING')],
      [ch('1', 'UP')],
      [
        ['ChannelStateChanged', '1', 'RING', 'UP'],
        ['ChannelAnswered', '1'],
      ],
    ],
    [
      'other state change: no ChannelAnswered',
      [ch('1', 'DOWN')],
      [ch('1', 'RINGING')],
      [['ChannelStateChanged', '1', 'DOWN', 'RINGING']],
    ],
    ['left UP', [ch('1', 'UP')], [ch('1', 'BUSY')], [['ChannelStateChanged', '1', 'UP', 'BUSY']]],
    ['gone', [ch('1', 'UP')], [], [['ChannelDestroyed', '1']]],
    [
      'mixed: created/changed by createdAt then id (numeric), destroyed last in the same order',
      [ch('g2', 'UP', 5), ch('1.2', 'RING', 10), ch('g1', 'UP', 5), ch('x', 'UP', 1)],
      [ch('1.10', 'UP', 10), ch('1.2', 'UP', 10), ch('0', 'DOWN', 20), ch('x', 'UP', 1)],
      [
        ['ChannelStateChanged', '1.2', 'RING', 'UP'],
        ['ChannelAnswered', '1.2'],
        ['ChannelCreated', '1.10'],
        ['ChannelCreated', '0'],
        ['ChannelDestroyed', 'g1'],
        ['ChannelDestroyed', 'g2'],
      ],
    ],
  ])('%s', (_name, known, actual, expected) => {
    expect(reconcileChannels('b', 'ari', known, actual, NOW).map(summary)).toEqual(expected);
  });

  it('event envelope: reconciled, raw {}, both times = now; snapshots: actual for created/changed, last known for destroyed', () => {
    const before = ch('1', 'RING');
    const after = { ...ch('1', 'UP'), name: 'renamed' };
    const gone = ch('2', 'UP');
    const [changed, , destroyed] = reconcileChannels('b', 'ari', [before, gone], [after], NOW);
    expect(changed).toEqual({
      backend: 'b',
      backendKind: 'ari',
      occurredAt: NOW,
      receivedAt: NOW,
      reconciled: true,
      ids: { channelId: '1' },
      raw: {},
      category: 'channel',
      channel: after,
      type: 'ChannelStateChanged',
      previousState: 'RING',
      state: 'UP',
    });
    expect(destroyed).toMatchObject({
      type: 'ChannelDestroyed',
      channel: gone,
      causeCode: null,
      causeText: null,
      reconciled: true,
      raw: {},
    });
  });

  it('KAZOO channels: ids carry account, owner and device; backendKind from the argument', () => {
    const [e] = reconcileChannels('kz', 'kazoo', [], [ch('call-1', 'RINGING', 0, true)], NOW);
    expect([e.backend, e.backendKind, e.ids]).toEqual([
      'kz',
      'kazoo',
      { channelId: 'call-1', accountId: 'acc', userId: 'u1', deviceId: 'd1' },
    ]);
  });

  it('does not reorder its inputs', () => {
    const actual = [ch('b', 'UP', 2), ch('a', 'UP', 1)];
    reconcileChannels('b', 'ari', [], actual, NOW);
    expect(actual.map((c) => c.nativeId)).toEqual(['b', 'a']);
    expect([...actual].sort(compareChannels).map((c) => c.nativeId)).toEqual(['a', 'b']);
  });
});
