import { type KazooSimulator, startKazooSimulator } from '../../../src/simulators/kazoo';
import { apiToken, call, isGregorian } from './helpers';
import { waitFor } from '../../helpers/wait-for';

const LIST_KEYS_43 = new Set([
  'account_billing',
  'answered',
  'authorizing_id',
  'authorizing_type',
  'callee_id_name',
  'callee_id_number',
  'caller_id_name',
  'caller_id_number',
  'callflow_id',
  'channel_authorized',
  'custom_application_vars',
  'destination',
  'direction',
  'elapsed_s',
  'from_tag',
  'interaction_id',
  'is_loopback',
  'is_onhold',
  'loopback_leg_name',
  'loopback_other_leg',
  'other_leg',
  'owner_id',
  'presence_id',
  'reseller_billing',
  'reseller_id',
  'resource_id',
  'timestamp',
  'to_tag',
  'username',
  'uuid',
]);
const DETAIL_KEYS = new Set([
  'account_billing',
  'answered',
  'authorizing_id',
  'authorizing_type',
  'call_direction',
  'call_id',
  'callee_id_name',
  'callee_id_number',
  'caller_id_name',
  'caller_id_number',
  'callflow_id',
  'channel_authorized',
  'custom_application_vars',
  'custom_channel_vars',
  'destination',
  'elapsed_seconds',
  'from_tag',
  'is_loopback',
  'is_on_hold',
  'loopback_leg_name',
  'loopback_other_leg',
  'other_leg_call_id',
  'owner_id',
  'presence_id',
  'reseller_billing',
  'reseller_id',
  'resource_id',
  'timestamp',
  'to_tag',
  'username',
  'call_interaction_id',
]);

describe('KAZOO simulator: channels API', () => {
  let sim: KazooSimulator;
  let token: string;
  let masterToken: string;
  beforeAll(async () => {
    sim = await startKazooSimulator({ timing: { channelLookupTimeoutMs: 30, actionEffectMs: 5 } });
    token = await apiToken(sim, sim.world.customerAccount!);
    masterToken = await apiToken(sim, sim.world.superduperAccount);
  });
  afterAll(() => sim.close());

  const acme = () => sim.world.customerAccount!;
  const user = (username: string) => sim.world.users.find((u) => u.username === username)!;
  const base = () => `/accounts/${acme().id}`;

  describe('a bridged internal call', () => {
    let aLeg: string;
    let bLeg: string;
    beforeAll(() => {
      aLeg = sim.startCall({
        accountId: acme().id,
        fromUserId: user('olivia.owner').id,
        toUserId: user('bob.agent').id,
      });
      sim.answerCall(aLeg);
      [, bLeg] = sim.callLegs(aLeg);
    });

    it('lists both legs for the account in the 4.3 list shape', async () => {
      const r = await call(sim, 'GET', `${base()}/channels`, { token });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('success');
      expect(r.body.page_size).toBeUndefined();
      const byId = new Map<string, Record<string, unknown>>(r.body.data.map((c: { uuid: string }) => [c.uuid, c]));
      expect(byId.size).toBe(2);
      const a = byId.get(aLeg)!;
      const b = byId.get(bLeg)!;
      for (const c of [a, b]) {
        for (const k of Object.keys(c)) expect(LIST_KEYS_43).toContain(k);
        expect(isGregorian(c.timestamp)).toBe(true);
        expect(c.answered).toBe(true);
        expect(c.authorizing_type).toBe('device');
      }
      const bobDevice = sim.world.devices.find((d) => d.ownerId === user('bob.agent').id)!;
      expect(b).toMatchObject({
        direction: 'outbound',
        other_leg: aLeg,
        owner_id: user('bob.agent').id,
        authorizing_id: bobDevice.id,
        username: bobDevice.sipUsername,
        destination: bobDevice.sipUsername,
        presence_id: `${bobDevice.sipUsername}@${acme().realm}`,
      });
      expect(a).toMatchObject({
        direction: 'inbound',
        other_leg: bLeg,
        owner_id: user('olivia.owner').id,
        caller_id_number: '200',
      });
      expect(a.account_id).toBeUndefined();
      expect(a.realm).toBeUndefined();
    });

    it("filters by user and by device through the devices' SIP usernames", async () => {
      const bob = user('bob.agent');
      const r = await call(sim, 'GET', `${base()}/users/${bob.id}/channels`, { token });
      expect(r.status).toBe(200);
      expect(r.body.data.map((c: { uuid: string }) => c.uuid)).toEqual([bLeg]);
      const olivia = user('olivia.owner');
      const d = await call(sim, 'GET', `${base()}/devices/${olivia.deviceIds[0]}/channels`, { token });
      expect(d.body.data.map((c: { uuid: string }) => c.uuid)).toEqual([aLeg]);
      const nobody = await call(sim, 'GET', `${base()}/users/${user('carol.agent').id}/channels`, { token });
      expect(nobody.body.data).toEqual([]);
      const unknownDevice = await call(sim, 'GET', `${base()}/devices/${'e'.repeat(32)}/channels`, { token });
      expect(unknownDevice.status).toBe(404);
      expect(unknownDevice.body.data).toEqual(['e'.repeat(32)]);
    });

    it('returns the detail shape (call_id, call_direction, other_leg_call_id, custom_channel_vars)', async () => {
      const r = await call(sim, 'GET', `${base()}/channels/${encodeURIComponent(aLeg)}`, { token });
      expect(r.status).toBe(200);
      for (const k of Object.keys(r.body.data)) expect(DETAIL_KEYS).toContain(k);
      expect(r.body.data).toMatchObject({
        call_id: aLeg,
        call_direction: 'inbound',
        other_leg_call_id: bLeg,
        answered: true,
        is_on_hold: false,
        custom_channel_vars: { account_id: acme().id, owner_id: user('olivia.owner').id, realm: acme().realm },
      });
      expect(r.body.data.uuid).toBeUndefined();
      expect(typeof r.body.data.elapsed_seconds).toBe('number');
    });

    it('transfer: 200 with bare-string data when bridged and a target is given', async () => {
      const r = await call(sim, 'POST', `${base()}/channels/${encodeURIComponent(aLeg)}`, {
        token,
        body: { data: { action: 'transfer', target: '2600', takeback_dtmf: '*1', moh: 'media_id' } },
      });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('success');
      expect(r.body.data).toBe('transfer initiated');
    });

    it('transfer without target: 400 with the exact validation error', async () => {
      const r = await call(sim, 'POST', `${base()}/channels/${encodeURIComponent(aLeg)}`, {
        token,
        body: { data: { action: 'transfer' } },
      });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({
        error: '400',
        message: 'validation error',
        status: 'error',
        data: { target: { required: { message: 'No target destination specified' } } },
      });
    });

    it('break, callflow, move: bare-string data', async () => {
      for (const [action, text] of [
        ['break', 'break initiated'],
        ['callflow', 'callflow initiated'],
        ['move', 'move initiated'],
      ]) {
        const r = await call(sim, 'POST', `${base()}/channels/${encodeURIComponent(aLeg)}`, {
          token,
          body: { data: { action, id: 'cf' } },
        });
        expect(r.status).toBe(200);
        expect(r.body.data).toBe(text);
      }
    });

    it('intercept needs target_type and target_id', async () => {
      const bad = await call(sim, 'POST', `${base()}/channels/${encodeURIComponent(aLeg)}`, {
        token,
        body: { data: { action: 'intercept' } },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.data).toEqual({
        target_type: { required: { message: 'No target type specified' } },
        target_id: { required: { message: 'No target id specified' } },
      });
      const half = await call(sim, 'POST', `${base()}/channels/${encodeURIComponent(aLeg)}`, {
        token,
        body: { data: { action: 'intercept', target_type: 'device' } },
      });
      expect(half.body.data).toEqual({ target_id: { required: { message: 'No target id specified' } } });
      const ok = await call(sim, 'POST', `${base()}/channels/${encodeURIComponent(aLeg)}`, {
        token,
        body: {
          data: {
            action: 'intercept',
            target_type: 'device',
            target_id: user('olivia.owner').deviceIds[0],
            unbridged_only: true,
          },
        },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.data).toBe('intercept initiated');
    });

    it('unknown or missing action: 400 invalid data', async () => {
      for (const data of [{ action: 'explode' }, {}]) {
        const r = await call(sim, 'POST', `${base()}/channels/${encodeURIComponent(aLeg)}`, { token, body: { data } });
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ error: '400', message: 'invalid data', data: {} });
      }
    });

    it('PUT metaflow: 201 "metaflow sent"; schema errors are 400; other actions invalid data', async () => {
      const ok = await call(sim, 'PUT', `${base()}/channels/${encodeURIComponent(aLeg)}`, {
        token,
        body: {
          action: 'metaflow',
          data: { module: 'transfer', data: { target: '2600', 'Transfer-Type': 'blind', leg: 'bleg' } },
        },
      });
      expect(ok.status).toBe(201);
      expect(ok.body.data).toBe('metaflow sent');
      // The seed's example nests the flow one level too deep: the metaflow schema then misses `module`.
      const seedExample = await call(sim, 'PUT', `${base()}/channels/${encodeURIComponent(aLeg)}`, {
        token,
        body: { action: 'metaflow', data: { data: { module: 'hangup' } } },
      });
      expect(seedExample.status).toBe(400);
      expect(seedExample.body.data).toEqual({ module: { required: { message: 'Field is required but missing' } } });
      const longName = await call(sim, 'PUT', `${base()}/channels/${encodeURIComponent(aLeg)}`, {
        token,
        body: { action: 'metaflow', data: { module: 'x'.repeat(65) } },
      });
      expect(longName.body.data.module.maxLength.target).toBe(64);
      const notMeta = await call(sim, 'PUT', `${base()}/channels/${encodeURIComponent(aLeg)}`, {
        token,
        body: { action: 'nope', data: { module: 'hangup' } },
      });
      expect(notMeta.status).toBe(400);
      expect(notMeta.body.message).toBe('invalid data');
    });

    it('hangup: "hangup initiated", then the channels are gone', async () => {
      const r = await call(sim, 'POST', `${base()}/channels/${encodeURIComponent(aLeg)}`, {
        token,
        body: { data: { action: 'hangup' } },
      });
      expect(r.status).toBe(200);
      expect(r.body.data).toBe('hangup initiated');
      await waitFor(() => sim.callLegs(aLeg).length === 0, 'the call legs to go');
      const list = await call(sim, 'GET', `${base()}/channels`, { token });
      expect(list.body.data.map((c: { uuid: string }) => c.uuid)).not.toContain(aLeg);
    });
  });

  it('transfer on an unbridged channel: 400 "Channel is not bridged"', async () => {
    const id = sim.startCall({ accountId: acme().id, destination: '+14155550123' });
    const r = await call(sim, 'POST', `${base()}/channels/${id}`, {
      token,
      body: { data: { action: 'transfer', target: '2600' } },
    });
    expect(r.status).toBe(400);
    expect(r.body.data).toEqual({ other_leg_call_id: { required: { message: 'Channel is not bridged' } } });
    sim.hangupCall(id);
  });

  it('a PSTN leg carries resource and billing keys, no owner', async () => {
    const id = sim.startCall({
      accountId: acme().id,
      toUserId: user('olivia.owner').id,
      callerIdNumber: '+14155550001',
    });
    const r = await call(sim, 'GET', `${base()}/channels`, { token });
    const a = r.body.data.find((c: { uuid: string }) => c.uuid === id);
    expect(a).toMatchObject({
      answered: false,
      direction: 'inbound',
      authorizing_type: 'resource',
      account_billing: 'flat_rate',
      caller_id_number: '+14155550001',
    });
    expect(a.owner_id).toBeUndefined();
    expect(typeof a.resource_id).toBe('string');
    sim.hangupCall(id);
  });

  it('unknown call-id: 503 datastore timeout after the lookup wait; every verb', async () => {
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', { data: { action: 'hangup' } }],
      ['PUT', { action: 'metaflow', data: { module: 'hangup' } }],
    ] as const) {
      const r = await call(sim, method, `${base()}/channels/no-such-call`, { token, body });
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ error: '503', message: 'datastore timeout', data: {}, status: 'error' });
    }
  });

  it('a channel of another account: 404 bad identifier with the id in an array', async () => {
    const id = sim.startCall({ accountId: sim.world.superduperAccount.id, destination: '100' });
    const r = await call(sim, 'GET', `${base()}/channels/${id}`, { token });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ message: 'bad identifier', data: [id] });
    sim.hangupCall(id);
  });

  describe('GET /v2/channels (system wide)', () => {
    it('403 for a non-superduper token', async () => {
      const r = await call(sim, 'GET', '/channels', { token });
      expect(r.status).toBe(403);
    });
    it('500 for the superduper admin while the config flag is off', async () => {
      sim.setAllowSystemWideChannels(false);
      const r = await call(sim, 'GET', '/channels', { token: masterToken });
      expect(r.status).toBe(500);
      expect(r.body).toMatchObject({ error: '500', message: 'could not reach ecallmgr channels' });
    });
    it("every account's channels when the flag is on", async () => {
      sim.setAllowSystemWideChannels(true);
      const a = sim.startCall({ accountId: acme().id, destination: '1' });
      const b = sim.startCall({ accountId: sim.world.superduperAccount.id, destination: '2' });
      const r = await call(sim, 'GET', '/channels', { token: masterToken });
      expect(r.status).toBe(200);
      const ids = r.body.data.map((c: { uuid: string }) => c.uuid);
      expect(ids).toEqual(expect.arrayContaining([a, b]));
      sim.hangupCall(a);
      sim.hangupCall(b);
      sim.setAllowSystemWideChannels(false);
    });
  });
});
