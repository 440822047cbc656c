import { AriEventsSocket, backoffDelay } from '../../../src/backends/ari/events-socket';
import type { AriMessage } from '../../../src/backends/ari/wire.generated';
import { startEventsServer, waitFor, type FakeEventsServer } from './ws-server';
import { wireChannel } from './raw-server';

const PASSWORD = 'ws-s3cret';
const fast = { initialMs: 10, maxMs: 40, factor: 2, jitter: 0.5 };

function socketFor(
  server: FakeEventsServer,
  extra: Partial<ConstructorParameters<typeof AriEventsSocket>[0]> = {},
): AriEventsSocket {
  return new AriEventsSocket({
    backend: 'pbx1',
    baseUrl: server.url,
    username: 'asterisk',
    password: PASSWORD,
    app: 'patch bay',
    backoff: fast,
    pingIntervalMs: 0,
    ...extra,
  });
}

const stasisStart = {
  type: 'StasisStart',
  timestamp: '2024-01-01T12:00:00.000+0000',
  args: ['a', 'b'],
  channel: wireChannel('1700000000.1', 'Ring'),
  asterisk_id: '02:fc:00:00:00:01',
  application: 'patch bay',
};

describe('backoffDelay', () => {
  const o = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.3 };
  it('grows exponentially and is capped', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, o, () => 0))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ]);
  });
  it('jitter only shortens, by at most the jitter fraction', () => {
    expect(backoffDelay(3, o, () => 1)).toBe(560);
    expect(backoffDelay(10, o, () => 0.5)).toBe(850);
  });
});

describe('ARI events socket against a real WebSocket server', () => {
  let server: FakeEventsServer;
  let sock: AriEventsSocket | undefined;

  beforeEach(async () => {
    server = await startEventsServer();
  });
  afterEach(async () => {
    await sock?.close();
    sock = undefined;
    await server.stop();
  });

  it('connects to /ari/events with Basic auth in a header, never api_key in the URL', async () => {
    sock = socketFor(server);
    await sock.start();
    expect(server.upgrades).toHaveLength(1);
    expect(server.upgrades[0].url).toBe('/ari/events?app=patch%20bay&subscribeAll=true');
    expect(server.upgrades[0].url).not.toContain('api_key');
    expect(server.upgrades[0].headers.authorization).toBe(
      `Basic ${Buffer.from(`asterisk:${PASSWORD}`).toString('base64')}`,
    );
    const h = sock.health();
    expect(h).toMatchObject({ connected: true, reconnects: 0, lastError: null, lastEventAt: null });
    expect(h.lastConnectedAt).toBeInstanceOf(Date);
  });

  it('emits parsed events in order, ignores non-JSON and typeless frames, tracks lastEventAt', async () => {
    sock = socketFor(server);
    const got: AriMessage[] = [];
    const off = sock.onEvent((e) => got.push(e));
    await sock.start();
    server.sendRaw('not json {');
    server.send({ no: 'type' });
    server.send([1, 2]);
    server.send(stasisStart);
    server.send({
      type: 'ChannelDtmfReceived',
      timestamp: 't',
      digit: '5',
      duration_ms: 100,
      channel: wireChannel('1700000000.1'),
      application: 'patch bay',
    });
    await waitFor(() => got.length >= 2, 'two events');
    expect(got.map((e) => e.type)).toEqual(['StasisStart', 'ChannelDtmfReceived']);
    const first = got[0];
    if (first.type !== 'StasisStart') throw new Error('narrowing');
    expect(first.args).toEqual(['a', 'b']);
    expect(first.channel.id).toBe('1700000000.1');
    expect(sock.health().lastEventAt).toBeInstanceOf(Date);
    expect(sock.health().connected).toBe(true);

    off();
    server.send(stasisStart);
    server.send({ type: 'StasisEnd', timestamp: 't', channel: wireChannel('x'), application: 'patch bay' });
    await new Promise((r) => setTimeout(r, 30));
    expect(got).toHaveLength(2);
  });

  it('a throwing listener does not stop the others', async () => {
    sock = socketFor(server);
    const got: string[] = [];
    sock.onEvent(() => {
      throw new Error('boom');
    });
    sock.onEvent((e) => got.push(e.type));
    await sock.start();
    server.send(stasisStart);
    await waitFor(() => got.length === 1, 'the second listener');
  });

  it('reconnects after the server drops the socket, and again when the server comes back', async () => {
    sock = socketFor(server);
    const changes: boolean[] = [];
    sock.onConnectionChange((c) => changes.push(c));
    await sock.start();

    server.dropAll();
    await server.waitForUpgrades(2);
    await server.waitForClients(1);
    await waitFor(() => sock!.health().connected, 'reconnected');
    expect(sock.health().reconnects).toBe(1);
    expect(changes).toEqual([true, false, true]);

    await server.stop();
    await waitFor(() => sock!.health().reconnects >= 3, 'retries while the server is down');
    expect(sock.health()).toMatchObject({ connected: false, lastError: 'connection refused' });
    await server.restart();
    await waitFor(() => sock!.health().connected, 'reconnected after restart');
    expect(sock.health().lastError).toBeNull();
    expect(changes).toEqual([true, false, true, false, true]);

    // Events flow again on the new socket.
    const got: string[] = [];
    sock.onEvent((e) => got.push(e.type));
    server.send(stasisStart);
    await waitFor(() => got.length === 1, 'an event after reconnect');
  });

  it('keeps retrying after a 401 and reports it without credentials', async () => {
    server.refuseWith(401);
    sock = socketFor(server);
    await sock.start(); // resolves: a refused backend is not a startup failure
    expect(sock.health().connected).toBe(false);
    expect(sock.health().lastError).toBe('authentication failed (HTTP 401 on the events upgrade)');
    await server.waitForUpgrades(3);
    expect(JSON.stringify(sock.health())).not.toContain(PASSWORD);
    server.refuseWith(null);
    await waitFor(() => sock!.health().connected, 'connected once accepted');
    expect(sock.health().reconnects).toBeGreaterThanOrEqual(2);
  });

  it('start() resolves with the backend down and close() stops the retries', async () => {
    const port = server.port;
    await server.stop();
    sock = socketFor(server);
    await sock.start();
    expect(sock.health()).toMatchObject({ connected: false, lastError: 'connection refused', lastConnectedAt: null });
    await sock.close();
    const after = sock.health().reconnects;
    await server.restart();
    expect(server.port).toBe(port);
    await new Promise((r) => setTimeout(r, 100)); // > 2 max backoff periods
    expect(server.upgrades).toHaveLength(0);
    expect(sock.health().reconnects).toBe(after);
  });

  it('ApplicationReplaced: surfaces it, closes, does not fight back until reconnect()', async () => {
    sock = socketFor(server);
    const got: string[] = [];
    sock.onEvent((e) => got.push(e.type));
    await sock.start();
    server.send({
      type: 'ApplicationReplaced',
      timestamp: '2024-01-01T12:00:00.000+0000',
      application: 'patch bay',
      asterisk_id: 'x',
    });
    await waitFor(() => server.clients().length === 0, 'our socket closed');
    expect(got).toEqual(['ApplicationReplaced']);
    const h = sock.health();
    expect(h.connected).toBe(false);
    expect(h.lastError).toContain('ApplicationReplaced');
    await new Promise((r) => setTimeout(r, 100)); // > 2 max backoff periods
    expect(server.upgrades).toHaveLength(1);

    sock.reconnect();
    await waitFor(() => sock!.health().connected, 'connected after reconnect()');
    expect(server.upgrades).toHaveLength(2);
    expect(sock.health().lastError).toBeNull();
  });
});

describe('ARI events socket keep-alive', () => {
  it('drops and replaces a socket whose server stops answering pings', async () => {
    const server = await startEventsServer({ autoPong: false });
    const sock = socketFor(server, { pingIntervalMs: 20 });
    try {
      await sock.start();
      await server.waitForUpgrades(2);
      expect(sock.health().reconnects).toBeGreaterThanOrEqual(1);
    } finally {
      await sock.close();
      await server.stop();
    }
  });
});
