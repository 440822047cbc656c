/** The events websocket (docs/wire/ari.md §4): handshake, delivery rules, interest counting, replacement. */
import { request } from 'node:http';
import WebSocket from 'ws';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { barrier, BASIC, EventCollector, http, TS } from './helpers';

/** Raw upgrade attempt: resolves with the HTTP status and body when the server refuses. */
function upgrade(
  sim: AriSimulator,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: sim.port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '', headers: res.headers });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ARI simulator: events websocket', () => {
  let sim: AriSimulator;

  beforeAll(async () => {
    sim = await startAriSimulator({ timing: { ringMs: 5, answerMs: 5, playbackMs: 20 } });
  });
  afterAll(async () => {
    await sim.close();
  });

  describe('handshake', () => {
    it('401 JSON with bad credentials (api_key or Basic)', async () => {
      const r = await upgrade(sim, '/ari/events?app=test2&api_key=asterisk:wrong');
      expect([r.status, JSON.parse(r.body)]).toEqual([401, { message: 'Authentication required' }]);
      expect(r.headers['www-authenticate']).toBe('Basic realm="Asterisk REST Interface"');
      const ok = await upgrade(sim, '/ari/events?app=basicapp', { Authorization: BASIC });
      expect(ok.status).toBe(101);
    });

    it('400 without app, 500 for an empty app item, 400 for a foreign sub-protocol, "ari" is echoed', async () => {
      expect((await upgrade(sim, '/ari/events?api_key=asterisk:asterisk')).status).toBe(400);
      expect((await upgrade(sim, '/ari/events?app=a,,b&api_key=asterisk:asterisk')).status).toBe(500);
      expect((await upgrade(sim, `/ari/events?app=${'x'.repeat(74)}&api_key=asterisk:asterisk`)).status).toBe(500);
      expect(
        (await upgrade(sim, '/ari/events?app=p&api_key=asterisk:asterisk', { 'Sec-WebSocket-Protocol': 'chat' }))
          .status,
      ).toBe(400);
      const ari = await upgrade(sim, '/ari/events?app=p&api_key=asterisk:asterisk', {
        'Sec-WebSocket-Protocol': 'chat, ari',
      });
      expect([ari.status, ari.headers['sec-websocket-protocol']]).toEqual([101, 'ari']);
    });

    it('several apps on one socket; only the first app parameter counts; inbound frames are ignored', async () => {
      const ws = await EventCollector.connect(sim, 'm1,%20m2', false, '&app=ignored');
      ws.ws.send('{"type":"RESTRequest"}');
      const apps = (await http(sim, 'GET', '/ari/applications')).body.map((a: { name: string }) => a.name);
      expect(apps).toEqual(expect.arrayContaining(['m1', 'm2']));
      expect(apps).not.toContain('ignored');
      expect(await barrier(sim, ws, 'm2')).toEqual([]);
      await ws.close();
    });
  });

  describe('delivery', () => {
    it('an app without subscribeAll sees originate events from Dial on; ChannelCreated is not delivered', async () => {
      const ws = await EventCollector.connect(sim, 'plain');
      const r = await http(sim, 'POST', '/ari/channels?endpoint=PJSIP/alice&app=plain', {
        json: { variables: { X: 'y' } },
      });
      const from = ws.mark();
      const start = await ws.nextOfType('StasisStart');
      expect(ws.since(from).map((e) => e.type)).toEqual([
        'Dial',
        'ChannelStateChange',
        'Dial',
        'ChannelStateChange',
        'Dial',
        'ChannelVarset',
        'StasisStart',
      ]);
      const got = ws.since(from);
      expect(got.map((e) => e.dialstatus).filter(Boolean)).toEqual(['RINGING', 'ANSWER']);
      expect(got[1].channel.state).toBe('Ringing');
      expect(start.channel.dialplan).toMatchObject({
        context: 'from-internal',
        exten: 's',
        app_name: 'Stasis',
        app_data: 'plain',
      });
      for (const e of got) {
        expect(Object.keys(e).slice(-2)).toEqual(['asterisk_id', 'application']);
        expect(e.application).toBe('plain');
        expect(e.timestamp).toMatch(TS);
      }
      // Originated with app=: interest survives StasisEnd, so ChannelDestroyed is delivered.
      await http(sim, 'DELETE', `/ari/channels/${r.body.id}`);
      await ws.nextOfType('ChannelDestroyed');
      await ws.close();
    });

    it('an inbound (dialplan) channel gives no ChannelDestroyed after StasisEnd', async () => {
      const ws = await EventCollector.connect(sim, 'inb');
      const id = sim.inboundCall({ endpoint: 'PJSIP/bob', exten: '200', app: 'inb', appArgs: ['a', 'b'] });
      const start = await ws.nextOfType('StasisStart');
      expect(start.args).toEqual(['a', 'b']);
      expect(start.channel).toMatchObject({ id, state: 'Ring', caller: { name: '', number: 'bob' } });
      expect(ws.since(0).map((e) => e.type)).toEqual(['StasisStart']);
      await http(sim, 'DELETE', `/ari/channels/${id}`);
      const end = await ws.nextOfType('StasisEnd');
      expect(end.channel.id).toBe(id);
      expect((await barrier(sim, ws, 'inb')).map((e) => e.type)).toEqual([]);
      await ws.close();
    });

    it('an explicit subscription keeps ChannelDestroyed coming; unsubscribe of an unsubscribed source is 422', async () => {
      const ws = await EventCollector.connect(sim, 'sub');
      const id = sim.inboundCall({ endpoint: 'PJSIP/bob', exten: '201', app: 'sub', answered: true });
      await ws.nextOfType('StasisStart');
      const s = await http(sim, 'POST', `/ari/applications/sub/subscription?eventSource=channel:${id}`);
      expect(s.status).toBe(200);
      expect(s.body.channel_ids).toEqual([id]);
      await http(sim, 'DELETE', `/ari/channels/${id}`);
      const d = await ws.nextOfType('ChannelDestroyed');
      expect([d.cause, d.cause_txt]).toEqual([16, 'Normal Clearing']);
      const errs: Array<[string, string, number, string]> = [
        ['POST', 'subscription', 400, 'Missing parameter eventSource'],
        ['POST', 'subscription?eventSource=foo:bar', 400, 'Invalid event source URI scheme'],
        ['POST', 'subscription?eventSource=channel:nope', 422, 'Event source does not exist'],
        ['DELETE', 'subscription?eventSource=deviceState:x', 422, 'Event source was not subscribed to'],
      ];
      for (const [m, p, status, message] of errs) {
        const r = await http(sim, m, `/ari/applications/sub/${p}`);
        expect([p, r.status, r.body]).toEqual([p, status, { message }]);
      }
      const nf = await http(sim, 'GET', '/ari/applications/nope');
      expect([nf.status, nf.body]).toEqual([404, { message: 'Application not found' }]);
      await ws.close();
    });

    it('event filter: disallowed types are not sent; {} resets', async () => {
      const ws = await EventCollector.connect(sim, 'filt');
      const f = await http(sim, 'PUT', '/ari/applications/filt/eventFilter', {
        json: { disallowed: [{ type: 'ChannelVarset' }] },
      });
      expect([f.status, f.body.events_disallowed]).toEqual([200, [{ type: 'ChannelVarset' }]]);
      const id = sim.inboundCall({ endpoint: 'PJSIP/dave', exten: '1', app: 'filt', answered: true });
      await ws.nextOfType('StasisStart');
      await http(sim, 'POST', `/ari/channels/${id}/variable?variable=V&value=1`);
      expect((await barrier(sim, ws, 'filt')).map((e) => e.type)).toEqual([]);
      const bad = await http(sim, 'PUT', '/ari/applications/filt/eventFilter', { json: { allowed: 'x' } });
      expect([bad.status, bad.body]).toEqual([400, { message: 'Invalid format definition' }]);
      const reset = await http(sim, 'PUT', '/ari/applications/filt/eventFilter', { json: {} });
      expect(reset.body.events_disallowed).toEqual([]);
      await http(sim, 'POST', `/ari/channels/${id}/variable?variable=V&value=2`);
      expect((await ws.nextOfType('ChannelVarset')).value).toBe('2');
      await http(sim, 'DELETE', `/ari/channels/${id}`);
      await ws.close();
    });

    it('ChannelVarset and ChannelHangupRequest put their fields before type', async () => {
      const ws = await EventCollector.connect(sim, 'order');
      const id = sim.inboundCall({ endpoint: 'PJSIP/dave', exten: '2', app: 'order', answered: true });
      await ws.nextOfType('StasisStart');
      await http(sim, 'POST', `/ari/channels/${id}/variable?variable=K&value=v`);
      await ws.nextOfType('ChannelVarset');
      await http(sim, 'DELETE', `/ari/channels/${id}`);
      await ws.nextOfType('StasisEnd');
      const raw = ws.raw.filter((t) => t.includes('"ChannelVarset"') || t.includes('"ChannelHangupRequest"'));
      expect(raw[0]).toMatch(/^\{"variable":"K","value":"v","type":"ChannelVarset","timestamp":"[^"]+","channel":\{/);
      expect(raw.some((t) => /^\{"cause":32,"soft":true,"type":"ChannelHangupRequest"/.test(t))).toBe(true);
      await ws.close();
    });
  });

  describe('application lifecycle', () => {
    it('a second socket for the same app gets the events; the first gets ApplicationReplaced and stays open', async () => {
      const first = await EventCollector.connect(sim, 'rep');
      const second = await EventCollector.connect(sim, 'rep');
      const replaced = await first.nextOfType('ApplicationReplaced');
      expect(Object.keys(replaced)).toEqual(['type', 'timestamp', 'asterisk_id', 'application']);
      expect(replaced.application).toBe('rep');
      sim.inboundCall({ endpoint: 'PJSIP/alice', exten: '3', app: 'rep' });
      await second.nextOfType('StasisStart');
      expect(first.ws.readyState).toBe(WebSocket.OPEN);
      expect(first.events.map((e) => e.type)).toEqual(['ApplicationReplaced']);
      await first.close();
      await second.close();
    });

    it('while no socket is attached, events are dropped and Stasis fails; a channel in Stasis stays controllable', async () => {
      const ws = await EventCollector.connect(sim, 'gone');
      const id = sim.inboundCall({ endpoint: 'PJSIP/alice', exten: '4', app: 'gone', answered: true });
      await ws.nextOfType('StasisStart');
      await ws.close();
      // The server notices the close a moment later: until then a new call still enters Stasis.
      const deadline = Date.now() + 2000;
      let failed: string | undefined;
      while (!failed && Date.now() < deadline) {
        const other = sim.inboundCall({ endpoint: 'PJSIP/bob', exten: '5', app: 'gone', answered: true });
        if (!sim.channelIds().includes(other)) failed = other;
        else {
          sim.farEndHangup(other);
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      expect(failed).toBeDefined();
      // The inactive app still exists because it holds the channel in Stasis.
      const gone = (await http(sim, 'GET', '/ari/applications/gone')).body;
      expect(gone.channel_ids).toEqual([id]);
      // Still in Stasis, still controllable, events go nowhere.
      expect((await http(sim, 'POST', `/ari/channels/${id}/variable?variable=Z&value=1`)).status).toBe(204);
      // Reconnect: nothing is replayed.
      const again = await EventCollector.connect(sim, 'gone');
      expect(await barrier(sim, again, 'gone')).toEqual([]);
      await http(sim, 'DELETE', `/ari/channels/${id}`);
      expect((await again.nextOfType('StasisEnd')).channel.id).toBe(id);
      await again.close();
    });

    it('GET /applications shows subscribe-all ids and inactive apps that still hold channels', async () => {
      const ws = await EventCollector.connect(sim, 'allapp', true);
      const app = (await http(sim, 'GET', '/ari/applications/allapp')).body;
      expect(app).toEqual({
        name: 'allapp',
        channel_ids: ['__AST_CHANNEL_ALL_TOPIC'],
        bridge_ids: ['__AST_BRIDGE_ALL_TOPIC'],
        endpoint_ids: ['__AST_ENDPOINT_ALL_TOPIC'],
        device_names: ['__AST_DEVICE_STATE_ALL_TOPIC'],
        events_allowed: [],
        events_disallowed: [],
      });
      await ws.close();
    });
  });
});
