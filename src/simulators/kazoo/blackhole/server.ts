/**
 * The Blackhole websocket listener (docs/wire/kazoo.md §4.2): any path, no sub-protocols (400),
 * session id `<ip>:<port>`, idle timeout, invalid JSON closes the socket.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { componentLogger } from '../../../log';
import type { TrackedSession } from '../crossbar/context';
import type { EventHub } from '../event-hub';
import { BlackholeSession, type SessionDeps } from './session';

const log = componentLogger('kazoo-sim.blackhole');

export interface BlackholeOptions {
  idleTimeoutMs: number;
}

function peer(req: IncomingMessage): { ip: string; port: number } {
  const ip = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return { ip, port: req.socket.remotePort ?? 0 };
}

export class BlackholeServer {
  private http?: Server;
  private wss?: WebSocketServer;
  private readonly sessions = new Map<WebSocket, BlackholeSession>();
  private unsubscribeHub?: () => void;

  constructor(
    private readonly deps: SessionDeps,
    private readonly hub: EventHub,
    private readonly o: BlackholeOptions,
  ) {}

  async listen(port: number, host: string): Promise<number> {
    this.http = createServer((_req, res) =>
      res.writeHead(426, { 'content-type': 'text/plain' }).end('upgrade required'),
    );
    this.wss = new WebSocketServer({
      server: this.http,
      verifyClient: (info, cb) => {
        if (info.req.headers['sec-websocket-protocol']) cb(false, 400, 'Bad Request');
        else cb(true);
      },
    });
    this.wss.on('connection', (ws, req) => this.onConnection(ws, req));
    this.unsubscribeHub = this.hub.onEvent((ev) => {
      for (const s of this.sessions.values()) s.deliver(ev);
    });
    await new Promise<void>((resolve, reject) => {
      this.http!.once('error', reject);
      this.http!.listen(port, host, () => resolve());
    });
    return (this.http.address() as AddressInfo).port;
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const { ip, port } = peer(req);
    const session = new BlackholeSession(`${ip}:${port}`, ip, Date.now(), ws, this.deps);
    this.sessions.set(ws, session);
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => ws.close(1000, 'idle timeout'), this.o.idleTimeoutMs);
      idle.unref?.();
    };
    armIdle();
    ws.on('message', (raw, isBinary) => {
      armIdle();
      if (isBinary) return;
      if (!session.handle(raw.toString('utf8'))) {
        log.debug({ session: session.id }, 'invalid JSON frame; closing like the crashed handler');
        ws.close(1011, 'internal error');
      }
    });
    ws.on('close', () => {
      if (idle) clearTimeout(idle);
      this.sessions.delete(ws);
    });
    ws.on('error', () => undefined);
  }

  tracked(): TrackedSession[] {
    return [...this.sessions.values()].map((s) => ({
      id: s.id,
      authAccountId: s.authAccountId,
      accountIds: [...new Set(s.subs.map((x) => x.accountId).filter((a) => a !== '*'))],
      bindings: s.subs.map((x) => x.binding),
      connectedMs: s.connectedMs,
      source: s.source,
      name: s.name,
      metadata: s.metadata,
    }));
  }

  /** Test hook: drop every client connection (as a Blackhole restart would). */
  disconnectAll(code = 1001): void {
    for (const ws of this.sessions.keys()) ws.close(code, 'going away');
  }

  async close(): Promise<void> {
    this.unsubscribeHub?.();
    for (const ws of this.sessions.keys()) ws.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    const http = this.http;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  }
}
