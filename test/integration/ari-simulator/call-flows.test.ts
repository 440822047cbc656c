/** Call flows (docs/wire/ari.md §3): create+dial, far-end outcomes, Local pairs, snoop, continue, move, variables. */
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { barrier, EventCollector, http, ID } from './helpers';

describe('ARI simulator: call flows', () => {
  let sim: AriSimulator;
  let ws: EventCollector;
  let other: EventCollector;

  beforeAll(async () => {
    sim = await startAriSimulator({ timing: { ringMs: 10, answerMs: 20, playbackMs: 20 } });
    ws = await EventCollector.connect(sim, 'flows');
    other = await EventCollector.connect(sim, 'other');
  });
  afterAll(async () => {
    await ws.close();
    await other.close();
    await sim.close();
  });

  it('create + dial: variables and StasisStart (Down) are delivered, then Dial/Ringing/Up; no second StasisStart', async () => {
    const r = await http(sim, 'POST', '/ari/channels/create?endpoint=PJSIP/alice&app=flows&appArgs=x,y', {
      json: { variables: { GREETING: 'hi' } },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      state: 'Down',
      dialplan: { context: 'from-internal', exten: 's', priority: 1, app_name: '', app_data: '' },
    });
    const id = r.body.id;
    const from = ws.mark();
    const start = await ws.nextOfType('StasisStart');
    expect(ws.since(from).map((e) => [e.type, e.variable ?? e.dialplan_app])).toEqual([
      ['ChannelVarset', 'GREETING'],
      ['ChannelDialplan', 'Stasis'],
      ['ChannelVarset', 'STASISSTATUS'],
      ['StasisStart', undefined],
    ]);
    expect(start.args).toEqual(['x', 'y']);
    expect(start.channel.state).toBe('Down');
    expect(start.channel.dialplan).toMatchObject({ app_name: 'Stasis', app_data: 'flows,x,y' });
    const answer = await http(sim, 'POST', `/ari/channels/${id}/answer`);
    expect(answer.status).toBe(412);
    expect((await http(sim, 'POST', `/ari/channels/${id}/dial?timeout=30`)).status).toBe(204);
    const dFrom = ws.mark();
    await ws.nextOfType('Dial', (e) => e.dialstatus === 'ANSWER');
    expect(ws.since(dFrom).map((e) => [e.type, e.dialstatus ?? e.channel?.state])).toEqual([
      ['Dial', ''],
      ['ChannelStateChange', 'Ringing'],
      ['Dial', 'RINGING'],
      ['ChannelStateChange', 'Up'],
      ['Dial', 'ANSWER'],
    ]);
    expect(ws.since(dFrom)[0]).toMatchObject({ dialstring: 'alice', forward: '', peer: { id } });
    expect(ws.since(dFrom)[0].caller).toBeUndefined();
    const again = await http(sim, 'POST', `/ari/channels/${id}/dial`);
    expect([again.status, again.body]).toEqual([409, { message: "Channel is not in the 'Down' state" }]);
    expect((await barrier(sim, ws, 'flows')).map((e) => e.type)).toEqual([]);
    // A create'd channel is hung up when it leaves Stasis.
    expect((await http(sim, 'POST', `/ari/channels/${id}/continue`)).status).toBe(204);
    await ws.nextOfType('StasisEnd');
    const d = await ws.nextOfType('ChannelDestroyed');
    expect(d.channel.id).toBe(id);
  });

  it('originate: far end busy while ringing → Dial BUSY and ChannelDestroyed 17 with tech_cause 486', async () => {
    const slow = await startAriSimulator({ timing: { ringMs: 5, answerMs: 60_000 } });
    const c = await EventCollector.connect(slow, 'b');
    try {
      const r = await http(slow, 'POST', '/ari/channels?endpoint=PJSIP/bob&app=b&timeout=-1');
      await c.nextOfType('Dial', (e) => e.dialstatus === 'RINGING');
      const early = await http(slow, 'POST', `/ari/channels/${r.body.id}/answer`);
      expect([early.status, early.body]).toEqual([409, { message: 'Channel not in Stasis application' }]);
      slow.farEndHangup(r.body.id, 17);
      const busy = await c.nextOfType('Dial', (e) => e.dialstatus !== 'RINGING');
      expect(busy.dialstatus).toBe('BUSY');
      const d = await c.nextOfType('ChannelDestroyed');
      expect([d.cause, d.cause_txt, d.tech_cause, d.channel.state]).toEqual([17, 'User busy', 486, 'Ringing']);
      // Manual control: farEndRinging / farEndAnswer
      const m = await http(slow, 'POST', '/ari/channels?endpoint=PJSIP/carol&app=b');
      await c.nextOfType('Dial', (e) => e.peer.id === m.body.id && e.dialstatus === 'RINGING');
      slow.farEndAnswer(m.body.id);
      await c.nextOfType('StasisStart', (e) => e.channel.id === m.body.id);
      // dial timeout: a create'd channel dialed with timeout=1 is hung up with cause 19
      const cr = await http(slow, 'POST', '/ari/channels/create?endpoint=PJSIP/dave&app=b');
      await c.nextOfType('StasisStart', (e) => e.channel.id === cr.body.id);
      await http(slow, 'POST', `/ari/channels/${cr.body.id}/dial?timeout=1`);
      const t = await c.nextOfType('ChannelDestroyed', (e) => e.channel.id === cr.body.id, 4000);
      expect([t.cause, t.cause_txt]).toEqual([19, 'User alerting, no answer']);
    } finally {
      await c.close();
      await slow.close();
    }
  });

  it('Local channel into stasis-<app>: ;2 enters Stasis ringing; ring on ;2 makes ;1 Ringing; answering ;2 answers ;1', async () => {
    const r = await http(sim, 'POST', '/ari/channels?endpoint=Local/100@stasis-other&app=flows');
    const one = r.body.id;
    expect(r.body.name).toMatch(/^Local\/100@stasis-other-[0-9a-f]{8};1$/);
    const start = await other.nextOfType('StasisStart');
    const two = start.channel.id;
    expect(two).toMatch(ID);
    expect(start.channel).toMatchObject({
      state: 'Ring',
      dialplan: { context: 'stasis-other', exten: '100', app_name: 'Stasis', app_data: 'other' },
    });
    expect((await http(sim, 'POST', `/ari/channels/${two}/ring`)).status).toBe(204);
    await ws.nextOfType('Dial', (e) => e.peer.id === one && e.dialstatus === 'RINGING');
    expect((await http(sim, 'POST', `/ari/channels/${two}/answer`)).status).toBe(204);
    const s1 = await ws.nextOfType('StasisStart', (e) => e.channel.id === one);
    expect(s1.channel.state).toBe('Up');
    await http(sim, 'DELETE', `/ari/channels/${one}`);
    await other.nextOfType('StasisEnd', (e) => e.channel.id === two);
    await ws.nextOfType('ChannelDestroyed', (e) => e.channel.id === one);
  });

  it('snoop: a new Up channel Snoop/<id>-xxxxxxxx enters the app; hung up with the spied channel', async () => {
    const id = sim.inboundCall({ endpoint: 'PJSIP/alice', exten: '300', app: 'flows', answered: true });
    await ws.nextOfType('StasisStart', (e) => e.channel.id === id);
    const r = await http(sim, 'POST', `/ari/channels/${id}/snoop/snoop-1?spy=both&app=other&appArgs=spy`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 'snoop-1', state: 'Up' });
    expect(r.body.name).toMatch(new RegExp(`^Snoop/${id.replace('.', '\\.')}-[0-9a-f]{8}$`));
    const s = await other.nextOfType('StasisStart', (e) => e.channel.id === 'snoop-1');
    expect(s.args).toEqual(['spy']);
    await http(sim, 'DELETE', `/ari/channels/${id}`);
    await other.nextOfType('StasisEnd', (e) => e.channel.id === 'snoop-1');
    expect(sim.channelIds()).not.toContain('snoop-1');
  });

  it('continue: an inbound channel leaves Stasis and runs the dialplan target', async () => {
    const id = sim.inboundCall({ endpoint: 'PJSIP/bob', exten: '400', app: 'flows', answered: true });
    await ws.nextOfType('StasisStart', (e) => e.channel.id === id);
    const sub = await http(sim, 'POST', `/ari/applications/flows/subscription?eventSource=channel:${id}`);
    expect(sub.status).toBe(200);
    expect((await http(sim, 'POST', `/ari/channels/${id}/continue?context=ari-test&extension=echo`)).status).toBe(204);
    await ws.nextOfType('StasisEnd', (e) => e.channel.id === id);
    const echo = await ws.nextOfType('ChannelDialplan', (e) => e.channel.id === id);
    expect(echo.channel.dialplan).toEqual({
      context: 'ari-test',
      exten: 'echo',
      priority: 2,
      app_name: 'Echo',
      app_data: '',
    });
    expect((await http(sim, 'POST', `/ari/channels/${id}/answer`)).status).toBe(409);
    await http(sim, 'DELETE', `/ari/channels/${id}`);
    await ws.nextOfType('ChannelDestroyed', (e) => e.channel.id === id);
  });

  it('move: to an active app → StasisEnd/StasisStart with args; to an unknown app → ApplicationMoveFailed', async () => {
    const id = sim.inboundCall({ endpoint: 'PJSIP/carol', exten: '500', app: 'flows' });
    await ws.nextOfType('StasisStart', (e) => e.channel.id === id);
    expect((await http(sim, 'POST', `/ari/channels/${id}/move?app=nowhere&appArgs=1`)).status).toBe(204);
    const failed = await ws.nextOfType('ApplicationMoveFailed');
    expect(failed).toMatchObject({ destination: 'nowhere', args: ['1'], channel: { id } });
    expect((await http(sim, 'POST', `/ari/channels/${id}/move?app=other&appArgs=a,,b`)).status).toBe(204);
    await ws.nextOfType('StasisEnd', (e) => e.channel.id === id);
    const s = await other.nextOfType('StasisStart', (e) => e.channel.id === id);
    expect(s.args).toEqual(['a', 'b']);
    await http(sim, 'DELETE', `/ari/channels/${id}`);
    await other.nextOfType('StasisEnd', (e) => e.channel.id === id);
  });

  it('report_events puts variables in channelvars of later snapshots; CALLERID() writes emit ChannelCallerId', async () => {
    const id = sim.inboundCall({
      endpoint: 'PJSIP/dave',
      exten: '600',
      app: 'flows',
      answered: true,
      callerId: { name: 'Dave', number: '1004' },
    });
    await ws.nextOfType('StasisStart', (e) => e.channel.id === id);
    await http(sim, 'POST', `/ari/channels/${id}/variable?variable=TAG&value=vip&report_events=true`);
    const v = await ws.nextOfType('ChannelVarset', (e) => e.variable === 'TAG');
    expect(v.channel.channelvars).toEqual({ TAG: 'vip' });
    await http(sim, 'POST', `/ari/channels/${id}/variable?variable=CALLERID(name)&value=David`);
    const cid = await ws.nextOfType('ChannelCallerId');
    expect(cid).toMatchObject({
      caller_presentation: 0,
      caller_presentation_txt: 'Presentation Allowed, Not Screened',
    });
    expect(cid.channel.caller).toEqual({ name: 'David', number: '1004' });
    expect(cid.channel.channelvars).toEqual({ TAG: 'vip' });
    expect((await http(sim, 'GET', `/ari/channels/${id}`)).body.channelvars).toEqual({ TAG: 'vip' });
    await http(sim, 'DELETE', `/ari/channels/${id}`);
  });

  it('originate callerId is parsed and the number shrunk; it fills caller and connected', async () => {
    const r = await http(
      sim,
      'POST',
      `/ari/channels?endpoint=PJSIP/alice&app=flows&callerId=${encodeURIComponent('"Front Desk" <(555) 123-4567>')}`,
    );
    expect([r.body.caller, r.body.connected]).toEqual([
      { name: 'Front Desk', number: '5551234567' },
      { name: 'Front Desk', number: '5551234567' },
    ]);
    await ws.nextOfType('StasisStart', (e) => e.channel.id === r.body.id);
    await http(sim, 'DELETE', `/ari/channels/${r.body.id}`);
  });

  it('far-end hangup of an answered call: HangupRequest with the cause, no soft flag', async () => {
    const id = sim.inboundCall({ endpoint: 'PJSIP/alice', exten: '700', app: 'flows', answered: true });
    await ws.nextOfType('StasisStart', (e) => e.channel.id === id);
    sim.farEndHangup(id, 16);
    const hr = await ws.nextOfType('ChannelHangupRequest', (e) => e.channel.id === id);
    expect([hr.cause, hr.soft]).toEqual([16, undefined]);
    await ws.nextOfType('StasisEnd', (e) => e.channel.id === id);
  });
});
