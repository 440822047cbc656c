/** Transport behaviour (docs/wire/ari.md §1): routing, auth, parameters and encodings, headers, api-docs. */
import { once } from 'node:events';
import { connect } from 'node:net';
import { startAriSimulator, type AriSimulator } from '../../../src/simulators/ari';
import { EventCollector, http, ID } from './helpers';
import { waitFor } from '../../helpers/wait-for';

describe('ARI simulator: transport', () => {
  let sim: AriSimulator;
  let ws: EventCollector;
  let chan: string;

  beforeAll(async () => {
    sim = await startAriSimulator({
      users: [
        { username: 'asterisk', password: 'asterisk' },
        { username: 'viewer', password: 'secret:with:colons', readOnly: true },
      ],
      timing: { ringMs: 5, answerMs: 5 },
    });
    ws = await EventCollector.connect(sim, 'tx');
    const r = await http(sim, 'POST', '/ari/channels?endpoint=Local/wait@ari-test&app=tx');
    chan = r.body.id;
    await ws.nextOfType('StasisStart');
  });
  afterAll(async () => {
    await ws.close();
    await sim.close();
  });

  describe('routing', () => {
    it('unknown resources are 404 Resource not found; non-/ari paths are HTML 404', async () => {
      for (const p of ['/ari/nosuch', '/ari/channels/x/nosuch', '/ari/channels/create/dial', '/ari']) {
        const r = await http(sim, 'GET', p);
        expect([p, r.status, r.body]).toEqual([p, 404, { message: 'Resource not found' }]);
      }
      const html = await http(sim, 'GET', '/other');
      expect(html.status).toBe(404);
      expect(html.headers.get('content-type')).toBe('text/html');
      expect(html.text).toContain('The requested URL was not found on this server.');
    });

    it('a trailing slash is rejected with a hint', async () => {
      const r = await http(sim, 'GET', '/ari/channels/');
      expect([r.status, r.body]).toEqual([404, { message: 'ARI URLs do not end with a slash. Try /ari/channels' }]);
    });

    it('literal segments win over {channelId}: GET /channels/create is 405, not a channel lookup', async () => {
      const r = await http(sim, 'GET', '/ari/channels/create');
      expect([r.status, r.body, r.headers.get('allow')]).toEqual([405, { message: 'Invalid method' }, 'OPTIONS,POST']);
      const em = await http(sim, 'DELETE', '/ari/channels/externalMedia');
      expect([em.status, em.headers.get('allow')]).toEqual([405, 'OPTIONS,POST']);
    });

    it('405 lists the methods of the node; unknown verbs too; OPTIONS is 204 with Allow', async () => {
      const r = await http(sim, 'PUT', `/ari/channels/${chan}`);
      expect([r.status, r.headers.get('allow')]).toEqual([405, 'OPTIONS,GET,POST,DELETE']);
      const patch = await http(sim, 'PATCH', '/ari/channels');
      expect([patch.status, patch.headers.get('allow')]).toEqual([405, 'OPTIONS,GET,POST']);
      const o = await http(sim, 'OPTIONS', `/ari/channels/${chan}/mute`);
      expect([o.status, o.text, o.headers.get('allow')]).toEqual([204, '', 'OPTIONS,POST,DELETE']);
    });

    it('path segments are percent-decoded one by one (a channel name with / works as %2F)', async () => {
      const list = await http(sim, 'GET', '/ari/channels');
      const name = list.body.find((c: { id: string }) => c.id === chan).name as string;
      const r = await http(sim, 'GET', `/ari/channels/${encodeURIComponent(name)}/variable?variable=UNIQUEID`);
      expect(r.body).toEqual({ value: chan });
    });

    it('a plain GET on /ari/events is 426 Upgrade Required (HTML)', async () => {
      const r = await http(sim, 'GET', '/ari/events?app=x');
      expect([r.status, r.headers.get('content-type')]).toEqual([426, 'text/html']);
    });

    it('unimplemented operations answer 501', async () => {
      const r = await http(sim, 'POST', '/ari/bridges');
      expect([r.status, r.body]).toEqual([501, { message: 'Method not implemented' }]);
    });
  });

  describe('authentication', () => {
    const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

    it('401 comes before 404 and carries WWW-Authenticate', async () => {
      const r = await http(sim, 'GET', '/ari/no/such/thing', { auth: null });
      expect([r.status, r.body]).toEqual([401, { message: 'Authentication required' }]);
      expect(r.headers.get('www-authenticate')).toBe('Basic realm="Asterisk REST Interface"');
    });

    it('api_key works when there is no Basic header; a wrong Basic header is not rescued by api_key', async () => {
      expect((await http(sim, 'GET', '/ari/asterisk/ping?api_key=asterisk:asterisk', { auth: null })).status).toBe(200);
      const r = await http(sim, 'GET', '/ari/asterisk/ping?api_key=asterisk:asterisk', {
        auth: basic('asterisk', 'bad'),
      });
      expect(r.status).toBe(401);
      expect((await http(sim, 'GET', '/ari/asterisk/ping?api_key=asterisk', { auth: null })).status).toBe(401);
      expect((await http(sim, 'GET', '/ari/asterisk/ping?api_key=asterisk:', { auth: null })).status).toBe(401);
      // Other schemes are ignored, so api_key is used.
      expect(
        (await http(sim, 'GET', '/ari/asterisk/ping?api_key=asterisk:asterisk', { auth: 'Bearer x' })).status,
      ).toBe(200);
    });

    it('api_key splits at the first colon; read-only users may GET but not write (403)', async () => {
      const ok = await http(sim, 'GET', '/ari/channels?api_key=viewer:secret%3Awith%3Acolons', { auth: null });
      expect(ok.status).toBe(200);
      const w = await http(sim, 'POST', `/ari/channels/${chan}/answer`, {
        auth: basic('viewer', 'secret:with:colons'),
      });
      expect([w.status, w.body]).toEqual([403, { message: 'Write access denied' }]);
    });

    it('ping needs auth and returns pong with timestamp and asterisk_id', async () => {
      const r = await http(sim, 'GET', '/ari/asterisk/ping');
      expect(Object.keys(r.body)).toEqual(['ping', 'timestamp', 'asterisk_id']);
      expect(r.body.ping).toBe('pong');
    });
  });

  describe('parameters and encodings', () => {
    it('+ in a query value is a space, %2B a plus', async () => {
      await http(sim, 'POST', `/ari/channels/${chan}/variable?variable=A&value=hello+world`);
      expect((await http(sim, 'GET', `/ari/channels/${chan}/variable?variable=A`)).body).toEqual({
        value: 'hello world',
      });
      await http(sim, 'POST', `/ari/channels/${chan}/variable?variable=B&value=%2B4930123`);
      expect((await http(sim, 'GET', `/ari/channels/${chan}/variable?variable=B`)).body).toEqual({ value: '+4930123' });
    });

    it('the last occurrence of a repeated parameter wins; names are case-sensitive', async () => {
      await http(sim, 'POST', `/ari/channels/${chan}/variable?variable=C&value=one&value=two&VALUE=three`);
      expect((await http(sim, 'GET', `/ari/channels/${chan}/variable?variable=C`)).body).toEqual({ value: 'two' });
    });

    it('allowMultiple lists split on commas outside (), [] and quotes', async () => {
      await http(sim, 'POST', `/ari/channels/${chan}/variable?variable=CALLERID(name)&value=Alice`);
      const r = await http(sim, 'GET', `/ari/channels/${chan}/variables?variables=CALLERID(name),CHANNEL(name),"A,B"`);
      expect(r.status).toBe(404); // "A,B" is one (unset) name
      const ok = await http(sim, 'GET', `/ari/channels/${chan}/variables?variables=CALLERID(name),%20A%20,UNIQUEID`);
      expect(ok.body).toEqual({ variables: { 'CALLERID(name)': 'Alice', A: 'hello world', UNIQUEID: chan } });
      const many = Array.from({ length: 128 }, (_, i) => `V${i}`).join(',');
      const tooMany = await http(sim, 'GET', `/ari/channels/${chan}/variables?variables=${many}`);
      expect([tooMany.status, tooMany.body]).toEqual([400, { message: 'Too many values for variables' }]);
    });

    it('form bodies merge with the query (query wins)', async () => {
      const r = await http(sim, 'POST', `/ari/channels/${chan}/variable?value=fromquery`, {
        rawBody: 'variable=FORMVAR&value=fromform',
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(r.status).toBe(204);
      expect((await http(sim, 'GET', `/ari/channels/${chan}/variable?variable=FORMVAR`)).body).toEqual({
        value: 'fromquery',
      });
    });

    it('JSON body keys override query parameters and are typed by JSON type', async () => {
      const r = await http(sim, 'POST', `/ari/channels/${chan}/variable?variable=Q&value=q`, {
        json: { variable: 'JSONVAR', value: 'fromjson' },
        contentType: 'Application/JSON; charset=utf-8',
      });
      expect(r.status).toBe(204);
      expect((await http(sim, 'GET', `/ari/channels/${chan}/variable?variable=JSONVAR`)).body).toEqual({
        value: 'fromjson',
      });
      // A non-string for a string parameter becomes "absent".
      const bad = await http(sim, 'POST', `/ari/channels/${chan}/variable?variable=Q`, { json: { variable: 5 } });
      expect([bad.status, bad.body]).toEqual([400, { message: 'Variable name is required' }]);
      // JSON "true" (a string) is false for a boolean; media accepts a JSON array.
      const play = await http(sim, 'POST', `/ari/channels/${chan}/play`, {
        json: { media: ['sound:beep', 'digits:12'] },
      });
      expect([play.status, play.body.media_uri, play.body.next_media_uri]).toEqual([201, 'sound:beep', 'digits:12']);
      // A JSON string for an int parameter becomes 0: skipms "-5" is not negative then.
      const skip = await http(sim, 'POST', `/ari/channels/${chan}/play?skipms=-5`, {
        json: { media: 'sound:beep', skipms: '-5' },
      });
      expect(skip.status).toBe(201);
    });

    it('malformed JSON is 400; bodies over 40960 bytes are 413; other content types are ignored', async () => {
      const bad = await http(sim, 'POST', '/ari/channels', {
        rawBody: '{"endpoint":',
        contentType: 'application/json',
      });
      expect([bad.status, bad.body]).toEqual([400, { message: 'Error parsing request body' }]);
      const big = await http(sim, 'POST', '/ari/channels', { rawBody: 'x'.repeat(40961), contentType: 'text/plain' });
      expect([big.status, big.body]).toEqual([413, { message: 'Request body too large' }]);
      const ignored = await http(sim, 'POST', '/ari/channels', {
        rawBody: '{"endpoint":"Local/x@y"}',
        contentType: 'text/plain',
      });
      expect([ignored.status, ignored.body]).toEqual([400, { message: 'Endpoint must be specified' }]);
    });
  });

  describe('responses', () => {
    it('every response has Cache-Control, Content-Length and a Server header', async () => {
      const r = await http(sim, 'GET', '/ari/channels');
      expect(r.headers.get('cache-control')).toBe('no-cache, no-store');
      expect(r.headers.get('connection')).not.toBe('close');
      expect(r.headers.get('content-length')).toBe(String(Buffer.byteLength(r.text)));
      expect(r.headers.get('server')).toMatch(/^Asterisk\//);
      expect(r.headers.get('date')).toBeTruthy();
      expect(r.text).not.toContain('\n'); // compact JSON
    });

    it('keeps the session open between requests, and closes it when the client asks (main/http.c ast_http_send)', async () => {
      const socket = connect(sim.port, '127.0.0.1');
      await once(socket, 'connect');
      const auth = `Authorization: Basic ${Buffer.from('asterisk:asterisk').toString('base64')}`;
      const received: string[] = [];
      socket.on('data', (c: Buffer) => received.push(c.toString('latin1')));
      const ask = async (extra: string[]): Promise<string> => {
        received.length = 0;
        socket.write([`GET /ari/asterisk/ping HTTP/1.1`, 'Host: x', auth, ...extra, '', ''].join('\r\n'));
        await waitFor(() => /\r\n\r\n[\s\S]*\}/.test(received.join('')), 'a complete ping response', {
          timeoutMs: 2000,
        });
        return received.join('');
      };
      const first = await ask([]);
      expect(first).toMatch(/^HTTP\/1\.1 200 /);
      expect(first.toLowerCase()).not.toContain('connection: close');
      const closed = once(socket, 'close');
      const second = await ask(['Connection: close']);
      expect(second).toMatch(/^HTTP\/1\.1 200 /);
      expect(second).toContain('Connection: close');
      await closed;
    });

    it('asterisk/info?only= filters sections and ignores unknown names', async () => {
      const r = await http(sim, 'GET', '/ari/asterisk/info?only=status,bogus,system');
      expect(Object.keys(r.body)).toEqual(['system', 'status']);
    });

    it('api-docs are served with basePath rewritten from the Host header', async () => {
      const r = await http(sim, 'GET', '/ari/api-docs/resources.json');
      expect(r.status).toBe(200);
      expect(r.body.basePath).toBe(`http://127.0.0.1:${sim.port}/ari`);
      expect(r.body.apis.map((a: { path: string }) => a.path)).toContain('/api-docs/channels.{format}');
      const ch = await http(sim, 'GET', '/ari/api-docs/channels.json');
      expect(ch.body.basePath).toBe(`http://127.0.0.1:${sim.port}/ari`);
      expect(ch.body.apis.length).toBeGreaterThan(20);
      const missing = await http(sim, 'GET', '/ari/api-docs/nope.json');
      expect([missing.status, missing.body]).toEqual([404, { message: 'Resource not found' }]);
      const post = await http(sim, 'POST', '/ari/api-docs/channels.json');
      expect([post.status, post.body]).toEqual([405, { message: 'Unsupported method' }]);
      expect((await http(sim, 'GET', '/ari/api-docs/resources.json', { auth: null })).status).toBe(401);
    });

    it('the request log records every request, and can be reset', async () => {
      sim.resetRequestLog();
      await http(sim, 'GET', '/ari/channels?x=1');
      await http(sim, 'DELETE', '/ari/channels/none');
      expect(sim.requests).toEqual([
        { method: 'GET', path: '/ari/channels', query: 'x=1' },
        { method: 'DELETE', path: '/ari/channels/none', query: '' },
      ]);
      expect(chan).toMatch(ID);
    });
  });
});
