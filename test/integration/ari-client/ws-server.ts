/**
 * A real WebSocket server standing in for /ari/events: records upgrade requests, can refuse
 * upgrades with a status, drop clients, push frames, and stop/start on the same port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { waitFor } from '../../helpers/wait-for';

export interface Upgrade {
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface FakeEventsServer {
  port: number;
  /** ARI base URL for the client config. */
  url: string;
  upgrades: Upgrade[];
  clients(): WebSocket[];
  /** Refuse the next upgrades with this status (null = accept). */
  refuseWith(status: number | null): void;
  send(frame: unknown): void;
  sendRaw(text: string): void;
  dropAll(): void;
  stop(): Promise<void>;
  restart(): Promise<void>;
  waitForUpgrades(n: number, timeoutMs?: number): Promise<void>;
  waitForClients(n: number, timeoutMs?: number): Promise<void>;
}

export { waitFor };

export async function startEventsServer(opts: { autoPong?: boolean } = {}): Promise<FakeEventsServer> {
  const upgrades: Upgrade[] = [];
  let refuse: number | null = null;
  let port = 0;
  let server: http.Server;
  let wss: WebSocketServer;

  const listen = async (): Promise<void> => {
    server = http.createServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    wss = new WebSocketServer({ noServer: true, autoPong: opts.autoPong ?? true });
    server.on('upgrade', (req, socket, head) => {
      upgrades.push({ url: req.url ?? '', headers: req.headers });
      if (refuse !== null) {
        const body = JSON.stringify({ message: 'Authentication required' });
        socket.end(
          `HTTP/1.1 ${refuse} Refused\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  await listen();

  const live = (): WebSocket[] => [...wss.clients].filter((c) => c.readyState === 1);
  const api: FakeEventsServer = {
    port,
    url: `http://127.0.0.1:${port}/ari`,
    upgrades,
    clients: live,
    refuseWith(status) {
      refuse = status;
    },
    send(frame) {
      for (const c of live()) c.send(JSON.stringify(frame));
    },
    sendRaw(text) {
      for (const c of live()) c.send(text);
    },
    dropAll() {
      for (const c of wss.clients) c.terminate();
    },
    async stop() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    restart: listen,
    waitForUpgrades: async (n, t) => void (await waitFor(() => upgrades.length >= n, `${n} upgrade requests`, t)),
    waitForClients: async (n, t) => void (await waitFor(() => live().length >= n, `${n} connected clients`, t)),
  };
  return api;
}
