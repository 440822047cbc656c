import {
  mapBindingCatalogue,
  mapBlackholeEvent,
  mapOneWebsocketSession,
  mapWebsocketSession,
} from '../../../src/backends/kazoo/map';
import { backoffDelay } from '../../../src/backends/kazoo/blackhole';

const ACCOUNT = '4b31dd1d32ce6d249897c06332375d65';

describe('websocket sessions', () => {
  const w = {
    bindings: ['object.doc_created.user'],
    websocket_session_id: '127.0.0.1:53211',
    timestamp: 63900000000,
    destination: 'bh1',
    source: '127.0.0.1',
  };
  it('maps a tracked session', () => {
    expect(mapWebsocketSession('kz1', ACCOUNT, w)).toEqual({
      backend: 'kz1',
      accountId: ACCOUNT,
      nativeId: '127.0.0.1:53211',
      bindings: ['object.doc_created.user'],
      connectedAt: new Date((63900000000 - 62167219200) * 1000),
      source: '127.0.0.1',
      destination: 'bh1',
      name: null,
      metadata: null,
    });
  });
  it('unknown session answered as [] → null; one-element array → the session', () => {
    expect(mapOneWebsocketSession('kz1', ACCOUNT, [])).toBeNull();
    expect(mapOneWebsocketSession('kz1', ACCOUNT, [w])?.nativeId).toBe('127.0.0.1:53211');
  });
  it('binding catalogue → groups', () => {
    expect(mapBindingCatalogue({ call: ['call.CHANNEL_CREATE.{CALL_ID}'], fax: ['fax.status.{FAX_ID}'] })).toEqual([
      { category: 'call', bindings: ['call.CHANNEL_CREATE.{CALL_ID}'] },
      { category: 'fax', bindings: ['fax.status.{FAX_ID}'] },
    ]);
  });
});

describe('mapBlackholeEvent', () => {
  const received = new Date('2026-01-01T00:00:00Z');
  it('call event → channel snapshot, account from CCVs, decoded call id from the routing key when absent', () => {
    const e = mapBlackholeEvent(
      'kz1',
      'f'.repeat(32),
      {
        action: 'event',
        subscribed_key: 'call.*.*',
        subscription_key: `call.${ACCOUNT}.CHANNEL_DESTROY.*`,
        name: 'CHANNEL_DESTROY',
        routing_key: `call.${ACCOUNT}.CHANNEL_DESTROY.1_1053956289%4010%2E69%2E1%2E127`,
        data: {
          call_id: '',
          event_name: 'CHANNEL_DESTROY',
          hangup_cause: 'NORMAL_CLEARING',
          timestamp: 63610891956,
          custom_channel_vars: { account_id: ACCOUNT },
        },
      },
      received,
    );
    expect(e.type).toBe('call');
    if (e.type !== 'call') return;
    expect(e.callId).toBe('1_1053956289@10.69.1.127');
    expect(e.accountId).toBe(ACCOUNT);
    expect(e.hangupCause).toBe('NORMAL_CLEARING');
    expect(e.channel.state).toBe('DOWN');
    expect(e.at.toISOString()).toBe('2015-10-01T04:12:36.000Z');
    expect(e.receivedAt).toBe(received);
  });

  it('object event', () => {
    const e = mapBlackholeEvent('kz1', ACCOUNT, {
      action: 'event',
      subscribed_key: 'object.*.*',
      name: 'doc_edited',
      routing_key: 'doc_edited.account%2F4b%2F31%2Fdd1d32ce6d249897c06332375d65.user.abc',
      data: { id: 'abc', type: 'user', account_id: ACCOUNT, event_name: 'doc_edited', event_category: 'configuration' },
    });
    expect(e).toMatchObject({
      type: 'object',
      accountId: ACCOUNT,
      action: 'doc_edited',
      docType: 'user',
      docId: 'abc',
    });
  });

  it('qubicle recipient login (create) and logout (delete)', () => {
    const rid = '9'.repeat(32);
    const login = mapBlackholeEvent('kz1', ACCOUNT, {
      action: 'event',
      subscribed_key: 'qubicle.recipient',
      name: 'create',
      routing_key: `qubicle.recipient.${ACCOUNT}.${rid}`,
      data: {
        account_id: ACCOUNT,
        recipient_id: rid,
        event_name: 'create',
        state: 'away',
        event_timestamp: 63900000000,
      },
    });
    expect(login.type).toBe('recipient');
    if (login.type !== 'recipient') return;
    expect(login.recipient).toMatchObject({
      backend: 'kz1',
      accountId: ACCOUNT,
      recipientId: rid,
      name: 'create',
      availabilityState: 'AWAY',
    });
    expect(login.recipient.at).toEqual(new Date((63900000000 - 62167219200) * 1000));
    const logout = mapBlackholeEvent('kz1', ACCOUNT, {
      action: 'event',
      subscribed_key: 'qubicle.recipient',
      name: 'delete',
      routing_key: `qubicle.recipient.${ACCOUNT}.${rid}`,
      data: { reason: 'logout' },
    });
    expect(logout.type === 'recipient' && logout.recipient).toMatchObject({
      recipientId: rid,
      accountId: ACCOUNT,
      availabilityState: 'NOT_LOGGED_IN',
    });
  });

  it('anything else → other', () => {
    expect(
      mapBlackholeEvent('kz1', ACCOUNT, {
        action: 'event',
        subscribed_key: 'fax.status.*',
        name: 'x',
        routing_key: 'fax.status.a.b',
        data: {},
      }).type,
    ).toBe('other');
  });
});

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and jitters within [exp/2, exp]', () => {
    expect(backoffDelay(0, 100, 1000, () => 0)).toBe(50);
    expect(backoffDelay(0, 100, 1000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 1000, () => 1)).toBe(800);
    expect(backoffDelay(4, 100, 1000, () => 1)).toBe(1000);
    expect(backoffDelay(50, 100, 1000, () => 0.5)).toBe(750);
  });
});
