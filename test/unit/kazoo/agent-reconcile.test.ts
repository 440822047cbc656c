/** reconcileRecipients: the Qubicle agent diff a KAZOO reconcile journals. */
import type { AgentEvent } from '../../../src/domain/events';
import type { AvailabilityState } from '../../../src/domain/recipient';
import { parseRecipientKey, recipientKey } from '../../../src/domain/recipient-key';
import { reconcileRecipients } from '../../../src/backends/kazoo/agent-reconcile';

const NOW = new Date('2026-03-01T10:00:00.000Z');

describe('reconcileRecipients', () => {
  const k1 = recipientKey('acc', 'r1');
  const k2 = recipientKey('acc', 'r2');
  const m = (entries: [string, AvailabilityState][]) => new Map(entries);
  const summaryA = (e: AgentEvent) => [e.ids.recipientId, e.action, e.backendName, e.availabilityState];

  it.each<[string, [string, AvailabilityState][], [string, AvailabilityState][], unknown[][]]>([
    ['unchanged', [[k1, 'READY']], [[k1, 'READY']], []],
    ['ready → away', [[k1, 'READY']], [[k1, 'AWAY']], [['r1', 'AWAY', 'away', 'AWAY']]],
    ['away → ready', [[k1, 'AWAY']], [[k1, 'READY']], [['r1', 'READY', 'ready', 'READY']]],
    ['ready → call offer', [[k1, 'READY']], [[k1, 'CALL_OFFER']], [['r1', 'OFFERED', 'offer', 'CALL_OFFER']]],
    ['offer → on a call', [[k1, 'CALL_OFFER']], [[k1, 'ON_A_CALL']], [['r1', 'DELIVERED', 'delivered', 'ON_A_CALL']]],
    ['on a call → wrap-up', [[k1, 'ON_A_CALL']], [[k1, 'WRAPUP_TIME']], [['r1', 'WRAPUP', 'wrapup', 'WRAPUP_TIME']]],
    ['logged out', [[k1, 'READY']], [[k1, 'NOT_LOGGED_IN']], [['r1', 'LOGOUT', 'delete', 'NOT_LOGGED_IN']]],
    ['missing from actual = logged out', [[k1, 'AWAY']], [], [['r1', 'LOGOUT', 'delete', 'NOT_LOGGED_IN']]],
    [
      'logged in, landed in away: LOGIN only',
      [[k1, 'NOT_LOGGED_IN']],
      [[k1, 'AWAY']],
      [['r1', 'LOGIN', 'create', 'AWAY']],
    ],
    [
      'logged in and already ready: LOGIN then READY',
      [],
      [[k1, 'READY']],
      [
        ['r1', 'LOGIN', 'create', 'READY'],
        ['r1', 'READY', 'ready', 'READY'],
      ],
    ],
    ['unknown state', [[k1, 'READY']], [[k1, 'UNKNOWN']], [['r1', 'OTHER', '', 'UNKNOWN']]],
    ['both not logged in (explicit and missing)', [[k1, 'NOT_LOGGED_IN']], [], []],
    [
      'ordered by key',
      [
        [k2, 'READY'],
        [k1, 'READY'],
      ],
      [
        [k2, 'AWAY'],
        [k1, 'AWAY'],
      ],
      [
        ['r1', 'AWAY', 'away', 'AWAY'],
        ['r2', 'AWAY', 'away', 'AWAY'],
      ],
    ],
  ])('%s', (_name, known, actual, expected) => {
    expect(reconcileRecipients('kz', m(known), m(actual), NOW).map(summaryA)).toEqual(expected);
  });

  it('envelope: kazoo, reconciled, raw {}, ids recipientId + accountId', () => {
    expect(reconcileRecipients('kz', m([]), m([[k1, 'AWAY']]), NOW)).toEqual([
      {
        backend: 'kz',
        backendKind: 'kazoo',
        occurredAt: NOW,
        receivedAt: NOW,
        reconciled: true,
        ids: { recipientId: 'r1', accountId: 'acc' },
        raw: {},
        category: 'agent',
        type: 'AgentStateChanged',
        action: 'LOGIN',
        backendName: 'create',
        availabilityState: 'AWAY',
      },
    ]);
  });

  it('recipient keys round-trip; a key without an account gives no accountId', () => {
    expect(parseRecipientKey(recipientKey('acc', 'r1'))).toEqual({ accountId: 'acc', recipientId: 'r1' });
    expect(reconcileRecipients('kz', m([['/r9', 'READY']]), m([]), NOW)[0].ids).toEqual({ recipientId: 'r9' });
  });
});
