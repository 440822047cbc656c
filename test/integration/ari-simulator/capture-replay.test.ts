/**
 * Replays the requests of the Asterisk 22 capture (capture-fixtures.json beside this file, R1–R52; docs/wire/ari.md §7)
 * against the simulator and compares statuses, bodies (volatile values normalised, key order
 * included) and the event type order.
 */
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { barrier, EventCollector, http, ID, shape, TS, UUID } from './helpers';
import fixtures from './capture-fixtures.json';

const cap = fixtures as { responses: Record<string, unknown>; events: Record<string, Record<string, unknown>> };
const ev = (n: number) => cap.events[`main#${n}`];

describe('ARI simulator: capture replay (R1–R52)', () => {
  let sim: AriSimulator;
  let ws: EventCollector;
  let chan: string;
  let peer: string;

  beforeAll(async () => {
    sim = await startAriSimulator({
      asteriskId: '02:fc:00:00:00:01',
      timing: { ringMs: 5, answerMs: 30, playbackMs: 60 },
    });
  });
  afterAll(async () => {
    await ws?.close();
    await sim.close();
  });

  it('R1 asterisk/info and R2 empty channel list', async () => {
    const r1 = await http(sim, 'GET', '/ari/asterisk/info');
    expect(r1.status).toBe(200);
    expect(r1.headers.get('content-type')).toBe('application/json');
    expect(Object.keys(r1.body)).toEqual(['build', 'system', 'config', 'status']);
    expect(r1.body.system).toEqual({ version: '22.10.1', entity_id: '02:fc:00:00:00:01' });
    expect(r1.body.config).toEqual((cap.responses.R1 as { config: unknown }).config);
    expect(r1.body.status.startup_time).toMatch(TS);
    const r2 = await http(sim, 'GET', '/ari/channels');
    expect(r2.status).toBe(200);
    expect(r2.body).toEqual([]);
  });

  it('websocket app=test&subscribeAll=true sends nothing on connect; R3 lists the app', async () => {
    ws = await EventCollector.connect(sim, 'test', true);
    const r3 = await http(sim, 'GET', '/ari/applications');
    expect(r3.status).toBe(200);
    expect(r3.text).toBe(JSON.stringify(cap.responses.R3));
    expect(await barrier(sim, ws, 'test')).toEqual([]);
  });

  it('R4 originate Local/wait@ari-test into app test: response and event sequence', async () => {
    const r = await http(sim, 'POST', '/ari/channels?endpoint=Local/wait@ari-test&app=test');
    expect(r.status).toBe(200);
    expect(shape(r.body)).toBe(shape(cap.responses.R4));
    chan = r.body.id;
    expect(chan).toMatch(ID);
    const from = ws.mark();
    const start = await ws.nextOfType('StasisStart');
    expect(ws.since(from).map((e) => e.type)).toEqual([
      'ChannelCreated',
      'ChannelCreated',
      'ChannelDialplan',
      'Dial',
      'ChannelDialplan',
      'ChannelStateChange',
      'ChannelStateChange',
      'DeviceStateChanged',
      'Dial',
      'DeviceStateChanged',
      'ChannelVarset',
      'StasisStart',
    ]);
    const got = ws.since(from);
    peer = got[1].channel.id;
    expect(peer).toMatch(ID);
    for (let i = 0; i < 12; i++) expect(shape(got[i])).toBe(shape(ev(i + 1)));
    expect(start.args).toEqual([]);
    const wait = await ws.nextOfType('ChannelDialplan');
    expect(shape(wait)).toBe(shape(ev(13)));
  });

  it('R5/R6 get and list show both halves of the Local channel', async () => {
    const r5 = await http(sim, 'GET', `/ari/channels/${chan}`);
    expect(shape(r5.body)).toBe(shape(cap.responses.R5));
    const r6 = await http(sim, 'GET', '/ari/channels');
    expect(shape(r6.body)).toBe(shape(cap.responses.R6));
  });

  it('R7–R10, R14, R20–R25: control operations answer 204 with no events', async () => {
    const ops: Array<[string, string]> = [
      ['POST', 'answer'],
      ['POST', 'hold'],
      ['DELETE', 'hold'],
      ['POST', 'mute?direction=both'],
      ['DELETE', 'mute?direction=both'],
      ['POST', 'ring'],
      ['DELETE', 'ring'],
      ['POST', 'moh'],
      ['DELETE', 'moh'],
      ['POST', 'silence'],
      ['DELETE', 'silence'],
    ];
    for (const [method, op] of ops) {
      const r = await http(sim, method, `/ari/channels/${chan}/${op}`);
      expect([op, r.status, r.text, r.headers.get('content-type')]).toEqual([op, 204, '', null]);
    }
    expect(await barrier(sim, ws, 'test')).toEqual([]);
  });

  it('R11–R13 playback: 201 queued, Started, GET while playing, Finished, then 404', async () => {
    const r = await http(sim, 'POST', `/ari/channels/${chan}/play?media=sound:hello-world`);
    expect(r.status).toBe(201);
    expect(r.body.id).toMatch(UUID);
    expect(r.headers.get('location')).toBe(`/ari/playbacks/${r.body.id}`);
    expect(shape(r.body)).toBe(shape(cap.responses.R11));
    const started = await ws.nextOfType('PlaybackStarted');
    expect(shape(started)).toBe(shape(ev(14)));
    const r12 = await http(sim, 'GET', `/ari/playbacks/${r.body.id}`);
    expect(shape(r12.body)).toBe(shape(cap.responses.R12));
    const finished = await ws.nextOfType('PlaybackFinished');
    expect(shape(finished)).toBe(shape(ev(15)));
    const r13 = await http(sim, 'GET', `/ari/playbacks/${r.body.id}`);
    expect([r13.status, r13.body]).toEqual([404, { message: 'Playback not found' }]);
  });

  it('R15–R17 variables: CHANNEL(name), set FOO (ChannelVarset), read back', async () => {
    const r15 = await http(sim, 'GET', `/ari/channels/${chan}/variable?variable=CHANNEL(name)`);
    expect(r15.body).toEqual(cap.responses.R15);
    const r16 = await http(sim, 'POST', `/ari/channels/${chan}/variable?variable=FOO&value=bar`);
    expect(r16.status).toBe(204);
    const varset = await ws.nextOfType('ChannelVarset');
    expect(shape(varset)).toBe(shape(ev(16)));
    const r17 = await http(sim, 'GET', `/ari/channels/${chan}/variable?variable=FOO`);
    expect(r17.body).toEqual({ value: 'bar' });
  });

  it('R18 dtmf=123 is received by the other Local half', async () => {
    const r = await http(sim, 'POST', `/ari/channels/${chan}/dtmf?dtmf=123`);
    expect(r.status).toBe(204);
    for (const [i, n] of [
      [0, 17],
      [1, 18],
      [2, 19],
    ]) {
      const e = await ws.nextOfType('ChannelDtmfReceived');
      expect(e.digit).toBe(String(i + 1));
      expect(shape(e)).toBe(shape(ev(n)));
    }
  });

  it('R19 rtp_statistics on a Local channel is 403', async () => {
    const r = await http(sim, 'GET', `/ari/channels/${chan}/rtp_statistics`);
    expect([r.status, r.body]).toEqual([403, { message: 'Unsupported channel type' }]);
  });

  it('R26 hangup: request, StasisEnd, STASISSTATUS, peer teardown, destroyed, device states', async () => {
    const r = await http(sim, 'DELETE', `/ari/channels/${chan}`);
    expect(r.status).toBe(204);
    const from = ws.mark();
    await ws.nextOfType('DeviceStateChanged', (e) => e.device_state.state === 'NOT_INUSE');
    await ws.nextOfType('DeviceStateChanged', (e) => e.device_state.state === 'NOT_INUSE');
    const got = ws.since(from);
    expect(got.map((e) => e.type)).toEqual([
      'ChannelHangupRequest',
      'StasisEnd',
      'ChannelVarset',
      'ChannelHangupRequest',
      'ChannelHangupRequest',
      'ChannelDestroyed',
      'ChannelDestroyed',
      'DeviceStateChanged',
      'DeviceStateChanged',
    ]);
    for (let i = 0; i < got.length; i++) expect(shape(got[i])).toBe(shape(ev(20 + i)));
    const r27 = await http(sim, 'GET', '/ari/channels');
    expect(r27.body).toEqual([]);
  });

  it('R28/R29 unknown channel: 404 Channel not found', async () => {
    for (const [m, p] of [
      ['GET', 'doesnotexist'],
      ['POST', 'doesnotexist/answer'],
    ]) {
      const r = await http(sim, m, `/ari/channels/${p}`);
      expect([r.status, r.body]).toEqual([404, { message: 'Channel not found' }]);
    }
  });

  it('R30–R34 channel originated to an extension: not in Stasis (409), vars readable, hangup works', async () => {
    const r = await http(
      sim,
      'POST',
      '/ari/channels?endpoint=Local/wait@ari-test&extension=wait&context=ari-test&priority=1',
    );
    expect(r.status).toBe(200);
    expect(shape(r.body)).toBe(shape(cap.responses.R30));
    const id = r.body.id;
    const from = ws.mark();
    const waitOne = await ws.nextOfType('ChannelDialplan', (e) => e.channel.id === id && e.dialplan_app === 'Wait');
    expect(waitOne.channel.dialplan).toEqual({
      context: 'ari-test',
      exten: 'wait',
      priority: 2,
      app_name: 'Wait',
      app_data: '3600',
    });
    await ws.nextOfType('ChannelDialplan', (e) => e.channel.id !== id && e.dialplan_app === 'Wait');
    const types = ws.since(from).map((e) => e.type);
    expect(types.slice(0, 5)).toEqual([
      'ChannelCreated',
      'ChannelCreated',
      'ChannelDialplan',
      'Dial',
      'ChannelDialplan',
    ]);
    expect(types.filter((t) => t === 'Dial')).toHaveLength(2);
    expect(types).not.toContain('StasisStart');
    for (const op of ['answer', 'hold']) {
      const x = await http(sim, 'POST', `/ari/channels/${id}/${op}`);
      expect([x.status, x.body]).toEqual([409, { message: 'Channel not in Stasis application' }]);
    }
    const v = await http(sim, 'GET', `/ari/channels/${id}/variable?variable=CHANNEL(name)`);
    expect(v.body).toEqual(cap.responses.R33);
    const del = await http(sim, 'DELETE', `/ari/channels/${id}`);
    expect(del.status).toBe(204);
    const hFrom = ws.mark();
    await ws.nextOfType('DeviceStateChanged', (e) => e.device_state.state === 'NOT_INUSE');
    await ws.nextOfType('DeviceStateChanged', (e) => e.device_state.state === 'NOT_INUSE');
    const got = ws.since(hFrom);
    expect(got.slice(0, 4).map((e) => [e.type, e.cause, e.soft])).toEqual([
      ['ChannelHangupRequest', 32, true],
      ['ChannelHangupRequest', 16, true],
      ['ChannelHangupRequest', 16, undefined],
      ['ChannelHangupRequest', 16, true],
    ]);
    expect(shape(got[0])).toBe(shape(ev(41)));
    const destroyed = got.filter((e) => e.type === 'ChannelDestroyed').map((e) => shape(e));
    expect(destroyed.sort()).toEqual([shape(ev(45)), shape(ev(46))].sort());
  });

  it('R35–R37 and the websocket: wrong or missing credentials give 401', async () => {
    const wrong = `Basic ${Buffer.from('asterisk:wrong').toString('base64')}`;
    for (const [path, auth] of [
      ['/ari/asterisk/info', wrong],
      ['/ari/asterisk/info', null],
      ['/ari/asterisk/info?api_key=asterisk:wrong', null],
    ] as Array<[string, string | null]>) {
      const r = await http(sim, 'GET', path, { auth });
      expect([r.status, r.body, r.headers.get('content-type')]).toEqual([
        401,
        { message: 'Authentication required' },
        'application/json',
      ]);
    }
  });

  it('R38–R40 bad originate requests', async () => {
    const cases: Array<[string, number, unknown]> = [
      ['app=test', 400, { message: 'Endpoint must be specified' }],
      ['endpoint=Local/wait@ari-test', 400, { message: 'Application or extension must be specified' }],
      ['endpoint=NoSuchTech/foo&app=test', 500, { error: 'Allocation failed' }],
    ];
    for (const [q, status, body] of cases) {
      const r = await http(sim, 'POST', `/ari/channels?${q}`);
      expect([q, r.status, r.body]).toEqual([q, status, body]);
    }
    expect(await barrier(sim, ws, 'test')).toEqual([]);
  });

  it('R41 originate into an app without websocket: 200, Stasis fails, both halves destroyed with cause 0', async () => {
    const r = await http(sim, 'POST', '/ari/channels?endpoint=Local/wait@ari-test&app=notregistered');
    expect(r.status).toBe(200);
    expect(shape(r.body)).toBe(shape(cap.responses.R41));
    const from = ws.mark();
    await ws.nextOfType('DeviceStateChanged', (e) => e.device_state.state === 'NOT_INUSE');
    await ws.nextOfType('DeviceStateChanged', (e) => e.device_state.state === 'NOT_INUSE');
    const got = ws.since(from);
    const varsets = got.filter((e) => e.type === 'ChannelVarset');
    expect(varsets.map((e) => [e.variable, e.value])).toEqual([
      ['STASISSTATUS', ''],
      ['STASISSTATUS', 'FAILED'],
    ]);
    expect(shape(varsets[1])).toBe(shape(ev(60)));
    const hr = got.find((e) => e.type === 'ChannelHangupRequest');
    expect(shape(hr)).toBe(shape(ev(61)));
    for (const d of got.filter((e) => e.type === 'ChannelDestroyed'))
      expect([d.cause, d.cause_txt]).toEqual([0, 'Unknown']);
    expect(got.map((e) => e.type)).not.toContain('StasisStart');
  });

  it('R42–R45 client ids: channelId/otherChannelId, then 409 on every reuse', async () => {
    const r = await http(
      sim,
      'POST',
      '/ari/channels?endpoint=Local/wait@ari-test&app=test&channelId=dup-test-1&otherChannelId=dup-test-1-other',
    );
    expect(r.status).toBe(200);
    expect(r.text).toBe(JSON.stringify({ ...(cap.responses.R42 as object), creationtime: r.body.creationtime }));
    const start = await ws.nextOfType('StasisStart');
    expect(start.channel.id).toBe('dup-test-1');
    const wait = await ws.nextOfType('ChannelDialplan', (e) => e.channel.id === 'dup-test-1-other');
    expect(shape(wait)).toBe(shape(ev(79)));
    const two = ws.events.find((e) => e.type === 'ChannelCreated' && e.channel.id === 'dup-test-1-other');
    expect(two?.channel.name).toBe('Local/wait@ari-test-00000003;2');
    for (const path of [
      '/ari/channels?endpoint=Local/wait@ari-test&app=test&channelId=dup-test-1',
      '/ari/channels?endpoint=Local/wait@ari-test&app=test&channelId=dup-test-1-other',
      '/ari/channels/dup-test-1?endpoint=Local/wait@ari-test&app=test',
    ]) {
      const x = await http(sim, 'POST', path);
      expect([x.status, x.body]).toEqual([409, { message: 'Channel with given unique ID already exists' }]);
    }
  });

  it('R46 unknown variable → 404 Variable Not Found; R47 bad mute direction → 400', async () => {
    const r46 = await http(sim, 'GET', '/ari/channels/dup-test-1/variable?variable=NO_SUCH_VAR');
    expect([r46.status, r46.statusText, r46.body]).toEqual([
      404,
      'Variable Not Found',
      { message: 'Provided variable was not found' },
    ]);
    const r47 = await http(sim, 'POST', '/ari/channels/dup-test-1/mute?direction=sideways');
    expect([r47.status, r47.body]).toEqual([400, { message: 'Invalid direction specified' }]);
  });

  it('R48 missing sound: Started then Finished "failed"; R49 unknown scheme: Started and nothing more', async () => {
    const r48 = await http(sim, 'POST', '/ari/channels/dup-test-1/play?media=sound:no-such-sound');
    expect(r48.status).toBe(201);
    expect(shape(await ws.nextOfType('PlaybackStarted'))).toBe(shape(ev(80)));
    expect(shape(await ws.nextOfType('PlaybackFinished'))).toBe(shape(ev(81)));
    const r49 = await http(sim, 'POST', '/ari/channels/dup-test-1/play?media=bogus:thing');
    expect([r49.status, r49.body.state, r49.body.media_uri]).toEqual([201, 'queued', 'bogus:thing']);
    expect(shape(await ws.nextOfType('PlaybackStarted'))).toBe(shape(ev(82)));
    expect((await barrier(sim, ws, 'test')).map((e) => e.type)).toEqual([]);
  });

  it('R50–R52 hangup with reason=normal; a second hangup is 404; list empty', async () => {
    const r = await http(sim, 'DELETE', '/ari/channels/dup-test-1?reason=normal');
    expect(r.status).toBe(204);
    const from = ws.mark();
    await ws.nextOfType('DeviceStateChanged', (e) => e.device_state.state === 'NOT_INUSE');
    await ws.nextOfType('DeviceStateChanged', (e) => e.device_state.state === 'NOT_INUSE');
    const got = ws.since(from);
    const gone = got.filter((e) => e.type === 'ChannelDestroyed').map((e) => e.channel.id);
    expect(gone.sort()).toEqual(['dup-test-1', 'dup-test-1-other']);
    expect(got.slice(0, 3).map((e) => shape(e))).toEqual([shape(ev(83)), shape(ev(84)), shape(ev(85))]);
    expect(got.map((e) => e.type)).not.toContain('PlaybackFinished');
    const d1 = got.find((e) => e.type === 'ChannelDestroyed' && e.channel.id === 'dup-test-1');
    expect(shape(d1)).toBe(shape(ev(87)));
    const again = await http(sim, 'DELETE', '/ari/channels/dup-test-1');
    expect([again.status, again.body]).toEqual([404, { message: 'Channel not found' }]);
    expect((await http(sim, 'GET', '/ari/channels')).body).toEqual([]);
  });
});
