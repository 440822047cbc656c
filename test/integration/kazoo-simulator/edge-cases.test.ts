import { type KazooSimulator, defaultSeed, startKazooSimulator } from '../../../src/simulators/kazoo';
import { sha1Hex } from '../../../src/simulators/kazoo/wire';
import { BhClient, apiToken, call, isGregorian } from './helpers';
import { waitFor } from '../../helpers/wait-for';

describe('KAZOO simulator: edge cases', () => {
  let sim: KazooSimulator;
  beforeAll(async () => {
    const seed = defaultSeed();
    seed.accounts.push({
      id: 'd'.repeat(32),
      name: 'Locked Ltd',
      apiKey: '1'.repeat(64),
      parentId: seed.accounts[0].id,
      enabled: false,
    });
    sim = await startKazooSimulator({
      seed,
      qubicleTimestamps: 'gregorian',
      timing: { wrapupMs: 30 },
    });
  });
  afterAll(() => sim.close());
  const acme = () => sim.world.customerAccount!;

  it('tokens expire after tokenTtlSeconds (401 invalid_credentials)', async () => {
    const short = await startKazooSimulator({ tokenTtlSeconds: 1 });
    try {
      const account = short.world.customerAccount!;
      const token = await apiToken(short, account);
      const expired = await waitFor(async () => {
        const r = await call(short, 'GET', `/accounts/${account.id}`, { token });
        return r.status === 401 ? r : undefined;
      }, 'the token to expire');
      expect(expired.body).toMatchObject({
        error: '401',
        message: 'invalid_credentials',
        data: { message: 'invalid credentials' },
      });
    } finally {
      await short.close();
    }
  });

  it('user_auth with method sha, and with the account realm', async () => {
    const olivia = sim.world.users.find((u) => u.username === 'olivia.owner')!;
    const sha = await call(sim, 'PUT', '/user_auth', {
      body: {
        data: { credentials: sha1Hex(`olivia.owner:${olivia.password}`), method: 'sha', account_name: 'Acme Corp' },
      },
    });
    expect(sha.status).toBe(201);
    const realm = await call(sim, 'PUT', '/user_auth', {
      body: { data: { credentials: sim.credentialsFor('olivia.owner', olivia.password), account_realm: acme().realm } },
    });
    expect(realm.status).toBe(201);
    const unknownRealm = await call(sim, 'PUT', '/user_auth', {
      body: { data: { credentials: 'a'.repeat(32), account_realm: 'nowhere.example.com' } },
    });
    expect(unknownRealm.status).toBe(400);
    expect(unknownRealm.body.data.account_realm.not_found.message).toBe(
      'The provided account realm could not be found',
    );
    const badMethod = await call(sim, 'PUT', '/user_auth', {
      body: { data: { credentials: 'a'.repeat(32), method: 'rot13', account_name: 'Acme' } },
    });
    expect(badMethod.status).toBe(400);
    expect(badMethod.body.data.method.enum.target).toEqual(['md5', 'sha']);
  });

  it('a disabled account answers 423 locked', async () => {
    const r = await call(sim, 'PUT', '/api_auth', { body: { data: { api_key: '1'.repeat(64) } } });
    expect(r.status).toBe(423);
    expect(r.body).toMatchObject({ error: '423', message: 'locked' });
  });

  it('POST with "verb":"PUT" is tunnelled to PUT (201)', async () => {
    const token = await apiToken(sim, acme());
    const r = await call(sim, 'POST', `/accounts/${acme().id}/users`, {
      token,
      body: { verb: 'PUT', data: { first_name: 'Tun', last_name: 'Nel' } },
    });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ first_name: 'Tun', last_name: 'Nel' });
    const invalid = await call(sim, 'PUT', `/accounts/${acme().id}/users`, {
      token,
      body: { data: { first_name: 'Only' } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.data).toEqual({ last_name: { required: { message: 'Field is required but missing' } } });
  });

  it('wrap-up ends by itself after the queue wrap-up time; gregorian qubicle stats', async () => {
    const token = await apiToken(sim, acme());
    const carol = sim.world.recipients.find((r) => r.name === 'Carol Agent')!;
    const alice = sim.world.recipients.find((r) => r.name === 'Alice Agent')!;
    sim.recipientCommand(alice.id, 'away');
    const support = sim.world.queues.find((q) => q.name === 'Support')!;
    const ws = await BhClient.connect(sim.blackholeUrl);
    try {
      await ws.request({
        action: 'subscribe',
        auth_token: token,
        data: { account_id: acme().id, binding: `qubicle.recipient.${carol.id}` },
      });
      const id = sim.startCall({ accountId: acme().id, queueId: support.id });
      const offer = await ws.event((f) => f.name === 'offer');
      expect(offer.subscription_key).toBe(`qubicle.recipient.${acme().id}.${carol.id}`);
      sim.answerCall(id);
      await ws.event((f) => f.name === 'delivered');
      sim.hangupCall(id);
      await ws.event((f) => f.name === 'wrapup');
      const ready = await ws.event((f) => f.name === 'ready');
      expect(ready.data.state).toBe('ready');
      expect(isGregorian(ready.data.stats.login_time)).toBe(true);
      expect(isGregorian(ready.data.stats.last_handled_time)).toBe(true);
      expect(ready.data.stats.total_calls).toBe(1);
    } finally {
      await ws.close();
    }
  });

  it('logging out during an offer withdraws it and the call goes back to the queue', async () => {
    const carol = sim.world.recipients.find((r) => r.name === 'Carol Agent')!;
    const support = sim.world.queues.find((q) => q.name === 'Support')!;
    sim.recipientCommand(carol.id, 'ready');
    const id = sim.startCall({ accountId: acme().id, queueId: support.id });
    expect(sim.recipientState(carol.id)).toBe('Call-Offer');
    expect(sim.callLegs(id)).toHaveLength(2);
    sim.recipientCommand(carol.id, 'logout');
    expect(sim.recipientState(carol.id)).toBe('Not-Logged-In');
    expect(sim.callLegs(id)).toHaveLength(1);
    sim.recipientCommand(carol.id, 'login');
    sim.recipientCommand(carol.id, 'ready');
    expect(sim.recipientState(carol.id)).toBe('Call-Offer');
    sim.hangupCall(id);
    expect(sim.recipientState(carol.id)).toBe('Ready');
  });

  it('Blackhole closes an idle session', async () => {
    const idle = await startKazooSimulator({ timing: { blackholeIdleTimeoutMs: 100 } });
    try {
      const ws = await BhClient.connect(idle.blackholeUrl);
      expect(await ws.closed(3000)).toBe(1000);
    } finally {
      await idle.close();
    }
  });

  it('Blackhole rate limit: the 101st message in a burst is refused', async () => {
    const ws = await BhClient.connect(sim.blackholeUrl);
    try {
      for (let i = 0; i < 105; i++) ws.send({ action: 'ping', request_id: `b${i}`, data: {} });
      const limited = await ws.next(
        (f) => f.status === 'error' && f.data.errors[0].startsWith('rate limiting threshold hit for 127.0.0.1:'),
      );
      expect(limited.data.errors[0]).toMatch(/^rate limiting threshold hit for 127\.0\.0\.1:\d+!$/);
    } finally {
      await ws.close();
    }
  });

  it('call-ids containing dots cannot be named in a call binding (3 segments only)', async () => {
    const token = await apiToken(sim, acme());
    const ws = await BhClient.connect(sim.blackholeUrl);
    try {
      const r = await ws.request({
        action: 'subscribe',
        auth_token: token,
        data: { account_id: acme().id, binding: 'call.CHANNEL_CREATE.abc@10.0.0.1' },
      });
      expect(r.status).toBe('error');
      expect(r.data.errors[0]).toMatch(/^invalid format for call subscription/);
      const fax = await ws.request({
        action: 'subscribe',
        auth_token: token,
        data: { account_id: acme().id, binding: 'fax.status.*' },
      });
      expect(fax.data).toEqual({ subscribed: ['fax.status.*'] });
      const conf = await ws.request({
        action: 'subscribe',
        data: { account_id: acme().id, binding: 'conference.command.*' },
      });
      expect(conf.data.subscribed).toContain('conference.command.*');
      const type = await ws.request({
        action: 'subscribe',
        data: { account_id: acme().id, binding: 'object.doc_created.widget' },
      });
      expect(type.data.errors).toEqual(['event doc_created.widget not supported']);
    } finally {
      await ws.close();
    }
  });
});
