/** Real-socket helpers for the KAZOO simulator tests: HTTP via fetch, Blackhole via ws. */
import WebSocket from 'ws';
import type { KazooSimulator, WorldAccount } from '../../../src/simulators/kazoo';

export interface HttpResult {
  status: number;
  headers: Headers;
  body: any;
}

export async function call(
  sim: KazooSimulator,
  method: string,
  path: string,
  o: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.token) headers['X-Auth-Token'] = o.token;
  let body: string | undefined = o.rawBody;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${sim.crossbarUrl}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export async function apiToken(sim: KazooSimulator, account: WorldAccount): Promise<string> {
  const r = await call(sim, 'PUT', '/api_auth', { body: { data: { api_key: account.apiKey } } });
  if (r.status !== 201) throw new Error(`api_auth failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.auth_token as string;
}

export interface Frame {
  action: string;
  [k: string]: any;
}

/** A Blackhole client that buffers frames so tests can wait for one with a bounded timeout. */
export class BhClient {
  readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  closeCode?: number;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      this.frames.push(JSON.parse(raw.toString()) as Frame);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static connect(url: string, protocols?: string[]): Promise<BhClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocols);
      const client = new BhClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** Waits for (and removes) the first buffered frame matching `pred`. */
  async next(pred: (f: Frame) => boolean, timeoutMs = 2000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i >= 0) return this.frames.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0 || this.closeCode !== undefined) {
        throw new Error(
          `no matching frame within ${timeoutMs} ms; buffered: ${JSON.stringify(this.frames).slice(0, 2000)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async request(msg: Record<string, unknown>): Promise<Frame> {
    const requestId = (msg.request_id as string) ?? `req-${Math.random().toString(16).slice(2)}`;
    this.send({ ...msg, request_id: requestId });
    return this.next((f) => f.action === 'reply' && f.request_id === requestId);
  }

  event(pred: (f: Frame) => boolean, timeoutMs = 2000): Promise<Frame> {
    return this.next((f) => f.action === 'event' && pred(f), timeoutMs);
  }

  /** Resolves with the close code once the server closes the socket. */
  async closed(timeoutMs = 2000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined) {
      if (Date.now() > deadline) throw new Error('socket not closed');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.closeCode;
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

export const HEX32 = /^[0-9a-f]{32}$/;
export const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** Gregorian seconds for any date between 2020 and 2100. */
export function isGregorian(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n > 63_700_000_000 && n < 66_200_000_000;
}
