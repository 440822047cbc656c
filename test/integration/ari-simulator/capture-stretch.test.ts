/**
 * Replays the "stretch" part of the capture (S1–S33): externalMedia / UnicastRTP channels, an
 * outbound PJSIP call and an inbound PJSIP call into Stasis.
 */
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { barrier, EventCollector, http, shape } from './helpers';
import fixtures from './capture-fixtures.json';

const cap = fixtures as { responses: Record<string, any>; events: Record<string, Record<string, unknown>> };
const ev = (n: number) => cap.events[`stretch#${n}`];

/** Channel names of chan_rtp carry a pointer; ports are allocated: compare them loosely. */
function loose(v: unknown): string {
  return shape(v)
    .replace(/UnicastRTP\/([0-9.:]+)-0x[0-9a-f]+/g, 'UnicastRTP/$1-<ptr>')
    .replace(/"UNICASTRTP_LOCAL_PORT","value":"\d+"/g, '"UNICASTRTP_LOCAL_PORT","value":"<port>"')
    .replace(/"UNICASTRTP_LOCAL_PORT":"\d+"/g, '"UNICASTRTP_LOCAL_PORT":"<port>"')
    .replace(/"protocol_id":"[0-9a-f-]{36}"/g, '"protocol_id":"<callid>"')
    .replace(/"(ssrc|themssrc)=\d+/g, '"$1=<n>');
}

describe('ARI simulator: capture replay, stretch part (S1–S33)', () => {
  let sim: AriSimulator;
  let ws: EventCollector;

  beforeAll(async () => {
    sim = await startAriSimulator({
      asteriskId: '02:fc:00:00:00:01',
      pjsipEndpoints: ['sipp'],
      pjsipContext: 'from-sip',
      timing: { ringMs: 0, answerMs: 20, playbackMs: 40 },
    });
    ws = await EventCollector.connect(sim, 'test', true);
  });
  afterAll(async () => {
    await ws.close();
    await sim.close();
  });

  it('S1–S7 externalMedia: channelvars in the response, event order, no RTP info, hangup', async () => {
    const r = await http(
      sim,
      'POST',
      '/ari/channels/externalMedia?app=test&external_host=127.0.0.1:40000&format=ulaw&channelId=extmedia-1',
    );
    expect(r.status).toBe(200);
    expect(loose(r.body)).toBe(loose(cap.responses.S1));
    expect(Object.keys(r.body.channelvars)).toEqual(['UNICASTRTP_LOCAL_PORT', 'UNICASTRTP_LOCAL_ADDRESS']);
    const from = ws.mark();
    await ws.nextOfType('StasisStart');
    const got = ws.since(from);
    expect(got.map((e) => e.type)).toEqual([
      'ChannelCreated',
      'ChannelVarset',
      'ChannelVarset',
      'DeviceStateChanged',
      'ChannelDialplan',
      'Dial',
      'ChannelStateChange',
      'Dial',
      'ChannelVarset',
      'StasisStart',
    ]);
    for (let i = 0; i < got.length; i++) expect(loose(got[i])).toBe(loose(ev(i + 1)));
    const port = await http(sim, 'GET', '/ari/channels/extmedia-1/variable?variable=UNICASTRTP_LOCAL_PORT');
    expect(port.body).toEqual({ value: r.body.channelvars.UNICASTRTP_LOCAL_PORT });
    const addr = await http(sim, 'GET', '/ari/channels/extmedia-1/variable?variable=UNICASTRTP_LOCAL_ADDRESS');
    expect(addr.body).toEqual(cap.responses.S3);
    const stats = await http(sim, 'GET', '/ari/channels/extmedia-1/rtp_statistics');
    expect([stats.status, stats.body]).toEqual([404, cap.responses.S5]);
    const s6 = await http(sim, 'GET', '/ari/channels/extmedia-1');
    expect(loose(s6.body)).toBe(loose(cap.responses.S6));
    expect((await http(sim, 'DELETE', '/ari/channels/extmedia-1')).status).toBe(204);
    const hFrom = ws.mark();
    await ws.nextOfType('DeviceStateChanged');
    const hang = ws.since(hFrom);
    expect(hang.map((e) => e.type)).toEqual([
      'ChannelHangupRequest',
      'StasisEnd',
      'ChannelVarset',
      'ChannelDestroyed',
      'DeviceStateChanged',
    ]);
    for (let i = 0; i < hang.length; i++) expect(loose(hang[i])).toBe(loose(ev(13 + i)));
  });

  it('S8–S12 UnicastRTP originated with the g option: "Statistics not found"', async () => {
    const r = await http(
      sim,
      'POST',
      '/ari/channels?endpoint=UnicastRTP%2F127.0.0.1%3A40002%2Fc(ulaw)g&app=test&channelId=unicastrtp-1',
    );
    expect(r.status).toBe(200);
    expect(loose(r.body)).toBe(loose(cap.responses.S8));
    const dial = await ws.nextOfType('Dial');
    expect(dial.dialstring).toBe('127.0.0.1:40002/c(ulaw)g');
    await ws.nextOfType('StasisStart');
    const stats = await http(sim, 'GET', '/ari/channels/unicastrtp-1/rtp_statistics');
    expect([stats.status, stats.body]).toEqual([404, cap.responses.S11]);
    expect((await http(sim, 'DELETE', '/ari/channels/unicastrtp-1')).status).toBe(204);
    const d = await ws.nextOfType('DeviceStateChanged');
    expect(d.device_state).toEqual({ name: 'UnicastRTP/127.0.0.1:40002', state: 'UNKNOWN' });
  });

  it('S13–S14 outbound PJSIP with callerId: response and event order', async () => {
    const r = await http(
      sim,
      'POST',
      '/ari/channels?endpoint=PJSIP/sipp&app=test&callerId=ARI%20test%20%3C1000%3E&channelId=sip-out-1',
    );
    expect(r.status).toBe(200);
    expect(loose(r.body)).toBe(loose(cap.responses.S13));
    const from = ws.mark();
    await ws.nextOfType('StasisStart');
    const got = ws.since(from);
    expect(got.map((e) => e.type)).toEqual([
      'ChannelCreated',
      'ChannelDialplan',
      'ChannelCallerId',
      'ChannelConnectedLine',
      'Dial',
      'ChannelStateChange',
      'Dial',
      'DeviceStateChanged',
      'ChannelVarset',
      'StasisStart',
    ]);
    for (let i = 0; i < got.length; i++) expect(loose(got[i])).toBe(loose(ev(35 + i)));
    expect(got[1].channel.protocol_id).toBe(r.body.protocol_id);
    const s14 = await http(sim, 'GET', '/ari/channels/sip-out-1');
    expect(loose(s14.body)).toBe(loose(cap.responses.S14));
  });

  it('S15–S21 answer when up, play, hold/unhold device states, mute, dtmf', async () => {
    expect((await http(sim, 'POST', '/ari/channels/sip-out-1/answer')).status).toBe(204);
    const play = await http(sim, 'POST', '/ari/channels/sip-out-1/play?media=sound:hello-world');
    expect(play.status).toBe(201);
    expect(loose(await ws.nextOfType('PlaybackStarted'))).toBe(
      loose({ ...ev(45), playback: { ...(ev(45).playback as object), id: play.body.id } }),
    );
    await ws.nextOfType('PlaybackFinished');
    expect((await http(sim, 'POST', '/ari/channels/sip-out-1/hold')).status).toBe(204);
    expect(loose(await ws.nextOfType('DeviceStateChanged'))).toBe(loose(ev(47)));
    expect((await http(sim, 'DELETE', '/ari/channels/sip-out-1/hold')).status).toBe(204);
    expect(loose(await ws.nextOfType('DeviceStateChanged'))).toBe(loose(ev(48)));
    for (const [m, p] of [
      ['POST', 'mute?direction=both'],
      ['DELETE', 'mute?direction=both'],
      ['POST', 'dtmf?dtmf=123'],
    ]) {
      expect((await http(sim, m, `/ari/channels/sip-out-1/${p}`)).status).toBe(204);
    }
    // Sent DTMF goes to the SIP far end: nothing is received on the channel.
    expect((await barrier(sim, ws, 'test')).map((e) => e.type)).toEqual([]);
  });

  it('far-end hold, resume and DTMF produce ChannelHold / ChannelUnhold / ChannelDtmfReceived', async () => {
    sim.farEndHold('sip-out-1');
    expect(loose(await ws.nextOfType('ChannelHold'))).toBe(loose(ev(49)));
    sim.farEndUnhold('sip-out-1');
    expect(loose(await ws.nextOfType('ChannelUnhold'))).toBe(loose(ev(50)));
    sim.farEndDtmf('sip-out-1', '4', 200);
    expect(loose(await ws.nextOfType('ChannelDtmfReceived'))).toBe(loose(ev(51)));
  });

  it('S22–S27 functions, rtp_statistics (full RTPstat), endpoint', async () => {
    const get = (v: string) => http(sim, 'GET', `/ari/channels/sip-out-1/variable?variable=${v}`);
    expect((await get('CHANNEL(name)')).body).toEqual(cap.responses.S22);
    const callId = await get('CHANNEL(pjsip%2Ccall-id)');
    const chan = await http(sim, 'GET', '/ari/channels/sip-out-1');
    expect(callId.body).toEqual({ value: chan.body.protocol_id });
    const bad = await get('CHANNEL(pjsip%2Cremote_addr)');
    expect([bad.status, bad.statusText, bad.body]).toEqual([500, 'Error With Function', cap.responses.S24]);
    expect((await get('CHANNEL(rtp%2Cdest)')).status).toBe(200);
    const stats = await http(sim, 'GET', '/ari/channels/sip-out-1/rtp_statistics');
    expect(stats.status).toBe(200);
    expect(Object.keys(stats.body)).toEqual(Object.keys(cap.responses.S26));
    expect(stats.body.channel_uniqueid).toBe('sip-out-1');
    const ep = await http(sim, 'GET', '/ari/endpoints/PJSIP/sipp');
    expect(ep.body).toEqual(cap.responses.S27);
  });

  it('S28 hangup of the outbound PJSIP call: RTP QoS varsets first, AppDial2 in ChannelDestroyed', async () => {
    expect((await http(sim, 'DELETE', '/ari/channels/sip-out-1')).status).toBe(204);
    const from = ws.mark();
    await ws.nextOfType('DeviceStateChanged');
    const got = ws.since(from);
    expect(got.map((e) => (e.type === 'ChannelVarset' ? e.variable : e.type))).toEqual([
      'RTPAUDIOQOS',
      'RTPAUDIOQOSJITTER',
      'RTPAUDIOQOSLOSS',
      'RTPAUDIOQOSRTT',
      'RTPAUDIOQOSMES',
      'ChannelHangupRequest',
      'StasisEnd',
      'STASISSTATUS',
      'ChannelDestroyed',
      'DeviceStateChanged',
    ]);
    for (let i = 5; i < got.length; i++) expect(loose(got[i])).toBe(loose(ev(53 + i)));
    expect(got[0].value).toMatch(
      /^ssrc=\d+;themssrc=\d+;lp=0;rxjitter=[\d.]+;rxcount=\d+;txjitter=[\d.]+;txcount=\d+;rlp=0;rtt=[\d.]+;rxmes=[\d.]+;txmes=[\d.]+$/,
    );
  });

  it('6c inbound PJSIP call into Stasis(test,sip-inbound), RTP stats, hangup with reason=busy', async () => {
    const id = sim.inboundCall({
      endpoint: 'PJSIP/sipp',
      exten: 'stasis',
      context: 'from-sip',
      app: 'test',
      appArgs: ['sip-inbound'],
      answered: true,
      callerId: { name: '', number: 'sipp' },
    });
    const from = ws.mark();
    const start = await ws.nextOfType('StasisStart');
    const got = ws.since(from);
    expect(got.map((e) => e.type)).toEqual([
      'ChannelCreated',
      'ChannelVarset',
      'ChannelDialplan',
      'ChannelStateChange',
      'DeviceStateChanged',
      'ChannelDialplan',
      'ChannelVarset',
      'StasisStart',
    ]);
    for (let i = 0; i < got.length; i++) expect(loose(got[i])).toBe(loose(ev(63 + i)));
    expect(start.args).toEqual(['sip-inbound']);
    const s29 = await http(sim, 'GET', `/ari/channels/${id}`);
    expect(loose(s29.body)).toBe(loose(cap.responses.S29));
    const stats = await http(sim, 'GET', `/ari/channels/${id}/rtp_statistics`);
    expect(Object.keys(stats.body)).toEqual(Object.keys(cap.responses.S31));
    expect((await http(sim, 'DELETE', `/ari/channels/${id}?reason=busy`)).status).toBe(204);
    const hFrom = ws.mark();
    await ws.nextOfType('DeviceStateChanged');
    const hang = ws.since(hFrom);
    expect(hang.slice(5).map((e) => e.type)).toEqual([
      'ChannelHangupRequest',
      'StasisEnd',
      'ChannelVarset',
      'ChannelHangupRequest',
      'ChannelDestroyed',
      'DeviceStateChanged',
    ]);
    for (let i = 5; i < hang.length; i++) expect(loose(hang[i])).toBe(loose(ev(73 + i)));
    expect((await http(sim, 'GET', '/ari/channels')).body).toEqual([]);
  });
});
