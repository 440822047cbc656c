import {
  buildSetStatusBatch,
  mapAvailabilityState,
  mapBatchStatuses,
  mapRecipientConfig,
  mapRecipientStatus,
  mapSetStatusResults,
  recipientName,
} from '../../../src/backends/kazoo/map';

const Q1 = 'c6564319c5996b0db6f4e53d69db79d8';
const R1 = '1'.repeat(32);
const R2 = '2'.repeat(32);
const R3 = '3'.repeat(32);

const wireStatus = {
  available: true,
  availability_state: 'On-A-Call',
  queue_availability: { [Q1]: false },
  offered_call: {},
  handling_call: {
    queue_id: Q1,
    session_id: 's1',
    caller_id_name: 'Carol',
    caller_id_number: '+15550100',
    queue_enter_time: 63900000000,
  },
  wiretapping_recipient: R2,
  wiretap_mode: 'whisper',
  wrapup_time_seconds: 0,
  stats: {
    total_calls: 4,
    missed_calls: 1,
    avg_call_time: 93,
    login_time: 1700000000,
    last_action_time: 63900000100,
    last_handled_time: 0,
  },
  node: 'qubicle@host',
};

describe('mapAvailabilityState', () => {
  it.each([
    ['Ready', 'READY'],
    ['Away', 'AWAY'],
    ['Wrapup-Time', 'WRAPUP_TIME'],
    ['Call-Offer', 'CALL_OFFER'],
    ['On-A-Call', 'ON_A_CALL'],
    ['Not-Logged-In', 'NOT_LOGGED_IN'],
    ['wrapup_time', 'WRAPUP_TIME'],
    ['ready', 'READY'],
    ['Dancing', 'UNKNOWN'],
    [undefined, 'UNKNOWN'],
  ])('%s → %s', (raw, expected) => {
    expect(mapAvailabilityState(raw)).toBe(expected);
  });
});

describe('mapRecipientStatus', () => {
  it('maps every field of the status object', () => {
    expect(mapRecipientStatus(wireStatus)).toEqual({
      available: true,
      availabilityState: 'ON_A_CALL',
      rawAvailabilityState: 'On-A-Call',
      queueAvailability: [{ queueId: Q1, available: false }],
      offeredCall: null,
      handlingCall: {
        queueId: Q1,
        sessionId: 's1',
        callerIdName: 'Carol',
        callerIdNumber: '+15550100',
        queueEnterTime: new Date((63900000000 - 62167219200) * 1000),
      },
      wiretappingRecipientId: R2,
      wiretapMode: 'whisper',
      wrapupTimeSeconds: 0,
      stats: {
        totalCalls: 4,
        offeredCalls: null,
        missedCalls: 1,
        avgCallTimeSeconds: 93,
        loginTime: new Date(1700000000 * 1000),
        lastActionTime: new Date((63900000100 - 62167219200) * 1000),
        lastHandledTime: null,
      },
      node: 'qubicle@host',
    });
  });

  it('accepts queue_availability as a list and unknown wiretap modes as null', () => {
    const s = mapRecipientStatus({
      availability_state: 'Ready',
      queue_availability: [{ queue_id: Q1, available: true }],
      wiretap_mode: 'spy',
    });
    expect(s?.queueAvailability).toEqual([{ queueId: Q1, available: true }]);
    expect(s?.wiretapMode).toBeNull();
    expect(s?.stats.totalCalls).toBe(0);
  });

  it('null for "not_logged_in" and for availability Not-Logged-In', () => {
    expect(mapRecipientStatus('not_logged_in')).toBeNull();
    expect(mapRecipientStatus({ availability_state: 'Not-Logged-In', available: false })).toBeNull();
  });
});

describe('mapBatchStatuses', () => {
  it('aligns with the requested ids; "not_logged_in" and missing ids → null', () => {
    const out = mapBatchStatuses([R1, R3, R2], {
      [R1]: { ...wireStatus, availability_state: 'Ready' },
      [R3]: 'not_logged_in',
    });
    expect(out.map((s) => s?.availabilityState ?? null)).toEqual(['READY', null, null]);
  });
  it('accepts an array of statuses carrying recipient_id', () => {
    const out = mapBatchStatuses([R1, R2], [{ recipient_id: R2, availability_state: 'Away' }]);
    expect(out.map((s) => s?.availabilityState ?? null)).toEqual([null, 'AWAY']);
  });
});

describe('recipient config', () => {
  it('keeps the qubicle fields, hides the PIN', () => {
    const doc = {
      id: R1,
      first_name: 'Ann',
      last_name: 'Agent',
      username: 'ann',
      email: 'ann@example.com',
      qubicle: { enabled: true, pin: '1234', presence_id: 'q-ann', recipient: { offering: true } },
    };
    const c = mapRecipientConfig(doc);
    expect(c).toEqual({
      firstName: 'Ann',
      lastName: 'Agent',
      username: 'ann',
      email: 'ann@example.com',
      presenceId: 'q-ann',
      enabled: true,
      offering: true,
      hasPin: true,
      raw: { enabled: true, presence_id: 'q-ann', recipient: { offering: true } },
    });
    expect(JSON.stringify(c)).not.toContain('1234');
    expect(recipientName(undefined, doc)).toBe('Ann Agent');
    expect(recipientName('Listed', doc)).toBe('Listed');
    expect(recipientName(undefined, { id: R1, username: 'ann' })).toBe('ann');
  });
  it('a user without a qubicle object is not enabled', () => {
    expect(mapRecipientConfig({ id: R1 })).toMatchObject({ enabled: false, offering: null, hasPin: false, raw: {} });
  });
});

describe('set-status batch', () => {
  const items = [
    { userId: R1, status: 'ready' as const },
    { userId: R1, status: 'away' as const, queueId: Q1 },
    { userId: R2, status: 'ready' as const },
    { userId: R2, status: 'ready' as const, queueId: Q1 },
    { userId: R3, status: 'away' as const },
  ];

  it('builds {set_status:true, rid:{global|queue: status}}', () => {
    expect(buildSetStatusBatch(items)).toEqual({
      set_status: true,
      [R1]: { global: 'ready', [Q1]: 'away' },
      [R2]: { global: 'ready', [Q1]: 'ready' },
      [R3]: { global: 'away' },
    });
  });

  it('maps per-recipient per-queue ok/error in item order', () => {
    const out = mapSetStatusResults(items, {
      [R1]: { global: 'ok', [Q1]: 'ok' },
      [R2]: { global: 'ok', [Q1]: 'error' },
    });
    expect(out).toEqual([
      { userId: R1, queueId: null, status: 'ready', ok: true, error: null },
      { userId: R1, queueId: Q1, status: 'away', ok: true, error: null },
      { userId: R2, queueId: null, status: 'ready', ok: true, error: null },
      { userId: R2, queueId: Q1, status: 'ready', ok: false, error: 'error' },
      { userId: R3, queueId: null, status: 'away', ok: false, error: 'no result from KAZOO for this item' },
    ]);
  });

  it('a bare string for a recipient applies to all its items', () => {
    expect(
      mapSetStatusResults([{ userId: R3, status: 'away' }], {
        [R3]: 'not_logged_in' as unknown as Record<string, string>,
      }),
    ).toEqual([{ userId: R3, queueId: null, status: 'away', ok: false, error: 'not_logged_in' }]);
  });
});
