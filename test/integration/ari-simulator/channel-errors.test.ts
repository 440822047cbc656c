/** Error paths of the channel operations (docs/wire/ari.md §2.1–§2.3, §3.2): order of checks, codes, messages. */
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { EventCollector, http } from './helpers';

describe('ARI simulator: channel operation errors', () => {
  let sim: AriSimulator;
  let ws: EventCollector;
  let up: string; // Local ;1 in Stasis, Up
  let down: string; // created, in Stasis, Down
  let outside: string; // originated to an extension: not in Stasis

  beforeAll(async () => {
    sim = await startAriSimulator({ timing: { ringMs: 5, answerMs: 5, playbackMs: 30 } });
    ws = await EventCollector.connect(sim, 'err');
    up = (await http(sim, 'POST', '/ari/channels?endpoint=Local/wait@ari-test&app=err')).body.id;
    await ws.nextOfType('StasisStart', (e) => e.channel.id === up);
    down = (await http(sim, 'POST', '/ari/channels/create?endpoint=PJSIP/alice&app=err')).body.id;
    await ws.nextOfType('StasisStart', (e) => e.channel.id === down);
    outside = (await http(sim, 'POST', '/ari/channels?endpoint=Local/echo@ari-test&extension=echo&context=ari-test'))
      .body.id;
  });
  afterAll(async () => {
    await ws.close();
    await sim.close();
  });

  const expectErr = async (method: string, path: string, status: number, message: string, reason?: string) => {
    const r = await http(sim, method, path);
    expect([method, path, r.status, r.body]).toEqual([method, path, status, { message }]);
    if (reason) expect(r.statusText).toBe(reason);
  };

  const stasisAndStateOps: Array<[string, string]> = [
    ['POST', 'continue'],
    ['POST', 'redirect?endpoint=PJSIP/bob'],
    ['POST', 'answer'],
    ['POST', 'ring'],
    ['DELETE', 'ring'],
    ['POST', 'progress'],
    ['POST', 'dtmf?dtmf=1'],
    ['POST', 'mute?direction=in'],
    ['DELETE', 'mute?direction=in'],
    ['POST', 'hold'],
    ['DELETE', 'hold'],
    ['POST', 'moh'],
    ['DELETE', 'moh'],
    ['POST', 'silence'],
    ['DELETE', 'silence'],
    ['POST', 'play?media=sound:beep'],
    ['POST', 'play/pb1?media=sound:beep'],
  ];
  const stasisOnlyOps: Array<[string, string]> = [
    ['POST', 'move?app=other'],
    ['POST', 'record?name=r1&format=wav'],
    ['POST', 'variable?variable=X&value=1'],
    ['POST', 'dial'],
    ['POST', 'transfer_progress?states=channel_answered'],
  ];

  it('404 Channel not found for unknown channels', async () => {
    for (const [m, op] of [...stasisAndStateOps, ...stasisOnlyOps, ['GET', 'rtp_statistics'], ['DELETE', '']] as Array<
      [string, string]
    >) {
      await expectErr(m, `/ari/channels/nope${op ? `/${op}` : ''}`, 404, 'Channel not found');
    }
  });

  it('409 Channel not in Stasis application for channels outside Stasis', async () => {
    for (const [m, op] of [...stasisAndStateOps, ...stasisOnlyOps]) {
      await expectErr(m, `/ari/channels/${outside}/${op}`, 409, 'Channel not in Stasis application');
    }
  });

  it('412 Channel in invalid state for Down channels, only on state-changing operations', async () => {
    for (const [m, op] of stasisAndStateOps) {
      await expectErr(m, `/ari/channels/${down}/${op}`, 412, 'Channel in invalid state', 'Precondition Failed');
    }
    // move, setChannelVar, transfer_progress have no state check
    expect((await http(sim, 'POST', `/ari/channels/${down}/variable?variable=X&value=1`)).status).toBe(204);
    expect((await http(sim, 'POST', `/ari/channels/${down}/transfer_progress?states=channel_progress`)).status).toBe(
      204,
    );
  });

  it('400s of individual operations (checked after 404/409/412)', async () => {
    await expectErr('POST', `/ari/channels/${up}/dtmf`, 400, 'DTMF is required');
    await expectErr('POST', `/ari/channels/${up}/mute`, 400, 'Direction is required');
    await expectErr('DELETE', `/ari/channels/${up}/mute?direction=up`, 400, 'Invalid direction specified');
    await expectErr('POST', `/ari/channels/${up}/play?media=sound:beep&skipms=-1`, 400, 'skipms cannot be negative');
    await expectErr(
      'POST',
      `/ari/channels/${up}/play?media=sound:beep&offsetms=-1`,
      400,
      'offsetms cannot be negative',
    );
    await expectErr('POST', `/ari/channels/${up}/play`, 500, 'Failed to queue media for playback');
    await expectErr(
      'POST',
      `/ari/channels/${up}/redirect`,
      400,
      "Required parameter 'endpoint' not provided.",
      'Not Found',
    );
    await expectErr(
      'POST',
      `/ari/channels/${up}/redirect?endpoint=PJSIP`,
      422,
      "Endpoint parameter 'PJSIP' does not contain tech/resource",
    );
    await expectErr(
      'POST',
      `/ari/channels/${up}/redirect?endpoint=PJSIP/`,
      422,
      "No resource provided in endpoint parameter 'PJSIP/'",
    );
    await expectErr(
      'POST',
      `/ari/channels/${up}/redirect?endpoint=PJSIP/bob`,
      422,
      "Endpoint technology 'PJSIP' does not match channel technology 'Local'",
    );
    await expectErr('POST', `/ari/channels/${up}/continue?label=nolabel`, 404, 'Requested label can not be found');
    await expectErr('POST', `/ari/channels/${up}/continue?label=0`, 400, 'Requested priority is illegal');
    await expectErr('POST', `/ari/channels/${up}/transfer_progress`, 400, 'states must not be empty');
    await expectErr('POST', `/ari/channels/${up}/transfer_progress?states=nope`, 400, 'Invalid states value');
  });

  it('hangup: reason and reason_code validation, any channel (no 409)', async () => {
    await expectErr(
      'DELETE',
      `/ari/channels/${up}?reason=normal&reason_code=16`,
      400,
      "The reason and reason_code can't both be specified",
    );
    await expectErr(
      'DELETE',
      `/ari/channels/${up}?reason_code=abc`,
      400,
      'Invalid reason for hangup reason code provided',
      'Invalid Reason Code',
    );
    await expectErr(
      'DELETE',
      `/ari/channels/${up}?reason=whatever`,
      400,
      'Invalid reason for hangup reason provided',
      'Invalid Reason',
    );
  });

  it('variables: 400 before lookup, 404 with "Channel Not Found", 500 for unreadable functions, no 409 on reads', async () => {
    await expectErr('GET', '/ari/channels/nope/variable', 400, 'Variable name is required');
    await expectErr(
      'GET',
      '/ari/channels/nope/variable?variable=X',
      404,
      'Provided channel was not found',
      'Channel Not Found',
    );
    await expectErr('POST', '/ari/channels/nope/variable', 400, 'Variable name is required');
    await expectErr(
      'GET',
      `/ari/channels/${up}/variable?variable=NOSUCHFUNC(x)`,
      500,
      'Unable to read provided function',
      'Error With Function',
    );
    await expectErr(
      'POST',
      `/ari/channels/${up}/variable?variable=NOSUCHFUNC(x)&value=1`,
      400,
      'Failed to execute function',
    );
    expect((await http(sim, 'GET', `/ari/channels/${outside}/variable?variable=UNIQUEID`)).body).toEqual({
      value: outside,
    });
    await expectErr('GET', `/ari/channels/${up}/variables`, 400, 'At least one variable name is required');
    await expectErr('GET', `/ari/channels/${up}/variables?variables=UNIQUEID,%20`, 400, 'Variable names are required');
    await expectErr(
      'GET',
      `/ari/channels/${up}/variables?variables=UNIQUEID,NOPE`,
      404,
      'Provided variable was not found',
    );
    // set then unset: an empty value is set, an omitted value unsets
    await http(sim, 'POST', `/ari/channels/${up}/variable?variable=E&value=`);
    expect((await http(sim, 'GET', `/ari/channels/${up}/variable?variable=E`)).body).toEqual({ value: '' });
    await http(sim, 'POST', `/ari/channels/${up}/variable?variable=E`);
    expect((await http(sim, 'GET', `/ari/channels/${up}/variable?variable=E`)).status).toBe(404);
  });

  it('setChannelVars: body required, 404, 409, object required, entry validation', async () => {
    const post = (id: string, json?: unknown) =>
      http(sim, 'POST', `/ari/channels/${id}/variables`, json === undefined ? {} : { json });
    expect((await post(up)).body).toEqual({ message: "The 'variables' field is required" });
    expect(await post('nope', { variables: {} }).then((r) => [r.status, r.body])).toEqual([
      404,
      { message: 'Provided channel was not found' },
    ]);
    expect(await post(outside, { variables: {} }).then((r) => [r.status, r.body])).toEqual([
      409,
      { message: 'Channel not in Stasis application' },
    ]);
    expect(await post(up, { variables: [] }).then((r) => [r.status, r.body])).toEqual([
      400,
      { message: "The 'variables' field must be a JSON object" },
    ]);
    expect((await post(up, { variables: { A: 1 } })).body).toEqual({
      message: "Each value in 'variables' must be a string or an object with 'value' and optional 'report_events'",
    });
    expect((await post(up, { variables: { A: {} } })).body).toEqual({
      message: "Each object value in 'variables' must include string field 'value'",
    });
    expect((await post(up, { variables: { A: { value: 'x', report_events: 'yes' } } })).body).toEqual({
      message: "Field 'report_events' in 'variables' entries must be boolean",
    });
    const ok = await post(up, { variables: { ' SPACED ': 'v', REP: { value: 'r', report_events: true } } });
    expect(ok.status).toBe(204);
    const chan = await http(sim, 'GET', `/ari/channels/${up}`);
    expect(chan.body.channelvars).toEqual({ REP: 'r' });
    expect((await http(sim, 'GET', `/ari/channels/${up}/variable?variable=SPACED`)).body).toEqual({ value: 'v' });
  });

  it('originate validation order and messages', async () => {
    const long = 'x'.repeat(150);
    const cases: Array<[string, number, unknown, unknown?]> = [
      [`endpoint=PJSIP/alice&app=err&channelId=${long}`, 400, { message: 'Uniqueid length exceeds maximum of 149' }],
      [
        'endpoint=PJSIP/alice&app=err&originator=x&formats=ulaw',
        400,
        { message: "Originator and formats can't both be specified" },
      ],
      ['endpoint=PJSIP&app=err', 400, { message: 'Invalid endpoint specified' }],
      ['endpoint=/alice&app=err', 400, { message: 'Invalid endpoint specified' }],
      ['endpoint=PJSIP/alice&context=ari-test', 400, { message: 'Application or extension must be specified' }],
      [
        'endpoint=PJSIP/alice&extension=echo&context=ari-test&label=nolabel',
        404,
        { message: 'Requested label can not be found' },
      ],
      [
        'endpoint=PJSIP/alice&extension=echo&context=ari-test&label=0',
        400,
        { message: 'Requested priority is illegal' },
      ],
      ['endpoint=PJSIP/alice&app=err&originator=nope', 400, { message: 'Provided originator channel was not found' }],
      ['endpoint=PJSIP/alice&app=err&formats=ulaw,nope', 400, { message: 'Provided format (nope) was not found' }],
      ['endpoint=PJSIP/nobody&app=err', 500, { error: 'Allocation failed' }],
      ['endpoint=SIP/alice&app=err', 500, { error: 'Allocation failed' }],
      [`endpoint=PJSIP/alice&app=err&channelId=${up}`, 409, { message: 'Channel with given unique ID already exists' }],
    ];
    for (const [q, status, body] of cases) {
      const r = await http(sim, 'POST', `/ari/channels?${q}`);
      expect([q, r.status, r.body]).toEqual([q, status, body]);
    }
    const vars = await http(sim, 'POST', '/ari/channels?endpoint=PJSIP/alice&app=err', {
      json: { variables: { A: 5 } },
    });
    expect(vars.status).toBe(400);
  });

  it('create validation: no 149-char check, originator silently ignored, 409/500 on request failure', async () => {
    const cases: Array<[string, number, unknown]> = [
      ['app=err', 400, { message: 'Endpoint must be specified' }],
      [
        'endpoint=PJSIP/alice&app=err&originator=x&formats=ulaw',
        400,
        { message: "Originator and formats can't both be specified" },
      ],
      ['endpoint=PJSIP&app=err', 400, { message: 'Invalid endpoint specified' }],
      ['endpoint=PJSIP/nobody&app=err', 500, { error: 'Allocation failed' }],
      [
        `endpoint=PJSIP/alice&app=err&channelId=${down}`,
        409,
        { message: 'Channel with given unique ID already exists' },
      ],
    ];
    for (const [q, status, body] of cases) {
      const r = await http(sim, 'POST', `/ari/channels/create?${q}`);
      expect([q, r.status, r.body]).toEqual([q, status, body]);
    }
    const ignored = await http(sim, 'POST', '/ari/channels/create?endpoint=PJSIP/bob&app=err&originator=nope');
    expect(ignored.status).toBe(200);
  });

  it('dial: 409 "not in the Down state" for answered and for inbound (Ring) channels', async () => {
    await expectErr('POST', `/ari/channels/${up}/dial`, 409, "Channel is not in the 'Down' state");
    const inbound = sim.inboundCall({ endpoint: 'PJSIP/carol', exten: '100', app: 'err' });
    await ws.nextOfType('StasisStart', (e) => e.channel.id === inbound);
    await expectErr('POST', `/ari/channels/${inbound}/dial`, 409, "Channel is not in the 'Down' state");
  });

  it('rtp_statistics: 403 for Local/Snoop, 404 RTP info not found for UnicastRTP without glue', async () => {
    await expectErr('GET', `/ari/channels/${up}/rtp_statistics`, 403, 'Unsupported channel type');
    const em = await http(sim, 'POST', '/ari/channels/externalMedia?app=err&external_host=127.0.0.1:4000&format=ulaw');
    await expectErr('GET', `/ari/channels/${em.body.id}/rtp_statistics`, 404, 'RTP info not found');
  });

  it('externalMedia validation', async () => {
    const base = '/ari/channels/externalMedia';
    await expectErr('POST', `${base}?external_host=h:1&format=ulaw`, 400, 'app cannot be empty');
    await expectErr('POST', `${base}?app=err&format=ulaw`, 400, 'external_host cannot be empty');
    await expectErr(
      'POST',
      `${base}?app=err&external_host=nohost&format=ulaw`,
      400,
      'external_host must be <host>:<port>',
    );
    await expectErr('POST', `${base}?app=err&external_host=h:1`, 400, 'format cannot be empty');
    await expectErr(
      'POST',
      `${base}?app=err&external_host=h:1&format=ulaw&transport=tcp`,
      501,
      'The encapsulation and/or transport is not supported',
    );
    await expectErr(
      'POST',
      `${base}?app=err&external_host=h:1&format=ulaw&encapsulation=audiosocket&transport=tcp`,
      400,
      'data can not be empty',
    );
    await expectErr(
      'POST',
      `${base}?app=err&external_host=h:1&format=nope`,
      400,
      'Provided format (nope) was not found',
    );
  });

  it('snoop validation', async () => {
    await expectErr(
      'POST',
      `/ari/channels/${up}/snoop?app=err&spy=sideways`,
      400,
      'Invalid direction specified for spy',
    );
    await expectErr(
      'POST',
      `/ari/channels/${up}/snoop?app=err&spy=in&whisper=x`,
      400,
      'Invalid direction specified for whisper',
    );
    await expectErr(
      'POST',
      `/ari/channels/${up}/snoop?app=err`,
      400,
      'Direction must be specified for at least spy or whisper',
    );
    await expectErr('POST', `/ari/channels/${up}/snoop?spy=in`, 400, 'Application name is required');
    await expectErr(
      'POST',
      '/ari/channels/nope/snoop?spy=in&app=err',
      404,
      'Provided channel was not found',
      'Channel Not Found',
    );
    await expectErr(
      'POST',
      `/ari/channels/${up}/snoop/${down}?spy=in&app=err`,
      500,
      'Snoop channel could not be created',
      'Internal error',
    );
  });

  it('record validation order: limits before lookup, then 409, options, 422, name', async () => {
    await expectErr(
      'POST',
      '/ari/channels/nope/record?name=a&format=wav&maxDurationSeconds=-1',
      400,
      'max_duration_seconds cannot be negative',
    );
    await expectErr(
      'POST',
      '/ari/channels/nope/record?name=a&format=wav&maxSilenceSeconds=-1',
      400,
      'max_silence_seconds cannot be negative',
    );
    await expectErr('POST', `/ari/channels/${up}/record?name=a&format=wav&terminateOn=x`, 400, 'terminateOn invalid');
    await expectErr('POST', `/ari/channels/${up}/record?name=a&format=wav&ifExists=x`, 400, 'ifExists invalid');
    await expectErr(
      'POST',
      `/ari/channels/${up}/record?name=a&format=mp9`,
      422,
      'specified format is unknown on this system',
    );
    await expectErr('POST', `/ari/channels/${up}/record?format=wav`, 500, 'Error parsing request');
    await expectErr('POST', `/ari/channels/${up}/record?name=../../etc/x&format=wav`, 400, 'Recording name invalid');
  });
});
