/** A tiny Crossbar stand-in on a real socket, for client-level HTTP tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export type Handler = (req: Seen, res: http.ServerResponse) => void | Promise<void>;

export function jwt(claims: Record<string, unknown>): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'RS256', typ: 'JWT', kid: 'k' })}.${b(claims)}.c2ln`;
}

export function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function ok(res: http.ServerResponse, data: unknown, extra: Record<string, unknown> = {}, status = 200): void {
  send(res, status, { data, status: 'success', request_id: 'r', ...extra });
}

export const invalidCredentials = {
  data: { message: 'invalid credentials' },
  error: '401',
  message: 'invalid_credentials',
  status: 'error',
};

export interface FakeCrossbar {
  url: string;
  seen: Seen[];
  /** Connections accepted (keep-alive check). */
  connections: number;
  handle: Handler;
  close(): Promise<void>;
}

export async function startFakeCrossbar(handle: Handler): Promise<FakeCrossbar> {
  const fake: FakeCrossbar = { url: '', seen: [], connections: 0, handle, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const text = Buffer.concat(chunks).toString('utf8');
      const seen: Seen = {
        method: req.method ?? '',
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      fake.seen.push(seen);
      void Promise.resolve(fake.handle(seen, res)).catch((e: Error) => send(res, 500, { message: e.message }));
    });
  });
  server.on('connection', () => fake.connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
  fake.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return fake;
}
