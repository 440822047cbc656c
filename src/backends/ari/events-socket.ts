/**
 * Holds the ARI events WebSocket (`/ari/events?app=<app>&subscribeAll=true`) for one backend:
 * Basic auth in a header (never api_key in the URL, so no secret reaches logs), reconnect with
 * capped exponential backoff + jitter on every drop or failure (401 included: credentials may be
 * fixed server-side), keep-alive pings, health, and typed wire events to listeners.
 *
 * Asterisk replays nothing after a reconnect (docs/wire/ari.md §4.1, §4.5): listeners of
 * onConnectionChange must re-read state when `connected` becomes true again.
 *
 * ApplicationReplaced (§4.6): another client registered our app and now gets its events; our
 * socket stays open but silent. We close it and do NOT reconnect on our own: re-registering
 * would replace the other client, which (if it is another gateway instance or a script doing
 * the same) replaces us back — a swap loop where each side loses events at every swap. The
 * condition is surfaced in health (connected=false, lastError) and whoever owns the decision
 * (the ingest lease, an operator) calls reconnect().
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { BackendHealth } from '../types';
import { componentLogger, type Logger } from '../../log';
import { basicAuth, encodeComponent } from './encoding';
import type { AriMessage } from './wire.generated';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0..1: each delay is reduced by up to this fraction at random, so many gateways spread out. */
  jitter: number;
}

export interface EventsSocketOptions {
  backend: string;
  /** ARI base, e.g. http://127.0.0.1:8088/ari; the socket goes to <base>/events (ws/wss). */
  baseUrl: string;
  username: string;
  password: string;
  app: string;
  subscribeAll?: boolean;
  backoff?: Partial<BackoffOptions>;
  /** WebSocket ping period; a missing pong by the next tick drops the socket. 0 disables. */
  pingIntervalMs?: number;
  handshakeTimeoutMs?: number;
  /** Injectable for tests. */
  random?: () => number;
}

export type AriEventListener = (event: AriMessage) => void;
export type ConnectionListener = (connected: boolean) => void;

/**
 * No reconnect sooner than this after a drop: Asterisk 22 can deadlock when a subscribeAll
 * app's websocket is torn down while calls change and a new one arrives at once
 * (docs/wire/ari.md §7, §8.2). Holds whatever the backoff says.
 */
export const MIN_RECONNECT_AFTER_DROP_MS = 120;

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 15_000, factor: 2, jitter: 0.3 };

export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number): number {
  const base = Math.min(o.maxMs, o.initialMs * Math.pow(o.factor, attempt));
  return Math.max(0, Math.round(base * (1 - o.jitter * random())));
}

/** Turns ws/socket errors into a short text without URLs or headers (so no credentials). */
function describeError(e: Error & { code?: string }): string {
  const status = /Unexpected server response: (\d+)/.exec(e.message);
  if (status) {
    const s = Number(status[1]);
    if (s === 401) return 'authentication failed (HTTP 401 on the events upgrade)';
    return `events upgrade refused with HTTP ${s}`;
  }
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code) return `${e.code}`;
  return e.message.replace(/\/\/[^@/\s]*@/g, '//');
}

export class AriEventsSocket {
  private readonly url: string;
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private readonly log: Logger;
  private readonly listeners = new Set<AriEventListener>();
  private readonly connListeners = new Set<ConnectionListener>();
  private ws: WebSocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pinger: NodeJS.Timeout | null = null;
  private attempt = 0;
  /** performance.now() of the last socket close; the next connect waits for MIN_RECONNECT_AFTER_DROP_MS. */
  private droppedAt = -Infinity;
  private closed = false;
  private replaced = false;
  private firstSettled: (() => void) | null = null;
  private readonly state: BackendHealth = {
    connected: false,
    lastEventAt: null,
    lastConnectedAt: null,
    reconnects: 0,
    lastError: null,
  };

  constructor(private readonly opts: EventsSocketOptions) {
    const base = new URL(opts.baseUrl.replace(/\/+$/, ''));
    base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    const all = opts.subscribeAll ?? true;
    this.url = `${base.toString().replace(/\/+$/, '')}/events?app=${encodeComponent(opts.app)}${all ? '&subscribeAll=true' : ''}`;
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.random = opts.random ?? Math.random;
    this.log = componentLogger('ari-events', { backend: opts.backend, app: opts.app });
  }

  /** Connects; resolves once the first attempt opened or failed. Never rejects. */
  start(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.ws || this.timer) return Promise.resolve();
    return new Promise((resolve) => {
      this.firstSettled = resolve;
      this.connect();
    });
  }

  onEvent(listener: AriEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called with true on every (re)connect and false on every drop. */
  onConnectionChange(listener: ConnectionListener): () => void {
    this.connListeners.add(listener);
    return () => this.connListeners.delete(listener);
  }

  health(): BackendHealth {
    return { ...this.state };
  }

  /** Re-registers the app after ApplicationReplaced (or forces a fresh socket). */
  reconnect(): void {
    if (this.closed) return;
    this.replaced = false;
    this.clearTimer();
    this.attempt = 0;
    if (this.ws)
      this.ws.terminate(); // its close handler schedules the next attempt
    else this.timer = setTimeout(() => this.connect(), this.sinceDropFloor());
  }

  /** Stops reconnecting and closes the socket; idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    this.settleFirst();
    const ws = this.ws;
    if (!ws) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => ws.terminate(), 1000);
      ws.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000, 'gateway shutting down');
    });
  }

  private connect(): void {
    this.timer = null;
    if (this.closed) return;
    const ws = new WebSocket(this.url, {
      headers: { Authorization: basicAuth(this.opts.username, this.opts.password) },
      handshakeTimeout: this.opts.handshakeTimeoutMs ?? 10_000,
    });
    this.ws = ws;
    let alive = true;
    ws.on('open', () => {
      this.attempt = 0;
      this.state.connected = true;
      this.state.lastConnectedAt = new Date();
      this.state.lastError = null;
      this.log.info('events socket connected');
      this.settleFirst();
      this.emitConnection(true);
      const every = this.opts.pingIntervalMs ?? 30_000;
      if (every > 0) {
        this.pinger = setInterval(() => {
          if (!alive) {
            this.state.lastError = `no pong within ${every} ms`;
            ws.terminate();
            return;
          }
          alive = false;
          ws.ping();
        }, every);
      }
    });
    ws.on('pong', () => {
      alive = true;
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.handleFrame(data.toString());
    });
    ws.on('error', (e: Error & { code?: string }) => {
      if (!this.closed) this.state.lastError = describeError(e);
    });
    ws.on('close', (code) => this.handleClose(ws, code));
  }

  private handleFrame(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.log.warn({ bytes: text.length }, 'ignored a non-JSON frame');
      return;
    }
    if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') {
      this.log.warn('ignored a frame without a string "type"');
      return;
    }
    const event = msg as AriMessage;
    this.state.lastEventAt = new Date();
    if (event.type === 'ApplicationReplaced') this.handleReplaced();
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (e) {
        this.log.error({ err: e, type: event.type }, 'event listener threw');
      }
    }
  }

  private handleReplaced(): void {
    this.replaced = true;
    this.state.connected = false;
    this.state.lastError = `ApplicationReplaced: another client registered application "${this.opts.app}"; not reconnecting on our own (call reconnect())`;
    this.log.warn('application replaced by another websocket; events stopped');
    this.ws?.close(1000, 'application replaced');
  }

  private handleClose(ws: WebSocket, code: number): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.droppedAt = performance.now();
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = null;
    const wasConnected = this.state.connected;
    this.state.connected = false;
    if (!this.state.lastError && !this.closed) this.state.lastError = `socket closed (code ${code})`;
    this.settleFirst();
    if (wasConnected || this.replaced) this.emitConnection(false);
    if (this.closed || this.replaced) return;
    const delay = Math.max(backoffDelay(this.attempt, this.backoff, this.random), this.sinceDropFloor());
    this.attempt++;
    this.state.reconnects++;
    this.log.warn({ delayMs: delay, lastError: this.state.lastError }, 'events socket down; reconnecting');
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** How long until MIN_RECONNECT_AFTER_DROP_MS has passed since the last drop (0 when it has). */
  private sinceDropFloor(): number {
    return Math.max(0, Math.ceil(MIN_RECONNECT_AFTER_DROP_MS - (performance.now() - this.droppedAt)));
  }

  private emitConnection(connected: boolean): void {
    for (const l of [...this.connListeners]) {
      try {
        l(connected);
      } catch (e) {
        this.log.error({ err: e }, 'connection listener threw');
      }
    }
  }

  private settleFirst(): void {
    const s = this.firstSettled;
    this.firstSettled = null;
    s?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
