import { type KazooSimulator, startKazooSimulator } from '../../../src/simulators/kazoo';
import { BhClient, apiToken, call, isGregorian } from './helpers';

describe('KAZOO simulator: Blackhole websocket', () => {
  let sim: KazooSimulator;
  let token: string;
  let masterToken: string;
  const clients: BhClient[] = [];
  beforeAll(async () => {
    sim = await startKazooSimulator();
    token = await apiToken(sim, sim.world.customerAccount!);
    masterToken = await apiToken(sim, sim.world.superduperAccount);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => sim.close());

  const acme = () => sim.world.customerAccount!;
  const connect = async () => {
    const c = await BhClient.connect(sim.blackholeUrl);
    clients.push(c);
    return c;
  };
  const user = (username: string) => sim.world.users.find((u) => u.username === username)!;

  it('subscribe replies with the 4.3 shape; call.*.* lists one entry per call event', async () => {
    const c = await connect();
    const one = await c.request({
      action: 'subscribe',
      auth_token: token,
      request_id: 'r1',
      data: { account_id: acme().id, binding: 'call.CHANNEL_CREATE.*' },
    });
    expect(one).toEqual({
      action: 'reply',
      request_id: 'r1',
      status: 'success',
      data: { subscribed: ['call.CHANNEL_CREATE.*'] },
    });
    const all = await c.request({
      action: 'subscribe',
      auth_token: token,
      data: { account_id: acme().id, binding: 'call.*.*' },
    });
    expect(all.data.subscribed).toHaveLength(10);
    expect(all.data.subscribed.filter((b: string) => b === 'call.*.*')).toHaveLength(9);
    const again = await c.request({ action: 'subscribe', data: { account_id: acme().id, binding: 'call.*.*' } });
    expect(again.status).toBe('success');
    expect(again.data.subscribed).toHaveLength(10);
  });

  it('delivers call events with the event envelope and normalised payload; duplicates per matching binding', async () => {
    const c = await connect();
    await c.request({
      action: 'subscribe',
      auth_token: token,
      data: { account_id: acme().id, binding: 'call.CHANNEL_CREATE.*' },
    });
    await c.request({ action: 'subscribe', data: { account_id: acme().id, binding: 'call.*.*' } });
    const id = sim.startCall({
      accountId: acme().id,
      fromUserId: user('olivia.owner').id,
      toUserId: user('bob.agent').id,
    });
    const created = await c.event(
      (f) => f.name === 'CHANNEL_CREATE' && f.subscribed_key === 'call.CHANNEL_CREATE.*' && f.data.call_id === id,
    );
    const encoded = id.replace(/\./g, '%2E').replace(/@/g, '%40');
    expect(created).toMatchObject({
      action: 'event',
      subscribed_key: 'call.CHANNEL_CREATE.*',
      subscription_key: `call.${acme().id}.CHANNEL_CREATE.*`,
      name: 'CHANNEL_CREATE',
      routing_key: `call.${acme().id}.CHANNEL_CREATE.${encoded}`,
    });
    expect(created.data).toMatchObject({
      call_id: id,
      call_direction: 'inbound',
      event_name: 'CHANNEL_CREATE',
      event_category: 'call_event',
      app_name: 'ecallmgr',
      channel_state: 'ROUTING',
      channel_call_state: 'RINGING',
      caller_id_number: '200',
      custom_channel_vars: { account_id: acme().id, owner_id: user('olivia.owner').id, authorizing_type: 'device' },
    });
    expect(isGregorian(created.data.timestamp)).toBe(true);
    expect(typeof created.data.msg_id).toBe('string');
    expect(created.data.to).toBe(`202@${acme().realm}`);
    for (const k of Object.keys(created.data)) expect(k).toBe(k.toLowerCase());
    const dup = await c.event(
      (f) => f.name === 'CHANNEL_CREATE' && f.subscribed_key === 'call.*.*' && f.data.call_id === id,
    );
    expect(dup.subscription_key).toBe(`call.${acme().id}.CHANNEL_CREATE.*`);

    sim.answerCall(id);
    const [, bLeg] = sim.callLegs(id);
    await c.event((f) => f.name === 'CHANNEL_ANSWER' && f.data.call_id === bLeg);
    await c.event((f) => f.name === 'CHANNEL_ANSWER' && f.data.call_id === id);
    const bridge = await c.event((f) => f.name === 'CHANNEL_BRIDGE' && f.data.call_id === id);
    expect(bridge.data.other_leg_call_id).toBe(bLeg);
    sim.hangupCall(id);
    const destroy = await c.event((f) => f.name === 'CHANNEL_DESTROY' && f.data.call_id === id);
    expect(destroy.data).toMatchObject({
      hangup_cause: 'NORMAL_CLEARING',
      hangup_code: 'sip:200',
      disposition: 'ANSWER',
    });
    expect(typeof destroy.data.duration_seconds).toBe('number');
    expect(typeof destroy.data.billing_seconds).toBe('number');
  });

  it('a specific call-id binding only receives that call', async () => {
    const c = await connect();
    const id = sim.startCall({ accountId: acme().id, destination: '5000', callId: 'fixed-call-1' });
    await c.request({
      action: 'subscribe',
      auth_token: token,
      data: { account_id: acme().id, binding: 'call.CHANNEL_DESTROY.fixed-call-1' },
    });
    const other = sim.startCall({ accountId: acme().id, destination: '5001' });
    sim.hangupCall(other);
    sim.hangupCall(id);
    const ev = await c.event(() => true);
    expect(ev.data.call_id).toBe('fixed-call-1');
    expect(ev.subscription_key).toBe(`call.${acme().id}.CHANNEL_DESTROY.fixed-call-1`);
  });

  it('does not deliver other accounts\' events; the superduper admin may use account_id "*"', async () => {
    const c = await connect();
    await c.request({
      action: 'subscribe',
      auth_token: token,
      data: { account_id: acme().id, binding: 'call.CHANNEL_CREATE.*' },
    });
    const m = await connect();
    const star = await m.request({
      action: 'subscribe',
      auth_token: masterToken,
      data: { account_id: '*', binding: 'call.CHANNEL_CREATE.*' },
    });
    expect(star.status).toBe('success');
    const masterCall = sim.startCall({ accountId: sim.world.superduperAccount.id, destination: '1' });
    const acmeCall = sim.startCall({ accountId: acme().id, destination: '2' });
    const seen = await c.event(() => true);
    expect(seen.data.call_id).toBe(acmeCall);
    await m.event((f) => f.data.call_id === masterCall);
    const starAcme = await m.event((f) => f.data.call_id === acmeCall);
    expect(starAcme.subscription_key).toBe('call.*.CHANNEL_CREATE.*');
    expect(c.frames.filter((f) => f.data?.call_id === masterCall)).toEqual([]);
    sim.hangupCall(masterCall);
    sim.hangupCall(acmeCall);
  });

  it('authentication errors', async () => {
    const c = await connect();
    const none = await c.request({ action: 'subscribe', data: { account_id: acme().id, binding: 'call.*.*' } });
    expect(none).toMatchObject({
      action: 'reply',
      status: 'error',
      data: { errors: ['authentication token required'] },
    });
    const bad = await c.request({
      action: 'subscribe',
      auth_token: 'garbage',
      data: { account_id: acme().id, binding: 'call.*.*' },
    });
    expect(bad.data).toEqual({ errors: ['failed to authenticate token garbage'] });
    const ping = await c.request({ action: 'ping', data: {} });
    expect(ping.data.errors).toEqual(['authentication token required']);
  });

  it('validation and authorisation errors', async () => {
    const c = await connect();
    const cases: Array<[Record<string, unknown> | undefined, string]> = [
      [undefined, 'missing required keys in data object'],
      [{ account_id: acme().id }, 'missing required keys : binding'],
      [{ binding: 'call.*.*' }, 'missing required keys : account_id'],
      [{ account_id: acme().id, binding: 'call.*' }, 'invalid format for call subscription : *'],
      [{ account_id: acme().id, binding: 'call.CHANNEL_EXPLODE.*' }, 'event CHANNEL_EXPLODE not supported'],
      [{ account_id: acme().id, binding: 'object.doc_nuked.user' }, 'event doc_nuked.* not supported'],
      [{ account_id: acme().id, binding: 'nonsense.thing' }, 'no available subscriptions to requested binding'],
      [{ account_id: '*', binding: 'call.*.*' }, 'unauthorized wildcard account id'],
      [{ account_id: sim.world.superduperAccount.id, binding: 'call.*.*' }, 'unauthorized account id'],
    ];
    for (const [data, error] of cases) {
      const r = await c.request({ action: 'subscribe', auth_token: token, data });
      expect(r).toMatchObject({ action: 'reply', status: 'error', data: { errors: [error] } });
    }
  });

  it('unsubscribe replies with unsubscribed + remaining subscribed; succeeds for unknown bindings', async () => {
    const c = await connect();
    await c.request({
      action: 'subscribe',
      auth_token: token,
      data: { account_id: acme().id, binding: 'call.CHANNEL_CREATE.*' },
    });
    await c.request({ action: 'subscribe', data: { account_id: acme().id, binding: 'object.*.user' } });
    const u = await c.request({
      action: 'unsubscribe',
      data: { account_id: acme().id, binding: 'call.CHANNEL_CREATE.*' },
    });
    expect(u.data).toEqual({ unsubscribed: ['call.CHANNEL_CREATE.*'], subscribed: ['object.*.user'] });
    const again = await c.request({
      action: 'unsubscribe',
      data: { account_id: acme().id, binding: 'call.CHANNEL_CREATE.*' },
    });
    expect(again.status).toBe('success');
    const id = sim.startCall({ accountId: acme().id, destination: '3' });
    sim.hangupCall(id);
    // The object binding still works while the call binding is gone.
    const created = await call(sim, 'PUT', `/accounts/${acme().id}/users`, {
      token,
      body: { data: { first_name: 'Eve', last_name: 'New' } },
    });
    expect(created.status).toBe(201);
    const ev = await c.event(() => true);
    expect(ev.name).toBe('doc_created');
    expect(c.frames.filter((f) => f.action === 'event' && f.data.call_id === id)).toEqual([]);
  });

  it('object events: created/edited/deleted users with the account-db routing key', async () => {
    const c = await connect();
    await c.request({ action: 'subscribe', auth_token: token, data: { account_id: acme().id, binding: 'object.*.*' } });
    const created = await call(sim, 'PUT', `/accounts/${acme().id}/users`, {
      token,
      body: { data: { first_name: 'Fay', last_name: 'Obj' } },
    });
    const userId = created.body.data.id;
    const ev = await c.event((f) => f.name === 'doc_created' && f.data.id === userId);
    const db = `account%2F${acme().id.slice(0, 2)}%2F${acme().id.slice(2, 4)}%2F${acme().id.slice(4)}`;
    expect(ev).toMatchObject({
      subscribed_key: 'object.*.*',
      subscription_key: `*.${db}.*.*`,
      routing_key: `doc_created.${db}.user.${userId}`,
      data: {
        id: userId,
        type: 'user',
        account_id: acme().id,
        event_name: 'doc_created',
        event_category: 'configuration',
        is_soft_deleted: false,
      },
    });
    await call(sim, 'POST', `/accounts/${acme().id}/users/${userId}`, {
      token,
      body: { data: { first_name: 'Faye' } },
    });
    await c.event((f) => f.name === 'doc_edited' && f.data.id === userId);
    const del = await call(sim, 'DELETE', `/accounts/${acme().id}/users/${userId}`, { token });
    expect(del.status).toBe(200);
    await c.event((f) => f.name === 'doc_deleted' && f.data.id === userId);
  });

  it('ping → pong once authenticated; unknown actions echo the last reply data', async () => {
    const c = await connect();
    const p = await c.request({ action: 'ping', auth_token: token, request_id: 'p1', data: {} });
    expect(p).toEqual({ action: 'reply', request_id: 'p1', status: 'success', data: { response: 'pong' } });
    const noop = await c.request({ data: {} });
    expect(noop).toMatchObject({ status: 'success', data: { response: 'pong' } });
  });

  it('the session stays authenticated after a successful message (later tokens ignored)', async () => {
    const c = await connect();
    await c.request({ action: 'ping', auth_token: token, data: {} });
    const r = await c.request({
      action: 'subscribe',
      data: { account_id: acme().id, binding: 'call.CHANNEL_ANSWER.*' },
    });
    expect(r.status).toBe('success');
  });

  it('invalid JSON closes the socket; sub-protocols are refused with 400', async () => {
    const c = await connect();
    c.send('{not json');
    expect(await c.closed()).toBe(1011);
    await expect(BhClient.connect(sim.blackholeUrl, ['kazoo'])).rejects.toThrow('HTTP 400');
  });

  it('qubicle.recipient bindings receive recipient events', async () => {
    const c = await connect();
    const sub = await c.request({
      action: 'subscribe',
      auth_token: token,
      data: { account_id: acme().id, binding: 'qubicle.recipient' },
    });
    expect(sub.data).toEqual({ subscribed: ['qubicle.recipient'] });
    const dave = user('dave.agent');
    const r = await call(sim, 'POST', `/accounts/${acme().id}/qubicle_recipients/${dave.id}`, {
      token,
      body: { data: { action: 'login' } },
    });
    expect(r.status).toBe(200);
    const ev = await c.event((f) => f.name === 'create');
    expect(ev).toMatchObject({
      subscribed_key: 'qubicle.recipient',
      subscription_key: `qubicle.recipient.${acme().id}.*`,
      routing_key: `qubicle.recipient.${acme().id}.${dave.id}`,
      data: {
        account_id: acme().id,
        app_name: 'qubicle',
        event_category: 'qubicle-recipient',
        event_name: 'create',
        recipient_id: dave.id,
        state: 'away',
        username: 'dave.agent',
        stats: { total_calls: 0, offered_calls: 0, missed_calls: 0, avg_call_time: 0 },
      },
    });
    expect(ev.data.pid).toMatch(/^<0\.\d+\.0>$/);
    await call(sim, 'POST', `/accounts/${acme().id}/qubicle_recipients/${dave.id}`, {
      token,
      body: { data: { action: 'logout' } },
    });
    const del = await c.event((f) => f.name === 'delete');
    expect(del.data).toMatchObject({ event_name: 'delete', reason: 'logout', recipient_id: dave.id });
    expect(del.data.state).toBeUndefined();
    expect(del.data.username).toBeUndefined();
  });

  describe('Crossbar websockets API', () => {
    it('GET /v2/websockets needs no token and lists the binding catalogue', async () => {
      const r = await call(sim, 'GET', '/websockets');
      expect(r.status).toBe(200);
      expect(r.body.auth_token).toBeUndefined();
      expect(Object.keys(r.body.data).sort()).toEqual(['call', 'conference', 'fax', 'object']);
      expect(r.body.data.call).toContain('call.CHANNEL_CREATE.{CALL_ID}');
      expect(r.body.data.call).toHaveLength(9);
      expect(r.body.data.object).toHaveLength(30);
      expect(r.body.data.fax).toEqual(['fax.status.{FAX_ID}', 'fax.object.{ACTION}']);
    });

    it('lists live sessions with their bindings and fetches one by id', async () => {
      const c = await connect();
      await c.request({
        action: 'subscribe',
        auth_token: token,
        name: 'gateway',
        data: { account_id: acme().id, binding: 'object.doc_created.user' },
      });
      const r = await call(sim, 'GET', `/accounts/${acme().id}/websockets`, { token });
      expect(r.status).toBe(200);
      const mine = r.body.data.find((s: { name?: string }) => s.name === 'gateway');
      expect(mine).toMatchObject({ bindings: ['object.doc_created.user'], source: '127.0.0.1' });
      expect(mine.websocket_session_id).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(isGregorian(mine.timestamp)).toBe(true);
      expect(typeof mine.destination).toBe('string');
      const one = await call(sim, 'GET', `/accounts/${acme().id}/websockets/${mine.websocket_session_id}`, { token });
      expect(one.body.data).toEqual(mine);
      const unknown = await call(sim, 'GET', `/accounts/${acme().id}/websockets/1.2.3.4:5`, { token });
      expect(unknown.status).toBe(200);
      expect(unknown.body.data).toEqual([]);
      const noToken = await call(sim, 'GET', `/accounts/${acme().id}/websockets`);
      expect(noToken.status).toBe(401);
    });

    it('a disconnected session disappears from the list', async () => {
      const c = await connect();
      await c.request({
        action: 'subscribe',
        auth_token: token,
        name: 'short-lived',
        data: { account_id: acme().id, binding: 'call.CHANNEL_CREATE.*' },
      });
      sim.disconnectBlackholeSessions();
      expect(await c.closed()).toBe(1001);
      const r = await call(sim, 'GET', `/accounts/${acme().id}/websockets`, { token });
      expect(r.body.data.find((s: { name?: string }) => s.name === 'short-lived')).toBeUndefined();
    });
  });
});
