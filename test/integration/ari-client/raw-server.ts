/**
 * A tiny real HTTP server for the ARI client tests: records every request as it arrived on the
 * socket (method, raw URL, headers, body, which connection) and answers from a script.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Same number = same TCP connection (keep-alive reuse). */
  connection: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Raw text body instead of JSON. */
  text?: string;
  headers?: Record<string, string>;
  /** Never answer (for timeouts). */
  hang?: boolean;
  /** Drop the TCP connection without answering. */
  destroy?: boolean;
}

export type Responder = (req: RecordedRequest) => Reply;

export interface RawServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  respond(r: Responder): void;
  close(): Promise<void>;
}

export async function startRawServer(responder: Responder = () => ({ status: 204 })): Promise<RawServer> {
  let current = responder;
  const requests: RecordedRequest[] = [];
  const ids = new WeakMap<object, number>();
  let nextId = 1;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!ids.has(req.socket)) ids.set(req.socket, nextId++);
      const rec: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        connection: ids.get(req.socket) as number,
      };
      requests.push(rec);
      const reply = current(rec);
      if (reply.hang) return;
      if (reply.destroy) {
        req.socket.destroy();
        return;
      }
      const text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
      const headers: Record<string, string> = { ...(reply.headers ?? {}) };
      if (text && !headers['Content-Type'])
        headers['Content-Type'] = reply.text !== undefined ? 'text/html' : 'application/json';
      res.writeHead(reply.status, headers);
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/ari`,
    port,
    requests,
    respond(r) {
      current = r;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export const wireChannel = (id: string, state = 'Up') => ({
  id,
  name: `PJSIP/alice-0000000a`,
  state,
  protocol_id: 'a84b4c76e66710@pc33',
  caller: { name: 'Alice', number: '1001' },
  connected: { name: '', number: '' },
  accountcode: '',
  dialplan: { context: 'from-internal', exten: '200', priority: 2, app_name: 'Stasis', app_data: 'patchbay' },
  creationtime: '2024-01-01T12:00:00.000+0000',
  language: 'en',
});
