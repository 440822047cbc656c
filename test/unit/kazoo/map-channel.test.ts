import { channelFromCallEvent, channelState, mapChannel } from '../../../src/backends/kazoo/map';

const ACCOUNT = '4b31dd1d32ce6d249897c06332375d65';

// The seed document's list entry, verbatim.
const seedListItem = {
  answered: true,
  authorizing_id: '63fbb9ac78e11f3ccb387928a423798a',
  authorizing_type: 'device',
  destination: 'user_zu0bf7',
  direction: 'outbound' as const,
  other_leg: 'd220c187-e18edc42-bab2459d@10.26.0.91',
  owner_id: '72855158432d790dfb22d03ff64c033e',
  presence_id: 'user_zu0bf7@account.realm.com',
  timestamp: 63573977746,
  username: 'user_zu0bf7',
  uuid: 'dab25c76-7479-4ed2-ba92-6b725d68e351',
};

describe('channelState', () => {
  it('answered → UP whatever the direction', () => {
    expect(channelState(true, 'inbound')).toEqual({ state: 'UP', rawState: 'answered' });
    expect(channelState(true, 'outbound')).toEqual({ state: 'UP', rawState: 'answered' });
  });
  it('unanswered inbound → RING, outbound → RINGING, unknown → RING', () => {
    expect(channelState(false, 'inbound')).toEqual({ state: 'RING', rawState: 'unanswered' });
    expect(channelState(false, 'outbound')).toEqual({ state: 'RINGING', rawState: 'unanswered' });
    expect(channelState(undefined, undefined)).toEqual({ state: 'RING', rawState: 'unanswered' });
  });
});

describe('mapChannel', () => {
  it('maps the seed list entry', () => {
    const c = mapChannel('kz1', seedListItem, ACCOUNT);
    expect(c).toEqual({
      backend: 'kz1',
      backendKind: 'kazoo',
      nativeId: 'dab25c76-7479-4ed2-ba92-6b725d68e351',
      name: 'user_zu0bf7@account.realm.com',
      state: 'UP',
      rawState: 'answered',
      caller: { name: '', number: '' },
      connected: { name: '', number: '' },
      accountCode: '',
      dialplan: null,
      createdAt: new Date('2014-07-30T22:15:46.000Z'),
      language: null,
      protocolId: null,
      variables: {},
      kazoo: {
        accountId: ACCOUNT,
        direction: 'outbound',
        answered: true,
        ownerId: '72855158432d790dfb22d03ff64c033e',
        authorizingId: '63fbb9ac78e11f3ccb387928a423798a',
        authorizingType: 'device',
        presenceId: 'user_zu0bf7@account.realm.com',
        destination: 'user_zu0bf7',
        username: 'user_zu0bf7',
        callee: { name: '', number: '' },
        otherLegCallId: 'd220c187-e18edc42-bab2459d@10.26.0.91',
        raw: seedListItem,
      },
    });
  });

  it('maps the detail form (call_id, call_direction, other_leg_call_id, ids, CCVs)', () => {
    const c = mapChannel(
      'kz1',
      {
        call_id: 'at6dmu4ffk97vnlp6qfq',
        answered: false,
        call_direction: 'inbound',
        caller_id_name: 'Alice',
        caller_id_number: '1001',
        callee_id_name: 'Bob',
        callee_id_number: '1002',
        other_leg_call_id: 'leg-b',
        timestamp: 63610891956,
        custom_channel_vars: { account_id: 'f'.repeat(32), channel_authorized: 'true', n: 3 },
        username: 'user_abc',
      },
      ACCOUNT,
    );
    expect(c.nativeId).toBe('at6dmu4ffk97vnlp6qfq');
    expect(c.state).toBe('RING');
    expect(c.caller).toEqual({ name: 'Alice', number: '1001' });
    expect(c.connected).toEqual({ name: 'Bob', number: '1002' });
    expect(c.kazoo?.callee).toEqual({ name: 'Bob', number: '1002' });
    expect(c.kazoo?.otherLegCallId).toBe('leg-b');
    expect(c.kazoo?.direction).toBe('inbound');
    expect(c.kazoo?.accountId).toBe('f'.repeat(32));
    expect(c.createdAt.toISOString()).toBe('2015-10-01T04:12:36.000Z');
    expect(c.variables).toEqual({ account_id: 'f'.repeat(32), channel_authorized: 'true', n: '3' });
    expect(c.name).toBe('user_abc');
  });

  it('without timestamp, createdAt comes from elapsed seconds', () => {
    const now = new Date('2026-01-01T00:01:00Z');
    const c = mapChannel('kz1', { uuid: 'u1', elapsed_s: 60 }, ACCOUNT, now);
    expect(c.createdAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(c.name).toBe('u1');
  });
});

describe('channelFromCallEvent', () => {
  const create = {
    call_direction: 'inbound' as const,
    call_id: 'at6dmu4ffk97vnlp6qfq',
    caller_id_name: 'Alice',
    caller_id_number: '1001',
    callee_id_name: 'Bob',
    callee_id_number: '1002',
    channel_call_state: 'RINGING',
    custom_channel_vars: {
      account_id: ACCOUNT,
      authorizing_id: 'd'.repeat(32),
      authorizing_type: 'device',
      owner_id: 'o'.repeat(32),
      username: 'user_abc',
    },
    event_name: 'CHANNEL_CREATE',
    presence_id: '1001@acme.example.com',
    timestamp: 63610891956,
  };

  it('CHANNEL_CREATE → RING with ids from the CCVs and createdAt from the event', () => {
    const c = channelFromCallEvent('kz1', create, undefined);
    expect(c.state).toBe('RING');
    expect(c.createdAt.toISOString()).toBe('2015-10-01T04:12:36.000Z');
    expect(c.kazoo?.accountId).toBe(ACCOUNT);
    expect(c.kazoo?.ownerId).toBe('o'.repeat(32));
    expect(c.kazoo?.authorizingType).toBe('device');
    expect(c.kazoo?.username).toBe('user_abc');
    expect(c.kazoo?.raw).toEqual(create);
  });

  it('CHANNEL_ANSWER → UP, CHANNEL_DESTROY → DOWN/hangup; channel_created_time (µs) wins', () => {
    expect(
      channelFromCallEvent('kz1', { ...create, event_name: 'CHANNEL_ANSWER', channel_call_state: 'ACTIVE' }, undefined)
        .state,
    ).toBe('UP');
    const d = channelFromCallEvent(
      'kz1',
      {
        ...create,
        event_name: 'CHANNEL_DESTROY',
        channel_call_state: 'HANGUP',
        channel_created_time: 1443672756993309,
      },
      undefined,
    );
    expect(d.state).toBe('DOWN');
    expect(d.rawState).toBe('hangup');
    expect(d.createdAt.toISOString()).toBe('2015-10-01T04:12:36.993Z');
  });
});
