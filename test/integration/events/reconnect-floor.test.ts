/**
 * After the events socket drops, the first reconnect comes no sooner than 120 ms after the drop
 * (docs/wire/ari.md §7, §8.2), however short the configured backoff.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { AriEventsSocket, MIN_RECONNECT_AFTER_DROP_MS } from '../../../src/backends/ari/events-socket';
import { waitFor } from '../../helpers/gateway-harness';

interface TimedServer {
  url: string;
  /** performance.now() of every upgrade request. */
  upgrades: number[];
  /** Terminates every client; returns performance.now() just before. */
  dropAll(): number;
  stop(): Promise<void>;
}

async function timedEventsServer(): Promise<TimedServer> {
  const upgrades: number[] = [];
  const wss = new WebSocketServer({ noServer: true });
  const server = http.createServer((_q, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    upgrades.push(performance.now());
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/ari`,
    upgrades,
    dropAll() {
      const at = performance.now();
      for (const c of wss.clients) c.terminate();
      return at;
    },
    async stop() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('ARI events socket: reconnect floor after a drop', () => {
  let server: TimedServer;
  let sock: AriEventsSocket;
  beforeAll(async () => {
    server = await timedEventsServer();
    // A backoff far below the floor: only the floor can keep the reconnect away from the drop.
    sock = new AriEventsSocket({
      backend: 'pbx1',
      baseUrl: server.url,
      username: 'u',
      password: 'p',
      app: 'patchbay',
      backoff: { initialMs: 1, maxMs: 5, factor: 2, jitter: 0 },
      pingIntervalMs: 0,
    });
    await sock.start();
  });
  afterAll(async () => {
    await sock.close();
    await server.stop();
  });

  it(`waits at least ${MIN_RECONNECT_AFTER_DROP_MS} ms after each drop before the next upgrade`, async () => {
    expect(MIN_RECONNECT_AFTER_DROP_MS).toBe(120);
    expect(server.upgrades).toHaveLength(1);
    for (let round = 1; round <= 3; round++) {
      await waitFor(() => sock.health().connected, 'socket connected');
      const droppedAt = server.dropAll();
      await waitFor(() => server.upgrades.length === round + 1 && sock.health().connected, `reconnect ${round}`);
      expect(server.upgrades[round] - droppedAt).toBeGreaterThanOrEqual(MIN_RECONNECT_AFTER_DROP_MS);
    }
  });

  it('reconnect() right after a drop also keeps the floor', async () => {
    await waitFor(() => sock.health().connected, 'socket connected');
    const before = server.upgrades.length;
    const droppedAt = server.dropAll();
    await waitFor(() => !sock.health().connected, 'drop noticed');
    sock.reconnect();
    await waitFor(() => server.upgrades.length === before + 1 && sock.health().connected, 'reconnected');
    expect(server.upgrades[before] - droppedAt).toBeGreaterThanOrEqual(MIN_RECONNECT_AFTER_DROP_MS);
  });
});
