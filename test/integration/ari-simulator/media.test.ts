/** Playbacks and recordings (docs/wire/ari.md §2.3 play/record, §3.5, §3.6; playbacks.json, recordings.json). */
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { barrier, EventCollector, http, UUID } from './helpers';

describe('ARI simulator: playbacks and recordings', () => {
  let sim: AriSimulator;
  let ws: EventCollector;

  const newCall = async (): Promise<string> => {
    const id = sim.inboundCall({ endpoint: 'PJSIP/alice', exten: '100', app: 'media', answered: true });
    await ws.nextOfType('StasisStart', (e) => e.channel.id === id);
    return id;
  };

  beforeAll(async () => {
    sim = await startAriSimulator({ timing: { ringMs: 5, answerMs: 5, playbackMs: 150, recordingMs: 40 } });
    ws = await EventCollector.connect(sim, 'media');
  });
  afterAll(async () => {
    await ws.close();
    await sim.close();
  });

  it('several media URIs: Started/Continuing per URI with next_media_uri, then Finished', async () => {
    const id = await newCall();
    const r = await http(sim, 'POST', `/ari/channels/${id}/play/my-pb?media=sound:beep,digits:42&lang=fr`);
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe('/ari/playbacks/my-pb');
    expect(r.body).toEqual({
      id: 'my-pb',
      media_uri: 'sound:beep',
      next_media_uri: 'digits:42',
      target_uri: `channel:${id}`,
      language: 'fr',
      state: 'queued',
    });
    const from = ws.mark();
    await ws.nextOfType('PlaybackFinished');
    const got = ws.since(from);
    expect(got.map((e) => [e.type, e.playback.state, e.playback.media_uri, e.playback.next_media_uri])).toEqual([
      ['PlaybackStarted', 'playing', 'sound:beep', 'digits:42'],
      ['PlaybackContinuing', 'continuing', 'sound:beep', 'digits:42'],
      ['PlaybackStarted', 'playing', 'digits:42', undefined],
      ['PlaybackFinished', 'done', 'digits:42', undefined],
    ]);
    await http(sim, 'DELETE', `/ari/channels/${id}`);
  });

  it('control: pause/unpause/restart/reverse/forward while playing; 400 unknown op; 409 when not playing; 404', async () => {
    const id = await newCall();
    const r = await http(sim, 'POST', `/ari/channels/${id}/play?media=sound:hello-world`);
    const pb = r.body.id;
    expect(pb).toMatch(UUID);
    await ws.nextOfType('PlaybackStarted');
    const ctl = (op: string) => http(sim, 'POST', `/ari/playbacks/${pb}/control?operation=${op}`);
    expect((await ctl('pause')).status).toBe(204);
    expect((await http(sim, 'GET', `/ari/playbacks/${pb}`)).body.state).toBe('paused');
    for (const op of ['reverse', 'forward', 'restart', 'unpause'])
      expect([op, (await ctl(op)).status]).toEqual([op, 204]);
    expect((await http(sim, 'GET', `/ari/playbacks/${pb}`)).body.state).toBe('playing');
    const bad = await ctl('rewind');
    expect([bad.status, bad.body]).toEqual([400, { message: 'Invalid operation rewind' }]);
    await ws.nextOfType('PlaybackFinished');
    const gone = await ctl('pause');
    expect([gone.status, gone.body]).toEqual([404, { message: 'Playback not found' }]);
    // Playbacks on one channel run one at a time: the second stays queued and cannot be controlled.
    const first = await http(sim, 'POST', `/ari/channels/${id}/play?media=sound:beep`);
    const q = await http(sim, 'POST', `/ari/channels/${id}/play?media=sound:beep`);
    await ws.nextOfType('PlaybackStarted', (e) => e.playback.id === first.body.id);
    expect((await http(sim, 'GET', `/ari/playbacks/${q.body.id}`)).body.state).toBe('queued');
    const early = await http(sim, 'POST', `/ari/playbacks/${q.body.id}/control?operation=pause`);
    expect([early.status, early.body]).toEqual([409, { message: 'Can only pause while media is playing' }]);
    await ws.nextOfType('PlaybackFinished', (e) => e.playback.id === first.body.id);
    await ws.nextOfType('PlaybackStarted', (e) => e.playback.id === q.body.id);
    await ws.nextOfType('PlaybackFinished', (e) => e.playback.id === q.body.id);
    await http(sim, 'DELETE', `/ari/channels/${id}`);
  });

  it('DELETE /playbacks/{id} stops with PlaybackFinished "done"; hangup during playback ends "failed" before StasisEnd', async () => {
    const id = await newCall();
    const r = await http(sim, 'POST', `/ari/channels/${id}/play?media=sound:tt-monkeys`);
    await ws.nextOfType('PlaybackStarted');
    expect((await http(sim, 'DELETE', `/ari/playbacks/${r.body.id}`)).status).toBe(204);
    expect((await ws.nextOfType('PlaybackFinished')).playback.state).toBe('done');
    const missing = await http(sim, 'DELETE', `/ari/playbacks/${r.body.id}`);
    expect([missing.status, missing.body]).toEqual([404, { message: 'Playback not found' }]);

    await http(sim, 'POST', `/ari/channels/${id}/play?media=sound:tt-monkeys`);
    await ws.nextOfType('PlaybackStarted');
    await http(sim, 'DELETE', `/ari/channels/${id}`);
    const from = ws.mark();
    await ws.nextOfType('StasisEnd');
    expect(ws.since(from).map((e) => [e.type, e.playback?.state])).toEqual([
      ['ChannelVarset', undefined],
      ['ChannelVarset', undefined],
      ['ChannelVarset', undefined],
      ['ChannelVarset', undefined],
      ['ChannelVarset', undefined],
      ['ChannelHangupRequest', undefined],
      ['PlaybackFinished', 'failed'],
      ['StasisEnd', undefined],
    ]);
  });

  it('duplicate playback ids are accepted', async () => {
    const id = await newCall();
    const a = await http(sim, 'POST', `/ari/channels/${id}/play/same?media=sound:beep`);
    const b = await http(sim, 'POST', `/ari/channels/${id}/play?media=sound:beep&playbackId=same`);
    expect([a.status, b.status]).toEqual([201, 201]);
    await http(sim, 'DELETE', `/ari/channels/${id}`);
    await ws.nextOfType('StasisEnd', (e) => e.channel.id === id);
  });

  it('record: 201 queued with Location, auto-answer, Started/Finished, stored afterwards, 409 on duplicate', async () => {
    const id = sim.inboundCall({ endpoint: 'PJSIP/bob', exten: '100', app: 'media' });
    await ws.nextOfType('StasisStart', (e) => e.channel.id === id);
    const r = await http(sim, 'POST', `/ari/channels/${id}/record?name=calls/rec 1&format=wav&maxDurationSeconds=5`);
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe('/ari/recordings/live/calls%2Frec%201');
    expect(r.body).toEqual({ name: 'calls/rec 1', format: 'wav', target_uri: `channel:${id}`, state: 'queued' });
    const from = ws.mark();
    const started = await ws.nextOfType('RecordingStarted');
    expect(ws.since(from).map((e) => e.type)).toEqual(['ChannelStateChange', 'RecordingStarted']);
    expect(started.recording.state).toBe('recording');
    const live = await http(sim, 'GET', `/ari/recordings/live/${encodeURIComponent('calls/rec 1')}`);
    expect(live.body.state).toBe('recording');
    const dup = await http(sim, 'POST', `/ari/channels/${id}/record?name=calls/rec 1&format=wav`);
    expect([dup.status, dup.body]).toEqual([
      409,
      { message: "Recording 'calls/rec 1' already exists and can not be overwritten" },
    ]);
    const fin = await ws.nextOfType('RecordingFinished');
    expect(fin.recording).toEqual({
      name: 'calls/rec 1',
      format: 'wav',
      target_uri: `channel:${id}`,
      state: 'done',
      duration: 5,
    });
    const stored = await http(sim, 'GET', '/ari/recordings/stored');
    expect(stored.body).toEqual([{ name: 'calls/rec 1', format: 'wav' }]);
    const again = await http(sim, 'POST', `/ari/channels/${id}/record?name=calls/rec 1&format=wav`);
    expect(again.status).toBe(409);
    expect(
      (await http(sim, 'POST', `/ari/channels/${id}/record?name=calls/rec 1&format=wav&ifExists=overwrite`)).status,
    ).toBe(201);
    await ws.nextOfType('RecordingStarted');
    expect((await http(sim, 'POST', `/ari/recordings/live/${encodeURIComponent('calls/rec 1')}/stop`)).status).toBe(
      204,
    );
    expect((await ws.nextOfType('RecordingFinished')).recording.state).toBe('done');
    // a stored recording can be played back
    await http(sim, 'POST', `/ari/channels/${id}/play?media=recording:calls/rec 1`);
    expect((await ws.nextOfType('PlaybackFinished')).playback.state).toBe('done');
    await http(sim, 'DELETE', `/ari/channels/${id}`);
  });

  it('live recording control: pause/unpause/mute/unmute, cancel → canceled, 404s', async () => {
    const id = await newCall();
    await http(sim, 'POST', `/ari/channels/${id}/record?name=ctl&format=ulaw`);
    await ws.nextOfType('RecordingStarted');
    for (const [m, p] of [
      ['POST', 'pause'],
      ['DELETE', 'pause'],
      ['POST', 'mute'],
      ['DELETE', 'mute'],
    ]) {
      expect([p, (await http(sim, m, `/ari/recordings/live/ctl/${p}`)).status]).toEqual([p, 204]);
    }
    expect((await http(sim, 'DELETE', '/ari/recordings/live/ctl')).status).toBe(204);
    expect((await ws.nextOfType('RecordingFinished')).recording.state).toBe('canceled');
    for (const [m, p] of [
      ['GET', ''],
      ['POST', '/stop'],
      ['DELETE', ''],
      ['POST', '/pause'],
    ]) {
      const r = await http(sim, m, `/ari/recordings/live/ctl${p}`);
      expect([p, r.status, r.body]).toEqual([p, 404, { message: 'Recording not found' }]);
    }
    expect((await http(sim, 'GET', '/ari/recordings/stored/ctl')).status).toBe(404);
    expect(await barrier(sim, ws, 'media')).toEqual([]);
    await http(sim, 'DELETE', `/ari/channels/${id}`);
  });
});
