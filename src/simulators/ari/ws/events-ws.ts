/**
 * `/ari/events` websocket (`res/ari/ari_websockets.c`, `res/res_http_websocket.c`): auth, app list
 * from the first `app` parameter, sub-protocol "ari", nothing sent on connect.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AriEngine } from '../core/engine';
import type { EventSink } from '../core/apps';
import { authenticate, AUTH_REALM, type AriUser } from '../http/auth';
import { parseUrlEncoded } from '../http/decode';
import { astTrue } from '../http/params';
import { htmlError } from '../http/respond';
import { splitUrl } from '../http/server';
import { componentLogger } from '../../../log';

const MAX_APP_NAME = 73; // ARI_MAX_APP_NAME_LEN: 80 - strlen("stasis-")

function writeRaw(socket: Duplex, status: number, reason: string, headers: Record<string, string>, body: string): void {
  const head = [
    `HTTP/1.1 ${status} ${reason}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  head.push(`Content-Length: ${Buffer.byteLength(body)}`);
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

function writeHtml(socket: Duplex, status: number, title: string, text: string): void {
  writeRaw(socket, status, title, { 'Content-type': 'text/html' }, htmlError(status, title, text).html);
}

export class EventsWebSocketServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('ari') ? 'ari' : false),
  });
  private readonly log = componentLogger('ari-simulator.events-ws');

  constructor(
    private readonly engine: AriEngine,
    private readonly users: AriUser[],
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { path, query } = splitUrl(req.url ?? '/');
    if (path !== '/ari/events') {
      writeHtml(socket, 404, 'Not Found', 'The requested URL was not found on this server.');
      return;
    }
    const params = parseUrlEncoded(query);
    if (!authenticate(req.headers, params, this.users)) {
      writeRaw(
        socket,
        401,
        'Unauthorized',
        { 'Content-type': 'application/json', 'WWW-Authenticate': `Basic realm="${AUTH_REALM}"` },
        JSON.stringify({ message: 'Authentication required' }),
      );
      return;
    }
    const appParam = params.find(([n]) => n === 'app')?.[1];
    if (!appParam) {
      writeHtml(socket, 400, 'Bad Request', 'HTTP request is missing param: [app]');
      return;
    }
    const apps = appParam.split(',').map((a) => a.trim());
    if (apps.some((a) => a === '' || a.length > MAX_APP_NAME)) {
      writeHtml(socket, 500, 'Internal Server Error', 'Stasis registration failed');
      return;
    }
    const offered = req.headers['sec-websocket-protocol'];
    if (
      offered !== undefined &&
      !offered
        .split(',')
        .map((p) => p.trim())
        .includes('ari')
    ) {
      writeHtml(socket, 400, 'Bad Request', 'No protocol handler available');
      return;
    }
    let subscribeAll = false;
    for (const [n, v] of params) if (n === 'subscribeAll') subscribeAll = astTrue(v);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, apps, subscribeAll));
  }

  private attach(ws: WebSocket, apps: string[], subscribeAll: boolean): void {
    const sink: EventSink = {
      send: (text) => {
        if (ws.readyState === ws.OPEN) ws.send(text);
      },
    };
    for (const app of apps) this.engine.apps.register(app, sink, subscribeAll);
    this.log.debug({ apps, subscribeAll }, 'events websocket attached');
    // Inbound text frames (REST over websocket) are not simulated: ignored, as the spec allows.
    ws.on('close', () => this.engine.apps.unregisterSink(sink));
    ws.on('error', () => this.engine.apps.unregisterSink(sink));
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
