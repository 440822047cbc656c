import { AriBackend } from '../../../src/backends/ari/backend';
import { AriHttp } from '../../../src/backends/ari/http';
import type { AriBackendConfig } from '../../../src/config';
import { BackendError } from '../../../src/domain/errors';
import { startRawServer, wireChannel, type RawServer } from './raw-server';

const PASSWORD = 's3cr3t-pa55';
const ctx = { requestId: 'req-1' };

function config(url: string, requestTimeoutMs = 2000): AriBackendConfig {
  return {
    name: 'pbx1',
    kind: 'ari',
    url,
    username: 'asterisk',
    password: PASSWORD,
    app: 'patchbay',
    requestTimeoutMs,
  };
}

async function caught(p: Promise<unknown>): Promise<BackendError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BackendError);
    return e as BackendError;
  }
  throw new Error('expected a BackendError');
}

function expectNoSecret(e: BackendError): void {
  expect(e.message).not.toContain(PASSWORD);
  expect(JSON.stringify(e.details)).not.toContain(PASSWORD);
  expect(e.message).not.toContain(Buffer.from(`asterisk:${PASSWORD}`).toString('base64'));
}

describe('ARI REST client over a real HTTP server', () => {
  let server: RawServer;
  let backend: AriBackend;

  beforeEach(async () => {
    server = await startRawServer();
    backend = new AriBackend(config(server.url));
  });
  afterEach(async () => {
    await backend.stop();
    await server.close();
  });

  it('originate: query encoded per ARI, variables as JSON body, Basic auth, domain Channel back', async () => {
    server.respond(() => ({ status: 200, body: wireChannel('1700000000.12', 'Down') }));
    const ch = await backend.originate(
      {
        endpoint: 'PJSIP/alice',
        app: 'patchbay',
        appArgs: 'a b,c',
        callerId: '"Zoë +1" <+4930123>',
        timeout: 30,
        formats: ['ulaw', 'slin16'],
        variables: { 'CALLERID(name)': 'Zoë', REPORTED: { value: '+1', reportEvents: true } },
      },
      ctx,
    );
    expect(server.requests).toHaveLength(1);
    const r = server.requests[0];
    expect(r.method).toBe('POST');
    expect(r.url).toBe(
      '/ari/channels?endpoint=PJSIP%2Falice&app=patchbay&appArgs=a%20b%2Cc&callerId=%22Zo%C3%AB%20%2B1%22%20%3C%2B4930123%3E&timeout=30&formats=ulaw,slin16',
    );
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from(`asterisk:${PASSWORD}`).toString('base64')}`);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toEqual({
      variables: { 'CALLERID(name)': 'Zoë', REPORTED: { value: '+1', report_events: true } },
    });
    expect(ch).toMatchObject({
      backend: 'pbx1',
      backendKind: 'ari',
      nativeId: '1700000000.12',
      state: 'DOWN',
      rawState: 'Down',
    });
    expect(ch.createdAt.toISOString()).toBe('2024-01-01T12:00:00.000Z');
  });

  it('sends every operation to the right method, path and query', async () => {
    const id = 'Local/100@default-00000001;2';
    const e = encodeURIComponent(id).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const calls: Array<[() => Promise<unknown>, string, string?]> = [
      [
        () =>
          backend.originate(
            { endpoint: 'PJSIP/bob', extension: '100', context: 'default', priority: 1, channelId: 'my id' },
            ctx,
          ),
        'POST /ari/channels/my%20id?endpoint=PJSIP%2Fbob&extension=100&context=default&priority=1',
      ],
      [
        () =>
          backend.createChannel(
            { endpoint: 'PJSIP/bob', app: 'patchbay', channelId: 'c2', otherChannelId: 'c2b', originator: 'c1' },
            ctx,
          ),
        'POST /ari/channels/create?endpoint=PJSIP%2Fbob&app=patchbay&channelId=c2&otherChannelId=c2b&originator=c1',
      ],
      [() => backend.hangupChannel(id, { reason: 'busy' }, ctx), `DELETE /ari/channels/${e}?reason=busy`],
      [() => backend.hangupChannel('c', { reasonCode: 17 }, ctx), 'DELETE /ari/channels/c?reason_code=17'],
      [() => backend.dial('c', { caller: 'c1', timeout: 20 }, ctx), 'POST /ari/channels/c/dial?caller=c1&timeout=20'],
      [
        () => backend.continueInDialplan('c', { context: 'ctx', extension: 's', priority: 2 }, ctx),
        'POST /ari/channels/c/continue?context=ctx&extension=s&priority=2',
      ],
      [
        () => backend.move('c', { app: 'other', appArgs: 'x,y' }, ctx),
        'POST /ari/channels/c/move?app=other&appArgs=x%2Cy',
      ],
      [() => backend.redirect('c', 'PJSIP/carol', ctx), 'POST /ari/channels/c/redirect?endpoint=PJSIP%2Fcarol'],
      [() => backend.answer('c', ctx), 'POST /ari/channels/c/answer'],
      [() => backend.ring('c', ctx), 'POST /ari/channels/c/ring'],
      [() => backend.ringStop('c', ctx), 'DELETE /ari/channels/c/ring'],
      [() => backend.progress('c', ctx), 'POST /ari/channels/c/progress'],
      [
        () => backend.sendDtmf('c', { dtmf: '12#*', betweenMs: 50, durationMs: 80 }, ctx),
        'POST /ari/channels/c/dtmf?dtmf=12%23%2A&between=50&duration=80',
      ],
      [() => backend.mute('c', 'in', ctx), 'POST /ari/channels/c/mute?direction=in'],
      [() => backend.unmute('c', 'both', ctx), 'DELETE /ari/channels/c/mute?direction=both'],
      [() => backend.hold('c', ctx), 'POST /ari/channels/c/hold'],
      [() => backend.unhold('c', ctx), 'DELETE /ari/channels/c/hold'],
      [() => backend.startMoh('c', 'jazz', ctx), 'POST /ari/channels/c/moh?mohClass=jazz'],
      [() => backend.startMoh('c', undefined, ctx), 'POST /ari/channels/c/moh'],
      [() => backend.stopMoh('c', ctx), 'DELETE /ari/channels/c/moh'],
      [() => backend.startSilence('c', ctx), 'POST /ari/channels/c/silence'],
      [() => backend.stopSilence('c', ctx), 'DELETE /ari/channels/c/silence'],
      [
        () => backend.play('c', { media: ['sound:hello-world', 'digits:+12'], lang: 'de', skipMs: 1000 }, ctx),
        'POST /ari/channels/c/play?media=sound%3Ahello-world,digits%3A%2B12&lang=de&skipms=1000',
      ],
      [
        () => backend.play('c', { media: ['sound:x'], playbackId: 'pb 1', offsetMs: 5 }, ctx),
        'POST /ari/channels/c/play/pb%201?media=sound%3Ax&offsetms=5',
      ],
      [
        () =>
          backend.record(
            'c',
            { name: 'r/1', format: 'wav', beep: true, ifExists: 'overwrite', terminateOn: '#', maxDurationSeconds: 10 },
            ctx,
          ),
        'POST /ari/channels/c/record?name=r%2F1&format=wav&beep=true&ifExists=overwrite&terminateOn=%23&maxDurationSeconds=10',
      ],
      [
        () => backend.getVariable('c', 'CHANNEL(pjsip,call-id)', ctx),
        'GET /ari/channels/c/variable?variable=CHANNEL%28pjsip%2Ccall-id%29',
      ],
      [
        () => backend.getVariables('c', ['A', 'CHANNEL(pjsip,call-id)'], ctx),
        'GET /ari/channels/c/variables?variables=A,CHANNEL%28pjsip%2Ccall-id%29',
      ],
      [
        () => backend.setVariable('c', 'FOO', '+1 2', true, ctx),
        'POST /ari/channels/c/variable?variable=FOO&value=%2B1%202&report_events=true',
      ],
      [() => backend.setVariable('c', 'FOO', undefined, undefined, ctx), 'POST /ari/channels/c/variable?variable=FOO'],
      [
        () => backend.setVariables('c', { A: '1', B: { value: '2', reportEvents: false } }, ctx),
        'POST /ari/channels/c/variables',
        '{"variables":{"A":"1","B":{"value":"2","report_events":false}}}',
      ],
      [
        () => backend.snoop('c', { app: 'patchbay', spy: 'both', whisper: 'none', appArgs: 'x' }, ctx),
        'POST /ari/channels/c/snoop?spy=both&whisper=none&app=patchbay&appArgs=x',
      ],
      [
        () => backend.snoop('c', { app: 'patchbay', spy: 'in', snoopId: 'snoop-1' }, ctx),
        'POST /ari/channels/c/snoop/snoop-1?spy=in&app=patchbay',
      ],
      [() => backend.rtpStatistics('c', ctx), 'GET /ari/channels/c/rtp_statistics'],
      [
        () =>
          backend.externalMedia(
            {
              app: 'patchbay',
              externalHost: '127.0.0.1:4000',
              format: 'ulaw',
              channelId: 'em1',
              transport: 'udp',
              encapsulation: 'rtp',
              connectionType: 'client',
              direction: 'both',
            },
            ctx,
          ),
        'POST /ari/channels/externalMedia?channelId=em1&app=patchbay&external_host=127.0.0.1%3A4000&encapsulation=rtp&transport=udp&connection_type=client&format=ulaw&direction=both',
      ],
      [
        () => backend.transferProgress('c', 'channel_answered', ctx),
        'POST /ari/channels/c/transfer_progress?states=channel_answered',
      ],
      [() => backend.getPlayback('pb1', ctx), 'GET /ari/playbacks/pb1'],
      [() => backend.stopPlayback('pb1', ctx), 'DELETE /ari/playbacks/pb1'],
      [() => backend.controlPlayback('pb1', 'pause', ctx), 'POST /ari/playbacks/pb1/control?operation=pause'],
      [() => backend.listChannels(ctx), 'GET /ari/channels'],
      [() => backend.getChannel(id, ctx), `GET /ari/channels/${e}`],
      [() => backend.client.ping(), 'GET /ari/asterisk/ping'],
    ];
    for (const [call, line, body] of calls) {
      server.requests.length = 0;
      server.respond((req) =>
        req.url === '/ari/channels' && req.method === 'GET'
          ? { status: 200, body: [] }
          : req.url === '/ari/asterisk/ping'
            ? { status: 200, body: { ping: 'pong', timestamp: 'x', asterisk_id: 'y' } }
            : respond(req),
      );
      await call();
      expect(`${server.requests[0].method} ${server.requests[0].url}`).toBe(line);
      expect(server.requests[0].body).toBe(body ?? '');
      if (body) expect(server.requests[0].headers['content-type']).toBe('application/json');
    }
    function respond(req: Parameters<Parameters<RawServer['respond']>[0]>[0]) {
      if (req.url.includes('/play'))
        return {
          status: 201,
          body: { id: 'pb1', media_uri: 'sound:x', target_uri: 'channel:c', language: 'en', state: 'queued' },
        };
      if (req.url.includes('/record'))
        return { status: 201, body: { name: 'r/1', format: 'wav', target_uri: 'channel:c', state: 'queued' } };
      if (req.url.includes('/variables') && req.method === 'GET')
        return { status: 200, body: { variables: { A: '1' } } };
      if (req.url.includes('/variable?') && req.method === 'GET') return { status: 200, body: { value: '' } };
      if (req.url.includes('/rtp_statistics'))
        return {
          status: 200,
          body: {
            txcount: 1,
            rxcount: 2,
            txploss: 0,
            rxploss: 0,
            local_ssrc: 1,
            remote_ssrc: 2,
            txoctetcount: 3,
            rxoctetcount: 4,
            channel_uniqueid: 'c',
          },
        };
      if (req.url.startsWith('/ari/playbacks/') && req.method === 'GET')
        return { status: 200, body: { id: 'pb1', media_uri: 'sound:x', target_uri: 'channel:c', state: 'playing' } };
      if (req.method === 'POST' && /snoop|externalMedia|\/create|^\/ari\/channels\/[^/?]+\?/.test(req.url))
        return { status: 200, body: wireChannel('new') };
      if (req.method === 'GET' && /^\/ari\/channels\/[^/?]+$/.test(req.url))
        return { status: 200, body: wireChannel('Local/x') };
      return { status: 204 };
    }
  });

  it('returns the empty-string value of a set-but-empty variable', async () => {
    server.respond(() => ({ status: 200, body: { value: '' } }));
    await expect(backend.getVariable('c', 'EMPTY', ctx)).resolves.toBe('');
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    server.respond(() => ({ status: 200, body: [] }));
    await backend.listChannels(ctx);
    await backend.listChannels(ctx);
    await backend.listChannels(ctx);
    expect(server.requests.map((r) => r.connection)).toEqual([1, 1, 1]);
    expect(server.requests[0].headers.connection).toBe('keep-alive');
  });

  it('maps ARI error bodies to BackendError codes, keeping status and message', async () => {
    const cases: Array<[number, unknown, () => Promise<unknown>, string]> = [
      [
        409,
        { message: 'Channel not in Stasis application' },
        () => backend.answer('c', ctx),
        'CHANNEL_NOT_IN_APPLICATION',
      ],
      [
        409,
        { message: 'Channel with given unique ID already exists' },
        () => backend.originate({ endpoint: 'PJSIP/a', app: 'x', channelId: 'dup' }, ctx),
        'CONFLICT',
      ],
      [
        409,
        { message: "Channel is not in the 'Down' state" },
        () => backend.dial('c', {}, ctx),
        'CHANNEL_STATE_INVALID',
      ],
      [
        409,
        { message: 'Can only pause while media is playing' },
        () => backend.controlPlayback('p', 'pause', ctx),
        'CHANNEL_STATE_INVALID',
      ],
      [412, { message: 'Channel in invalid state' }, () => backend.hold('c', ctx), 'CHANNEL_STATE_INVALID'],
      [400, { message: 'Invalid direction specified' }, () => backend.mute('c', 'in', ctx), 'BAD_USER_INPUT'],
      [
        422,
        { message: 'specified format is unknown on this system' },
        () => backend.record('c', { name: 'r', format: 'xyz' }, ctx),
        'UNSUPPORTED_FORMAT',
      ],
      [403, { message: 'Unsupported channel type' }, () => backend.rtpStatistics('c', ctx), 'UNSUPPORTED_OPERATION'],
      [401, { message: 'Authentication required' }, () => backend.listChannels(ctx), 'BACKEND_AUTH_FAILED'],
      [
        500,
        { error: 'Allocation failed' },
        () => backend.originate({ endpoint: 'NoSuchTech/x', app: 'x' }, ctx),
        'BACKEND_UNAVAILABLE',
      ],
      [404, { message: 'Channel not found' }, () => backend.hangupChannel('gone', {}, ctx), 'NOT_FOUND'],
    ];
    for (const [status, body, call, code] of cases) {
      server.respond(() => ({ status, body }));
      const e = await caught(call());
      const ariMessage = (body as { message?: string; error?: string }).message ?? (body as { error: string }).error;
      expect({
        code: e.code,
        backend: e.backend,
        backendStatus: e.backendStatus,
        backendMessage: e.backendMessage,
      }).toEqual({ code, backend: 'pbx1', backendStatus: status, backendMessage: ariMessage });
      expect(e.message).toContain('ARI backend "pbx1" could not');
      expectNoSecret(e);
    }
  });

  it('an HTML error body still maps by status, with no ARI message', async () => {
    server.respond(() => ({
      status: 404,
      text: '<html><body>The requested URL was not found on this server.</body></html>',
    }));
    const e = await caught(backend.answer('c', ctx));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.backendMessage).toBeUndefined();
  });

  it('getChannel → null on 404; getVariable → null only for the missing variable', async () => {
    server.respond(() => ({ status: 404, body: { message: 'Channel not found' } }));
    await expect(backend.getChannel('nope', ctx)).resolves.toBeNull();
    server.respond(() => ({ status: 404, body: { message: 'Provided variable was not found' } }));
    await expect(backend.getVariable('c', 'NOPE', ctx)).resolves.toBeNull();
    server.respond(() => ({ status: 404, body: { message: 'Provided channel was not found' } }));
    const e = await caught(backend.getVariable('gone', 'X', ctx));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.backendMessage).toBe('Provided channel was not found');
    server.respond(() => ({ status: 404, body: { message: 'Playback not found' } }));
    await expect(backend.getPlayback('p', ctx)).resolves.toBeNull();
  });

  it('a 200 with a non-JSON body is BACKEND_UNAVAILABLE', async () => {
    server.respond(() => ({ status: 200, text: 'not json' }));
    const e = await caught(backend.listChannels(ctx));
    expect(e.code).toBe('BACKEND_UNAVAILABLE');
    expect(e.message).toBe('ARI backend "pbx1" could not list channels: answered 200 with a body that is not JSON');
  });
});

describe('ARI REST client when the backend does not answer', () => {
  it('times out → BACKEND_UNAVAILABLE without status', async () => {
    const server = await startRawServer(() => ({ status: 200, hang: true }));
    const http = new AriHttp({
      backend: 'pbx1',
      baseUrl: server.url,
      username: 'asterisk',
      password: PASSWORD,
      timeoutMs: 50,
    });
    try {
      const e = await caught(http.request({ method: 'GET', path: '/channels', action: 'list channels' }));
      expect(e.code).toBe('BACKEND_UNAVAILABLE');
      expect(e.backendStatus).toBeUndefined();
      expect(e.message).toBe('ARI backend "pbx1" could not list channels: no answer within 50 ms');
      expectNoSecret(e);
    } finally {
      http.close();
      await server.close();
    }
  });

  it('after stop() requests fail fast with BACKEND_UNAVAILABLE and reach nothing', async () => {
    const server = await startRawServer(() => ({ status: 200, body: [] }));
    const backend = new AriBackend(config(server.url));
    try {
      await backend.stop();
      await backend.stop();
      const e = await caught(backend.listChannels(ctx));
      expect(e.message).toBe('ARI backend "pbx1" could not list channels: the backend client was stopped');
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('connection refused → BACKEND_UNAVAILABLE', async () => {
    const server = await startRawServer();
    const url = server.url;
    await server.close();
    const backend = new AriBackend(config(url));
    try {
      const e = await caught(backend.listChannels(ctx));
      expect(e.code).toBe('BACKEND_UNAVAILABLE');
      expect(e.backendStatus).toBeUndefined();
      expect(e.message).toBe('ARI backend "pbx1" could not list channels: connection refused');
      expectNoSecret(e);
    } finally {
      await backend.stop();
    }
  });

  it('retries once when the server drops a reused keep-alive socket, never a fresh one', async () => {
    let n = 0;
    const server = await startRawServer(() => (++n === 2 ? { status: 0, destroy: true } : { status: 200, body: [] }));
    const backend = new AriBackend(config(server.url));
    try {
      await backend.listChannels(ctx);
      await expect(backend.listChannels(ctx)).resolves.toEqual([]);
      expect(server.requests.map((r) => r.connection)).toEqual([1, 1, 2]);

      server.respond(() => ({ status: 0, destroy: true }));
      await backend.stop(); // empty the pool: the next request gets a fresh socket
      server.requests.length = 0;
      const fresh = new AriBackend(config(server.url));
      const e = await caught(fresh.listChannels(ctx));
      await fresh.stop();
      expect(e.code).toBe('BACKEND_UNAVAILABLE');
      expect(e.message).toBe('ARI backend "pbx1" could not list channels: connection reset');
      expect(server.requests).toHaveLength(1);
    } finally {
      await backend.stop();
      await server.close();
    }
  });
});
