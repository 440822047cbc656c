import {
  type KazooSimulator,
  addRecipientAccount,
  defaultSeed,
  startKazooSimulator,
} from '../../../src/simulators/kazoo';
import { BhClient, apiToken, call } from './helpers';

const STATUS_KEYS = ['available', 'availability_state', 'wrapup_time_seconds', 'stats', 'node'];
const STATS_KEYS = [
  'total_calls',
  'offered_calls',
  'missed_calls',
  'avg_call_time',
  'login_time',
  'last_action_time',
  'last_handled_time',
];

describe('KAZOO simulator: Qubicle recipients', () => {
  let sim: KazooSimulator;
  let token: string;
  let bulk: { accountId: string; queueId: string };
  let ws: BhClient;
  beforeAll(async () => {
    const seed = defaultSeed();
    bulk = addRecipientAccount(seed, { name: 'Bulk Center', count: 50, initialState: 'Ready' });
    sim = await startKazooSimulator({ seed, timing: { wrapupMs: 60_000 } });
    token = await apiToken(sim, sim.world.customerAccount!);
    ws = await BhClient.connect(sim.blackholeUrl);
    await ws.request({
      action: 'subscribe',
      auth_token: token,
      data: { account_id: sim.world.customerAccount!.id, binding: 'qubicle.recipient' },
    });
    await ws.request({
      action: 'subscribe',
      data: { account_id: sim.world.customerAccount!.id, binding: 'qubicle.queue' },
    });
  });
  afterAll(async () => {
    await ws.close();
    await sim.close();
  });

  const acme = () => sim.world.customerAccount!;
  const base = () => `/accounts/${acme().id}/qubicle_recipients`;
  const rec = (first: string) => sim.world.recipients.find((r) => r.name.startsWith(first))!;
  const queue = (name: string) => sim.world.queues.find((q) => q.name === name && q.accountId === acme().id)!;
  const post = (path: string, data: unknown) => call(sim, 'POST', path, { token, body: { data } });
  const status = async (id: string) => (await call(sim, 'GET', `${base()}/${id}/status`, { token })).body.data;

  it('lists recipients as {id, name} with page_size', async () => {
    const r = await call(sim, 'GET', `${base()}/`, { token });
    expect(r.status).toBe(200);
    expect(r.body.page_size).toBe(4);
    expect(r.body.revision).toMatch(/^[0-9a-f]{32}$/);
    expect(r.body.data).toHaveLength(4);
    for (const item of r.body.data) expect(Object.keys(item).sort()).toEqual(['id', 'name']);
    expect(r.body.data.map((x: { name: string }) => x.name).sort()).toEqual([
      'Alice Agent',
      'Bob Agent',
      'Carol Agent',
      'Dave Agent',
    ]);
  });

  it('GET a recipient returns its users document with the qubicle block', async () => {
    const alice = rec('Alice');
    const r = await call(sim, 'GET', `${base()}/${alice.id}`, { token });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({
      id: alice.id,
      username: 'alice.agent',
      first_name: 'Alice',
      last_name: 'Agent',
      qubicle: { enabled: true },
    });
    expect(r.body.revision).toMatch(/^1-[0-9a-f]{32}$/);
  });

  it('a user without a qubicle block is not a recipient: 404 bad identifier', async () => {
    const olivia = sim.world.users.find((u) => u.username === 'olivia.owner')!;
    const r = await call(sim, 'GET', `${base()}/${olivia.id}/status`, { token });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ message: 'bad identifier', data: [olivia.id] });
  });

  it('status of a ready recipient has every documented key; not-logged-in says so', async () => {
    const s = await status(rec('Alice').id);
    for (const k of STATUS_KEYS) expect(s).toHaveProperty(k);
    expect(Object.keys(s.stats).sort()).toEqual([...STATS_KEYS].sort());
    expect(s).toMatchObject({ available: true, availability_state: 'Ready', wrapup_time_seconds: 0 });
    expect(s.offered_call).toBeUndefined();
    expect(s.handling_call).toBeUndefined();
    expect(Math.abs(s.stats.login_time - Date.now() / 1000)).toBeLessThan(60);
    const d = await status(rec('Dave').id);
    expect(d).toMatchObject({ available: false, availability_state: 'Not-Logged-In' });
  });

  it('batch status: object keyed by id, "not_logged_in" for logged-out recipients', async () => {
    const [a, b, d] = [rec('Alice'), rec('Bob'), rec('Dave')];
    const r = await post(`${base()}/status`, { recipient_ids: [a.id, b.id, d.id] });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.data).sort()).toEqual([a.id, b.id, d.id].sort());
    expect(r.body.data[a.id]).toMatchObject({ available: true, availability_state: 'Ready' });
    expect(r.body.data[b.id]).toMatchObject({ available: false, availability_state: 'Away' });
    expect(r.body.data[d.id]).toBe('not_logged_in');
    const missing = await post(`${base()}/status`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.data).toEqual({ recipient_ids: { required: { message: 'Field is required but missing' } } });
  });

  it('batch status for a 50-recipient account', async () => {
    const bulkToken = await apiToken(
      sim,
      sim.world.accounts.find((a) => a.id === bulk.accountId)!,
    );
    const list = await call(sim, 'GET', `/accounts/${bulk.accountId}/qubicle_recipients`, { token: bulkToken });
    expect(list.body.page_size).toBe(50);
    expect(list.body.next_start_key).toBeUndefined();
    const ids = list.body.data.map((x: { id: string }) => x.id);
    const r = await call(sim, 'POST', `/accounts/${bulk.accountId}/qubicle_recipients/status`, {
      token: bulkToken,
      body: { data: { recipient_ids: ids } },
    });
    expect(Object.keys(r.body.data)).toHaveLength(50);
    for (const id of ids) expect(r.body.data[id].availability_state).toBe('Ready');
  });

  it('login / logout actions answer {action} and move the state with events', async () => {
    const dave = rec('Dave');
    const login = await post(`${base()}/${dave.id}`, { action: 'login' });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ status: 'success', data: { action: 'login' } });
    expect((await status(dave.id)).availability_state).toBe('Away');
    await ws.event((f) => f.name === 'create' && f.data.recipient_id === dave.id);
    const logout = await post(`${base()}/${dave.id}`, { action: 'logout' });
    expect(logout.body.data).toEqual({ action: 'logout' });
    expect((await status(dave.id)).availability_state).toBe('Not-Logged-In');
    await ws.event((f) => f.name === 'delete' && f.data.recipient_id === dave.id);
  });

  it('action validation: missing/unknown action', async () => {
    const dave = rec('Dave');
    const none = await post(`${base()}/${dave.id}`, {});
    expect(none.status).toBe(400);
    expect(none.body.data).toEqual({ action: { required: { message: 'Field is required but missing' } } });
    const bad = await post(`${base()}/${dave.id}`, { action: 'dance' });
    expect(bad.status).toBe(400);
    expect(bad.body.data.action.enum.message).toBe('Value not found in enumerated list of values');
  });

  it('POST status: login, ready, away, per-queue; ready needs a login first', async () => {
    const dave = rec('Dave');
    const early = await post(`${base()}/${dave.id}/status`, { status: 'ready' });
    expect(early.status).toBe(400);
    expect(early.body.message).toBe('validation error');
    const login = await post(`${base()}/${dave.id}/status`, { status: 'login' });
    expect(login.body.data).toEqual({ status: 'login' });
    const ready = await post(`${base()}/${dave.id}/status`, { status: 'ready' });
    expect(ready.body.data).toEqual({ status: 'ready' });
    expect(await status(dave.id)).toMatchObject({ available: true, availability_state: 'Ready' });
    await ws.event((f) => f.name === 'ready' && f.data.recipient_id === dave.id && f.data.state === 'ready');
    const perQueue = await post(`${base()}/${dave.id}/status`, { status: 'away', queue_id: queue('Sales').id });
    expect(perQueue.body.data).toEqual({ status: 'away', queue_id: queue('Sales').id });
    expect((await status(dave.id)).queue_availability).toEqual({ [queue('Sales').id]: false });
    const away = await post(`${base()}/${dave.id}/status`, { status: 'away' });
    expect(away.body.data).toEqual({ status: 'away' });
    expect((await status(dave.id)).availability_state).toBe('Away');
    const invalid = await post(`${base()}/${dave.id}/status`, { status: 'sleeping' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.data.status.enum.target).toEqual(['login', 'logout', 'ready', 'away']);
    await post(`${base()}/${dave.id}/status`, { status: 'logout' });
  });

  it('set-status batch: per recipient and scope "ok" / "error"', async () => {
    const [alice, bob, dave] = [rec('Alice'), rec('Bob'), rec('Dave')];
    const sales = queue('Sales').id;
    const support = queue('Support').id;
    const r = await post(`${base()}/status`, {
      set_status: true,
      [bob.id]: { global: 'ready', [sales]: 'away' },
      [alice.id]: { global: 'ready', [sales]: 'ready', c6564319c5996b0db6f4e53d69db79d8: 'ready' },
      [dave.id]: { global: 'ready' },
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({
      [bob.id]: { global: 'ok', [sales]: 'ok' },
      [alice.id]: { global: 'ok', [sales]: 'ok', c6564319c5996b0db6f4e53d69db79d8: 'error' },
      [dave.id]: { global: 'error' },
    });
    expect(await status(bob.id)).toMatchObject({ availability_state: 'Ready', queue_availability: { [sales]: false } });
    // Bob back to the seeded state for the next tests.
    await post(`${base()}/status`, { set_status: true, [bob.id]: { global: 'away', [sales]: 'ready' } });
    expect(support).toBeDefined();
  });

  describe('a queue call through offer, call, wrap-up', () => {
    let callId: string;
    it('offers a sales call to the only ready sales member (Alice)', async () => {
      const alice = rec('Alice');
      callId = sim.startCall({
        accountId: acme().id,
        queueId: queue('Sales').id,
        callerIdName: 'Pat Caller',
        callerIdNumber: '+14155550999',
      });
      const join = await ws.event((f) => f.name === 'join' && f.data.session_id === callId);
      expect(join).toMatchObject({
        subscribed_key: 'qubicle.queue',
        routing_key: `qubicle.queue.${acme().id}.${queue('Sales').id}`,
      });
      const offer = await ws.event((f) => f.name === 'offer' && f.data.recipient_id === alice.id);
      expect(offer.data).toMatchObject({
        state: 'call_offer',
        queue_id: queue('Sales').id,
        session_id: callId,
        caller_id_number: '+14155550999',
      });
      const s = await status(alice.id);
      expect(s).toMatchObject({
        available: false,
        availability_state: 'Call-Offer',
        offered_call: {
          queue_id: queue('Sales').id,
          session_id: callId,
          caller_id_name: 'Pat Caller',
          caller_id_number: '+14155550999',
        },
      });
      expect(typeof s.offered_call.queue_enter_time).toBe('number');
      expect(sim.callLegs(callId)).toHaveLength(2);
    });

    it('a rejected offer counts as missed and goes back to the queue', async () => {
      const alice = rec('Alice');
      const [, bLeg] = sim.callLegs(callId);
      sim.hangupCall(bLeg);
      const reject = await ws.event((f) => f.name === 'reject' && f.data.recipient_id === alice.id);
      expect(reject.data.stats.missed_calls).toBe(1);
      // Alice rejected it, nobody else in Sales is ready: the caller waits.
      expect(sim.callLegs(callId)).toHaveLength(1);
      expect((await status(alice.id)).availability_state).toBe('Ready');
      const bob = rec('Bob');
      await post(`${base()}/${bob.id}/status`, { status: 'ready' });
      await ws.event((f) => f.name === 'offer' && f.data.recipient_id === bob.id);
      expect((await status(bob.id)).availability_state).toBe('Call-Offer');
    });

    it('answer → On-A-Call with handling_call; the queue reports delivered', async () => {
      const bob = rec('Bob');
      sim.answerCall(callId);
      const delivered = await ws.event((f) => f.name === 'delivered' && f.data.recipient_id === bob.id);
      expect(delivered.data).toMatchObject({ state: 'on_a_call', session_id: callId });
      await ws.event((f) => f.name === 'leave' && f.data.session_id === callId && f.data.reason === 'delivered');
      const s = await status(bob.id);
      expect(s).toMatchObject({
        availability_state: 'On-A-Call',
        handling_call: { session_id: callId },
        stats: { total_calls: 1 },
      });
      expect(s.offered_call).toBeUndefined();
    });

    it('monitor: validation, Wiretap-Start on a recipient on a call, Wiretap-Failed otherwise', async () => {
      const [alice, bob, carol] = [rec('Alice'), rec('Bob'), rec('Carol')];
      const noTarget = await post(`${base()}/${alice.id}`, { action: 'monitor' });
      expect(noTarget.status).toBe(400);
      expect(noTarget.body.data).toEqual({ target: { required: { message: 'Field is required but missing' } } });
      const badMode = await post(`${base()}/${alice.id}`, { action: 'monitor', target: bob.id, mode: 'shout' });
      expect(badMode.body.data.mode.enum.target).toEqual(['eavesdrop', 'whisper', 'barge']);
      const ok = await post(`${base()}/${alice.id}`, { action: 'monitor', target: bob.id, mode: 'whisper' });
      expect(ok.status).toBe(200);
      expect(ok.body.data).toEqual({ action: 'monitor' });
      await ws.event((f) => f.name === 'Wiretap-Start' && f.data.recipient_id === alice.id);
      expect(await status(alice.id)).toMatchObject({ wiretapping_recipient: bob.id, wiretap_mode: 'whisper' });
      const idle = await post(`${base()}/${alice.id}`, { action: 'monitor', target: carol.id });
      expect(idle.status).toBe(200);
      const failed = await ws.event((f) => f.name === 'Wiretap-Failed' && f.data.recipient_id === alice.id);
      expect(failed.data.target_id).toBe(carol.id);
      // Carol has no call_monitor permission.
      const denied = await post(`${base()}/${carol.id}`, { action: 'monitor', target: bob.id });
      expect(denied.status).toBe(200);
      const deniedEv = await ws.event((f) => f.name === 'Wiretap-Failed' && f.data.recipient_id === carol.id);
      expect(deniedEv.data.reason).toBe('not_allowed');
    });

    it('hangup → Wrapup-Time; extend keeps it; cancel returns to Ready', async () => {
      const [alice, bob] = [rec('Alice'), rec('Bob')];
      sim.hangupCall(callId);
      await ws.event((f) => f.name === 'wrapup' && f.data.recipient_id === bob.id);
      const s = await status(bob.id);
      expect(s).toMatchObject({ available: false, availability_state: 'Wrapup-Time' });
      expect(s.wrapup_time_seconds).toBeGreaterThan(50);
      expect(s.handling_call).toBeUndefined();
      expect((await status(alice.id)).wiretapping_recipient).toBeUndefined();
      const ext = await post(`${base()}/${bob.id}`, { action: 'wrapup_extend' });
      expect(ext.body.data).toEqual({ action: 'wrapup_extend' });
      expect((await status(bob.id)).availability_state).toBe('Wrapup-Time');
      const cancel = await post(`${base()}/${bob.id}`, { action: 'wrapup_cancel' });
      expect(cancel.body.data).toEqual({ action: 'wrapup_cancel' });
      await ws.event((f) => f.name === 'ready' && f.data.recipient_id === bob.id);
      expect(await status(bob.id)).toMatchObject({
        available: true,
        availability_state: 'Ready',
        wrapup_time_seconds: 0,
      });
      await post(`${base()}/${bob.id}/status`, { status: 'away' });
    });
  });

  it('an abandoned queue call leaves the queue with reason "abandoned"', async () => {
    await post(`${base()}/${rec('Alice').id}/status`, { status: 'away' });
    await post(`${base()}/${rec('Carol').id}/status`, { status: 'away' });
    const id = sim.startCall({ accountId: acme().id, queueId: queue('Support').id });
    await ws.event((f) => f.name === 'join' && f.data.session_id === id);
    const qs = await call(sim, 'GET', `/accounts/${acme().id}/qubicle_queues/${queue('Support').id}/status`, { token });
    expect(qs.body.data).toMatchObject({ available_recipient_count: 0, stats: { active_session_count: 1 } });
    sim.hangupCall(id, 'ORIGINATOR_CANCEL');
    await ws.event((f) => f.name === 'leave' && f.data.session_id === id && f.data.reason === 'abandoned');
    const after = await call(sim, 'GET', `/accounts/${acme().id}/qubicle_queues/${queue('Support').id}/status`, {
      token,
    });
    expect(after.body.data.stats).toMatchObject({ active_session_count: 0, abandoned_sessions: 1 });
  });

  it('createRecipients adds live recipients to an account', async () => {
    const added = sim.createRecipients(acme().id, 3, { initialState: 'Away' });
    expect(added).toHaveLength(3);
    const r = await call(sim, 'GET', `${base()}`, { token });
    expect(r.body.page_size).toBe(7);
    expect((await status(added[0].id)).availability_state).toBe('Away');
  });

  it('a user document edit (POST users/{U}) with a qubicle block makes or unmakes a recipient and sends doc_edited', async () => {
    const olivia = sim.world.users.find((u) => u.username === 'olivia.owner')!;
    await ws.request({ action: 'subscribe', data: { account_id: acme().id, binding: 'object.doc_edited.user' } });
    const edit = (qubicle: unknown) =>
      call(sim, 'POST', `/accounts/${acme().id}/users/${olivia.id}`, { token, body: { data: { qubicle } } });

    const on = await edit({ enabled: true, queues: [queue('Sales').id] });
    expect(on.status).toBe(200);
    expect(on.body.data.qubicle).toEqual({ enabled: true, queues: [queue('Sales').id], call_monitor: false });
    const ev = await ws.event((f) => f.name === 'doc_edited' && f.data.id === olivia.id);
    expect(ev.data).toMatchObject({
      type: 'user',
      account_id: acme().id,
      rev: on.body.revision,
      event_category: 'configuration',
    });
    expect((await call(sim, 'GET', `${base()}/${olivia.id}`, { token })).body.data.qubicle).toEqual({
      enabled: true,
      queues: [queue('Sales').id],
      call_monitor: false,
    });
    expect((await status(olivia.id)).availability_state).toBe('Not-Logged-In');
    expect((await post(`${base()}/${olivia.id}`, { action: 'login' })).status).toBe(200);

    const off = await edit({ enabled: false });
    expect(off.body.data.qubicle).toMatchObject({ enabled: false });
    await ws.event((f) => f.name === 'delete' && f.data.recipient_id === olivia.id && f.data.reason === 'disabled');
    expect((await call(sim, 'GET', `${base()}/${olivia.id}`, { token })).status).toBe(404);

    const bad = await edit({ enabled: 'yes', queues: 'Sales' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.data).sort()).toEqual(['qubicle.enabled', 'qubicle.queues']);
  });

  it('queues list and document', async () => {
    const r = await call(sim, 'GET', `/accounts/${acme().id}/qubicle_queues`, { token });
    expect(r.body.data.map((q: { name: string }) => q.name).sort()).toEqual(['Sales', 'Support']);
    const q = await call(sim, 'GET', `/accounts/${acme().id}/qubicle_queues/${queue('Sales').id}`, { token });
    expect(q.body.data).toMatchObject({ id: queue('Sales').id, name: 'Sales', agent_wrapup_time: 5 });
  });
});
