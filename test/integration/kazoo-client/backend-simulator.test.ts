/** KazooBackend end to end against the KAZOO simulator (Crossbar + Blackhole on real sockets). */
import { KazooBackend } from '../../../src/backends/kazoo/backend';
import type { KazooEvent } from '../../../src/backends/kazoo/operations';
import type { KazooBackendConfig } from '../../../src/config';
import { BackendError } from '../../../src/domain/errors';
import { startKazooSimulator, type KazooSimulator, type WorldAccount } from '../../../src/simulators/kazoo';
import { waitFor } from './wait';

let sim: KazooSimulator;
let acme: WorldAccount;
let backend: KazooBackend;
let events: KazooEvent[];
const extra: KazooBackend[] = [];

function user(name: string): string {
  const u = sim.world.users.find((x) => x.username === name);
  if (!u) throw new Error(`no user ${name}`);
  return u.id;
}
const queue = (name: string) => sim.world.queues.find((q) => q.name === name)!.id;

function makeBackend(over: Partial<KazooBackendConfig> = {}): KazooBackend {
  const b = new KazooBackend(
    {
      name: 'kz',
      kind: 'kazoo',
      url: sim.crossbarUrl,
      apiKey: acme.apiKey,
      accountId: acme.id,
      blackholeUrl: sim.blackholeUrl,
      requestTimeoutMs: 2000,
      ...over,
    },
    { backoffBaseMs: 10, backoffMaxMs: 50, pingIntervalMs: 0, replyTimeoutMs: 2000 },
  );
  if (b !== backend) extra.push(b);
  return b;
}

function requestLines(): string[] {
  return sim.requests.map((r) => `${r.method} ${r.path.replace(/^\/v2/, '')}`);
}

async function until<T extends KazooEvent>(pred: (e: KazooEvent) => e is T, what: string): Promise<T>;
async function until(pred: (e: KazooEvent) => boolean, what: string): Promise<KazooEvent>;
async function until(pred: (e: KazooEvent) => boolean, what: string): Promise<KazooEvent> {
  await waitFor(() => events.some(pred), what);
  return events.find(pred)!;
}

beforeEach(async () => {
  sim = await startKazooSimulator({ timing: { channelLookupTimeoutMs: 20, actionEffectMs: 10, wrapupMs: 60_000 } });
  acme = sim.world.customerAccount!;
  events = [];
  backend = makeBackend();
  backend.onEvent((e) => events.push(e));
  await backend.start();
  sim.resetRequestLog();
});

afterEach(async () => {
  await backend.stop();
  for (const b of extra.splice(0)) await b.stop();
  await sim.close();
});

describe('channels', () => {
  it('lists, filters and reads detail of a live call, mapped to domain channels', async () => {
    const alice = user('alice.agent');
    const olivia = user('olivia.owner');
    const aLeg = sim.startCall({ accountId: acme.id, fromUserId: olivia, toUserId: alice });
    const bLeg = sim.callLegs(aLeg)[1];

    const all = await backend.listChannels({});
    expect(all.map((c) => c.nativeId).sort()).toEqual([aLeg, bLeg].sort());
    const a = all.find((c) => c.nativeId === aLeg)!;
    expect([a.backend, a.backendKind, a.state, a.kazoo?.direction, a.kazoo?.accountId, a.kazoo?.ownerId]).toEqual([
      'kz',
      'kazoo',
      'RING',
      'inbound',
      acme.id,
      olivia,
    ]);
    const b = all.find((c) => c.nativeId === bLeg)!;
    expect([b.state, b.kazoo?.direction, b.kazoo?.ownerId, b.kazoo?.otherLegCallId]).toEqual([
      'RINGING',
      'outbound',
      alice,
      aLeg,
    ]);

    expect((await backend.listChannels({}, { userId: alice })).map((c) => c.nativeId)).toEqual([bLeg]);
    const aliceDevice = sim.world.users.find((u) => u.id === alice)!.deviceIds[0];
    expect((await backend.listChannels({}, { deviceId: aliceDevice })).map((c) => c.nativeId)).toEqual([bLeg]);

    sim.answerCall(aLeg);
    const detail = await backend.getChannel(aLeg, { requestId: 'detail-1' });
    expect(detail?.state).toBe('UP');
    expect(detail?.kazoo?.otherLegCallId).toBe(bLeg);
    expect(detail?.caller.name).toBe('Olivia Owner');
    expect(sim.requests.at(-1)?.requestId).toBe('detail-1');
  });

  it('an unknown channel is null (KAZOO 503 confirmed by the list); actions on it are NOT_FOUND', async () => {
    expect(await backend.getChannel('no-such-call', {})).toBeNull();
    await expect(backend.hangupChannel('no-such-call', {}, {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
      backend: 'kz',
    });
  });

  it('hangup ends the call: CHANNEL_DESTROY arrives and the channel is gone', async () => {
    const aLeg = sim.startCall({ accountId: acme.id, fromUserId: user('olivia.owner'), toUserId: user('bob.agent') });
    sim.answerCall(aLeg);
    await backend.hangupChannel(aLeg, { reason: 'normal' }, {});
    const destroyed = await until(
      (e) => e.type === 'call' && e.name === 'CHANNEL_DESTROY' && e.callId === aLeg,
      'CHANNEL_DESTROY',
    );
    expect(destroyed.type === 'call' && destroyed.channel.state).toBe('DOWN');
    expect(await backend.getChannel(aLeg, {})).toBeNull();
  });

  it('transfer of an unbridged channel → BAD_USER_INPUT with KAZOO validation', async () => {
    const aLeg = sim.startCall({ accountId: acme.id, destination: '+14155550100' });
    const err = (await backend.transferChannel(aLeg, { target: '2600' }, {}).catch((e: unknown) => e)) as BackendError;
    expect(err).toBeInstanceOf(BackendError);
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.backendStatus).toBe(400);
    expect(err.details.validation).toEqual([
      { field: 'other_leg_call_id', rule: 'required', message: 'Channel is not bridged' },
    ]);
  });

  it('missing target: refused before sending by the backend, and by KAZOO on the wire', async () => {
    const aLeg = sim.startCall({ accountId: acme.id, fromUserId: user('olivia.owner'), toUserId: user('alice.agent') });
    sim.answerCall(aLeg);
    await expect(backend.transferChannel(aLeg, { target: '' }, {})).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(sim.requests).toHaveLength(0);
    const err = (await backend.client
      .channelAction(acme.id, aLeg, { action: 'transfer' }, {})
      .catch((e: unknown) => e)) as BackendError;
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.details.validation).toEqual([
      { field: 'target', rule: 'required', message: 'No target destination specified' },
    ]);
  });

  it('bridged transfer, break, callflow, intercept and metaflow are accepted', async () => {
    const aLeg = sim.startCall({ accountId: acme.id, fromUserId: user('olivia.owner'), toUserId: user('alice.agent') });
    sim.answerCall(aLeg);
    await backend.transferChannel(aLeg, { target: '2600', type: 'attended', leg: 'bleg' }, {});
    await backend.breakChannel(aLeg, {});
    await backend.sendToCallflow(aLeg, 'c'.repeat(32), {});
    await backend.interceptChannel(aLeg, { targetType: 'user', targetId: user('bob.agent') }, {});
    await backend.runMetaflow(aLeg, { module: 'say', data: { text: 'hi' } }, {});
    expect(requestLines()).toEqual([
      ...Array(4).fill(`POST /accounts/${acme.id}/channels/${encodeURIComponent(aLeg)}`),
      `PUT /accounts/${acme.id}/channels/${encodeURIComponent(aLeg)}`,
    ]);
    await backend.runMetaflow(aLeg, { module: 'hangup' }, {});
    await until((e) => e.type === 'call' && e.name === 'CHANNEL_DESTROY' && e.callId === aLeg, 'metaflow hangup');
  });

  it('system-wide listing: FORBIDDEN for a customer token, allowed for the superduper admin with the flag', async () => {
    expect(await backend.canListSystemWide({})).toBe(false);
    await expect(backend.listChannels({}, { systemWide: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const admin = makeBackend({
      apiKey: sim.world.superduperAccount.apiKey,
      accountId: sim.world.superduperAccount.id,
      blackholeUrl: undefined,
    });
    expect(await admin.canListSystemWide({})).toBe(false); // flag off: KAZOO answers 500
    sim.setAllowSystemWideChannels(true);
    const aLeg = sim.startCall({ accountId: acme.id, destination: '+14155550100' });
    expect(await admin.canListSystemWide({})).toBe(true);
    expect((await admin.listChannels({}, { systemWide: true })).map((c) => c.nativeId)).toEqual([aLeg]);
  });
});

describe('auth', () => {
  it('an unknown api key is BACKEND_AUTH_FAILED', async () => {
    const bad = makeBackend({ apiKey: 'f'.repeat(64), blackholeUrl: undefined });
    await expect(bad.listChannels({})).rejects.toMatchObject({ code: 'BACKEND_AUTH_FAILED', backendStatus: 404 });
  });

  it('user credentials work too', async () => {
    const alice = sim.world.users.find((u) => u.username === 'alice.agent')!;
    const b = makeBackend({
      apiKey: undefined,
      credentials: { username: alice.username, password: alice.password, accountName: acme.name },
      blackholeUrl: undefined,
    });
    expect(await b.listChannels({})).toEqual([]);
  });

  it('an expired token is renewed once and the request succeeds', async () => {
    await backend.listChannels({});
    sim.resetRequestLog();
    sim.expireAllTokens();
    await backend.listChannels({});
    expect(requestLines()).toEqual([
      `GET /accounts/${acme.id}/channels`,
      'PUT /api_auth',
      `GET /accounts/${acme.id}/channels`,
    ]);
  });
});

describe('recipients', () => {
  it('lists recipients with statuses in two requests', async () => {
    const list = await backend.listRecipients(acme.id, {});
    expect(list.map((r) => [r.name, r.status?.availabilityState ?? null]).sort()).toEqual([
      ['Alice Agent', 'READY'],
      ['Bob Agent', 'AWAY'],
      ['Carol Agent', 'READY'],
      ['Dave Agent', null],
    ]);
    expect(requestLines()).toEqual([
      `GET /accounts/${acme.id}/qubicle_recipients`,
      `POST /accounts/${acme.id}/qubicle_recipients/status`,
    ]);
  });

  it('a listing of more than one Crossbar page (120 agents) comes back whole in one GET with paginate=false', async () => {
    const added = sim.createRecipients(acme.id, 116, { initialState: 'Ready' });
    sim.resetRequestLog();
    const list = await backend.listRecipients(acme.id, {});
    expect(list).toHaveLength(120);
    expect(new Set(list.map((r) => r.nativeId))).toEqual(
      new Set([...added.map((r) => r.id), ...['alice', 'bob', 'carol', 'dave'].map((n) => user(`${n}.agent`))]),
    );
    expect(list.filter((r) => r.status?.availabilityState === 'READY')).toHaveLength(118);
    expect(
      sim.requests.map((r) => `${r.method} ${r.path.replace(/^\/v2/, '')}${r.query ? `?${r.query}` : ''}`),
    ).toEqual([
      `GET /accounts/${acme.id}/qubicle_recipients?paginate=false`,
      `POST /accounts/${acme.id}/qubicle_recipients/status`,
    ]);
  });

  it('getRecipientConfig: the user document only, one GET; a non-recipient is null', async () => {
    const alice = user('alice.agent');
    const config = await backend.getRecipientConfig(acme.id, alice, {});
    expect(config).toMatchObject({
      firstName: 'Alice',
      lastName: 'Agent',
      username: 'alice.agent',
      enabled: true,
      hasPin: false,
    });
    expect(await backend.getRecipientConfig(acme.id, user('olivia.owner'), {})).toBeNull();
    expect(requestLines()).toEqual([
      `GET /accounts/${acme.id}/qubicle_recipients/${alice}`,
      `GET /accounts/${acme.id}/qubicle_recipients/${user('olivia.owner')}`,
    ]);
  });

  it('getRecipient: config from the user doc, status; a non-recipient is null', async () => {
    const r = await backend.getRecipient(acme.id, user('alice.agent'), {});
    expect([
      r?.name,
      r?.config?.enabled,
      r?.config?.username,
      r?.status?.availabilityState,
      r?.status?.available,
    ]).toEqual(['Alice Agent', true, 'alice.agent', 'READY', true]);
    expect(r?.status?.stats.loginTime).toBeInstanceOf(Date);
    expect(await backend.getRecipient(acme.id, user('olivia.owner'), {})).toBeNull();
  });

  it('login, ready, per-queue away, logout — with recipient events', async () => {
    const dave = user('dave.agent');
    await backend.loginRecipient(acme.id, dave, {});
    expect((await backend.recipientStatuses(acme.id, [dave], {}))[0]?.availabilityState).toBe('AWAY');
    await backend.setRecipientStatus(acme.id, dave, 'ready', {});
    await backend.setRecipientStatus(acme.id, dave, 'away', {}, queue('Sales'));
    const [st] = await backend.recipientStatuses(acme.id, [dave], {});
    expect(st?.availabilityState).toBe('READY');
    expect(st?.queueAvailability).toEqual([{ queueId: queue('Sales'), available: false }]);
    await backend.logoutRecipient(acme.id, dave, {});
    expect(await backend.recipientStatuses(acme.id, [dave], {})).toEqual([null]);
    const mine = () => events.filter((e) => e.type === 'recipient' && e.recipient.recipientId === dave);
    await waitFor(() => mine().length === 4, 'four recipient events');
    expect(mine().map((e) => (e.type === 'recipient' ? [e.name, e.recipient.availabilityState] : []))).toEqual([
      ['create', 'AWAY'],
      ['ready', 'READY'],
      ['away', 'READY'], // per-queue away: globally still ready
      ['delete', 'NOT_LOGGED_IN'],
    ]);
    expect(mine()[2].raw.queue_id).toBe(queue('Sales'));
  });

  it('ready/away on a recipient that is not logged in → BAD_USER_INPUT', async () => {
    const err = (await backend
      .setRecipientStatus(acme.id, user('dave.agent'), 'ready', {})
      .catch((e: unknown) => e)) as BackendError;
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.backendStatus).toBe(400);
    expect((err.details.validation as Array<{ rule: string }>)[0].rule).toBe('not_logged_in');
  });

  it('batch set-status: per recipient per queue results', async () => {
    const [alice, bob, dave] = [user('alice.agent'), user('bob.agent'), user('dave.agent')];
    const res = await backend.setRecipientStatuses(
      acme.id,
      [
        { userId: alice, status: 'away' },
        { userId: bob, status: 'ready' },
        { userId: bob, status: 'away', queueId: queue('Support') },
        { userId: dave, status: 'ready' },
      ],
      {},
    );
    expect(res.map((r) => [r.userId, r.queueId, r.ok])).toEqual([
      [alice, null, true],
      [bob, null, true],
      [bob, queue('Support'), false],
      [dave, null, false],
    ]);
    expect(sim.recipientState(alice)).toBe('Away');
    expect(sim.recipientState(bob)).toBe('Ready');
  });

  it('a 50-recipient status read costs exactly one batch POST', async () => {
    const added = sim.createRecipients(acme.id, 46, { initialState: 'Away' });
    const ids = [...sim.world.recipients.map((r) => r.id)];
    expect(ids).toHaveLength(50);
    sim.resetRequestLog();
    const statuses = await backend.recipientStatuses(acme.id, ids, {});
    expect(requestLines()).toEqual([`POST /accounts/${acme.id}/qubicle_recipients/status`]);
    expect(statuses).toHaveLength(50);
    expect(statuses.filter((s) => s === null)).toHaveLength(1); // Dave
    expect(statuses[ids.indexOf(added[0].id)]?.availabilityState).toBe('AWAY');
  });

  it('queue call: offer, delivered, wrap-up extend and cancel, supervisor monitor', async () => {
    const [alice, carol] = [user('alice.agent'), user('carol.agent')];
    await backend.setRecipientStatus(acme.id, alice, 'away', {});
    const aLeg = sim.startCall({
      accountId: acme.id,
      queueId: queue('Support'),
      callerIdName: 'Zed',
      callerIdNumber: '+15550199',
    });
    await waitFor(() => sim.recipientState(carol) === 'Call-Offer', 'offer to Carol');
    const [offered] = await backend.recipientStatuses(acme.id, [carol], {});
    expect(offered?.availabilityState).toBe('CALL_OFFER');
    expect(offered?.offeredCall).toMatchObject({
      queueId: queue('Support'),
      callerIdName: 'Zed',
      callerIdNumber: '+15550199',
    });

    sim.answerCall(sim.callLegs(aLeg)[1]);
    await waitFor(() => sim.recipientState(carol) === 'On-A-Call', 'Carol on the call');
    expect((await backend.recipientStatuses(acme.id, [carol], {}))[0]?.handlingCall?.callerIdName).toBe('Zed');

    await backend.monitorRecipient(acme.id, alice, { target: carol, mode: 'whisper' }, {});
    const tap = await until(
      (e) => e.type === 'recipient' && e.recipient.recipientId === alice && e.name === 'Wiretap-Start',
      'Wiretap-Start',
    );
    expect(tap.raw).toMatchObject({ target_id: carol, mode: 'whisper' });
    const aliceStatus = (await backend.getRecipient(acme.id, alice, {}))?.status;
    expect([aliceStatus?.wiretappingRecipientId, aliceStatus?.wiretapMode]).toEqual([carol, 'whisper']);

    sim.hangupCall(aLeg);
    await waitFor(() => sim.recipientState(carol) === 'Wrapup-Time', 'wrap-up');
    const [wrap] = await backend.recipientStatuses(acme.id, [carol], {});
    expect(wrap?.availabilityState).toBe('WRAPUP_TIME');
    expect(wrap?.wrapupTimeSeconds).toBeGreaterThan(0);
    await backend.extendWrapup(acme.id, carol, {});
    expect(sim.recipientState(carol)).toBe('Wrapup-Time');
    await backend.cancelWrapup(acme.id, carol, {});
    expect(sim.recipientState(carol)).toBe('Ready');
  });
});

describe('blackhole and websockets', () => {
  it('subscribes call, object and qubicle bindings and receives call events in order', async () => {
    expect(backend.health()).toMatchObject({ connected: true, lastError: null, reconnects: 0 });
    expect(backend.activeBindings()).toEqual(['call.*.*', 'object.*.*', 'qubicle.recipient']);
    const aLeg = sim.startCall({ accountId: acme.id, fromUserId: user('olivia.owner'), toUserId: user('bob.agent') });
    sim.answerCall(aLeg);
    sim.hangupCall(aLeg);
    await until((e) => e.type === 'call' && e.callId === aLeg && e.name === 'CHANNEL_DESTROY', 'A-leg destroy');
    const aEvents = events.filter((e) => e.type === 'call' && e.callId === aLeg);
    expect(aEvents.map((e) => e.name)).toEqual(
      expect.arrayContaining(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY']),
    );
    const names = aEvents.map((e) => e.name);
    expect(names.indexOf('CHANNEL_CREATE')).toBeLessThan(names.indexOf('CHANNEL_ANSWER'));
    expect(names.indexOf('CHANNEL_ANSWER')).toBeLessThan(names.indexOf('CHANNEL_DESTROY'));
    const create = aEvents[0];
    expect(create.type === 'call' && [create.accountId, create.channel.state, create.channel.caller.name]).toEqual([
      acme.id,
      'RING',
      'Olivia Owner',
    ]);
  });

  it('the gateway session shows in the websockets API with its bindings', async () => {
    const sessions = await backend.websocketSessions(acme.id, {});
    expect(sessions).toHaveLength(1);
    expect(sessions[0].bindings).toEqual(expect.arrayContaining(['call.*.*', 'object.*.*', 'qubicle.recipient']));
    expect(sessions[0].connectedAt).toBeInstanceOf(Date);
    const one = await backend.websocketSession(acme.id, sessions[0].nativeId, {});
    expect(one?.nativeId).toBe(sessions[0].nativeId);
    expect(await backend.websocketSession(acme.id, '10.0.0.1:1', {})).toBeNull();
    const groups = await backend.websocketBindings({});
    expect(groups.map((g) => g.category)).toEqual(expect.arrayContaining(['call', 'object']));
  });

  it('reconnects after Blackhole drops the session, re-subscribes, and events flow again', async () => {
    const states: boolean[] = [];
    backend.onConnectionChange((c) => states.push(c));
    sim.disconnectBlackholeSessions();
    await waitFor(() => states.length === 2, 'down and up');
    expect(states).toEqual([false, true]);
    expect(backend.health()).toMatchObject({ connected: true, reconnects: 1 });
    const aLeg = sim.startCall({ accountId: acme.id, destination: '+14155550100' });
    await until((e) => e.type === 'call' && e.callId === aLeg && e.name === 'CHANNEL_CREATE', 'event after reconnect');
  });

  it('re-subscribes with a fresh token when the old one expired', async () => {
    sim.expireAllTokens();
    const states: boolean[] = [];
    backend.onConnectionChange((c) => states.push(c));
    sim.disconnectBlackholeSessions();
    await waitFor(() => states.length === 2, 'down and up');
    expect(backend.health().connected).toBe(true);
    expect(requestLines().filter((l) => l === 'PUT /api_auth')).toHaveLength(1);
  });
});
