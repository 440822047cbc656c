/** Test helpers for the ARI simulator: a raw HTTP client and an events-websocket collector. */
import WebSocket from 'ws';
import type { AriSimulator } from '../../../src/simulators/ari';

export const ID = /^\d+\.\d+$/;
export const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const EID = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

export const BASIC = `Basic ${Buffer.from('asterisk:asterisk').toString('base64')}`;

export interface HttpResult {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  body: any;
}

export interface RequestOptions {
  auth?: string | null; // header value; null = none
  headers?: Record<string, string>;
  json?: unknown;
  rawBody?: string;
  contentType?: string;
}

/** `path` is relative to the simulator root and may carry a query string: `/ari/channels?x=1`. */
export async function http(
  sim: AriSimulator,
  method: string,
  path: string,
  o: RequestOptions = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.auth !== null) headers.Authorization = o.auth ?? BASIC;
  let body: string | undefined;
  if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers['Content-Type'] = o.contentType ?? 'application/json';
  } else if (o.rawBody !== undefined) {
    body = o.rawBody;
    if (o.contentType) headers['Content-Type'] = o.contentType;
  }
  const res = await fetch(`http://127.0.0.1:${sim.port}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, statusText: res.statusText, headers: res.headers, text, body: parsed };
}

export type AriEvent = Record<string, any>;

export class EventCollector {
  readonly events: AriEvent[] = [];
  readonly raw: string[] = [];
  private waiters: Array<() => void> = [];
  private cursor = 0;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      this.events.push(JSON.parse(text));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(sim: AriSimulator, app: string, subscribeAll = false, extra = ''): Promise<EventCollector> {
    const url = `ws://127.0.0.1:${sim.port}/ari/events?app=${app}&api_key=asterisk:asterisk${subscribeAll ? '&subscribeAll=true' : ''}${extra}`;
    const ws = new WebSocket(url);
    const c = new EventCollector(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return c;
  }

  /** Waits for the next event (after the cursor) matching `pred`; moves the cursor past it. */
  async next(pred: (e: AriEvent) => boolean = () => true, timeoutMs = 3000): Promise<AriEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.cursor; i < this.events.length; i++) {
        if (pred(this.events[i])) {
          this.cursor = i + 1;
          return this.events[i];
        }
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out waiting for event; seen: ${this.events
            .slice(this.cursor)
            .map((e) => e.type)
            .join(', ')}`,
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

  nextOfType(type: string, extra: (e: AriEvent) => boolean = () => true, timeoutMs?: number): Promise<AriEvent> {
    return this.next((e) => e.type === type && extra(e), timeoutMs);
  }

  /** Events from `from` up to the cursor. */
  since(from: number): AriEvent[] {
    return this.events.slice(from, this.cursor);
  }

  mark(): number {
    return this.cursor;
  }

  /** Moves the cursor to the end of what has arrived. */
  skipAll(): void {
    this.cursor = this.events.length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

let markerSeq = 0;

/**
 * Ordering barrier: sends a user event to `app` and waits for it. Everything the simulator sent to
 * that app before has then arrived (one socket, in order), so "X did not happen" can be asserted
 * without sleeping.
 */
export async function barrier(sim: AriSimulator, c: EventCollector, app: string): Promise<AriEvent[]> {
  const from = c.mark();
  const name = `barrier-${++markerSeq}`;
  const r = await http(sim, 'POST', `/ari/events/user/${name}?application=${app}`);
  if (r.status !== 204) throw new Error(`barrier failed: ${r.status} ${r.text}`);
  await c.nextOfType('ChannelUserevent', (e) => e.eventname === name);
  return c.since(from).filter((e) => !(e.type === 'ChannelUserevent' && e.eventname === name));
}

/** Replaces volatile values so bodies can be compared with the capture, key order included. */
export function normalize(v: unknown, ids: Map<string, string> = new Map()): unknown {
  if (Array.isArray(v)) return v.map((x) => normalize(x, ids));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if ((k === 'timestamp' || k === 'creationtime') && typeof x === 'string' && TS.test(x)) out[k] = '<ts>';
      else if (k === 'asterisk_id' || k === 'entity_id') out[k] = '<eid>';
      else if ((k === 'id' || k === 'channel_uniqueid') && typeof x === 'string' && (ID.test(x) || UUID.test(x))) {
        if (!ids.has(x)) ids.set(x, `<id${ids.size}>`);
        out[k] = ids.get(x);
      } else if (k === 'target_uri' && typeof x === 'string') {
        const [scheme, rest] = x.split(':');
        if (!ids.has(rest) && ID.test(rest)) ids.set(rest, `<id${ids.size}>`);
        out[k] = `${scheme}:${ids.get(rest) ?? rest}`;
      } else out[k] = normalize(x, ids);
    }
    return out;
  }
  return v;
}

/** normalize + stringify, so `toBe` also compares key order. */
export function shape(v: unknown, ids?: Map<string, string>): string {
  return JSON.stringify(normalize(v, ids));
}
