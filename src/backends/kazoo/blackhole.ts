/**
 * Blackhole websocket client (docs/wire/kazoo.md §4.2–4.5): subscribes one binding per message
 * (`data.binding` singular — the only form 4.3/master accept; 5.x accepts it too), re-subscribes
 * with a fresh token after every reconnect, reconnects with capped exponential backoff and
 * jitter, and detects dead sockets with WS pings.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { componentLogger } from '../../log';
import type { BackendHealth } from '../types';
import type { BlackholeEventMessage, BlackholeMessage, BlackholeReply, BlackholeRequest } from './wire';

export const DEFAULT_BINDINGS: readonly string[] = ['call.*.*', 'object.*.*', 'qubicle.recipient'];
/** What watchAccount subscribes for another account: its user documents' changes (§4.6). */
export const WATCH_BINDING = 'object.*.user';

export interface BlackholeOptions {
  backend: string;
  url: string;
  accountId: string;
  bindings?: readonly string[];
  getToken: () => Promise<string>;
  invalidateToken: (token: string) => void;
  /** First reconnect delay and cap; default 500 ms and 30 s. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** How long to wait for a subscribe reply; default 10 s. */
  replyTimeoutMs?: number;
  /** WS ping period for dead-socket detection; 0 disables. Default 30 s. */
  pingIntervalMs?: number;
  /** Accounts watchAccount may add per socket; 0 disables watching. Default 100. */
  maxWatchedAccounts?: number;
  /** After Blackhole refused to watch an account, how long before asking again. Default 60 s. */
  watchRetryMs?: number;
  random?: () => number;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential from `baseMs`, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so a fleet of gateways does not
 * reconnect in lockstep after a Blackhole restart.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(exp / 2 + (exp / 2) * random());
}

const AUTH_ERROR = /authentication token required|failed to authenticate token/i;

type Pending = { resolve: (r: BlackholeReply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export class BlackholeClient {
  private ws: WebSocket | null = null;
  private closing = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly eventListeners = new Set<(m: BlackholeEventMessage) => void>();
  private readonly stateListeners = new Set<(connected: boolean) => void>();
  private active: string[] = [];
  private readonly state: BackendHealth = {
    connected: false,
    lastEventAt: null,
    lastConnectedAt: null,
    reconnects: 0,
    lastError: null,
  };
  private firstAttempt: { promise: Promise<void>; resolve: () => void } | null = null;
  /** watchAccount state, per socket: confirmed, in flight, refused (when). */
  private readonly watched = new Set<string>();
  private readonly watching = new Map<string, Promise<boolean>>();
  private readonly watchRefusedAt = new Map<string, number>();
  private readonly log;

  constructor(private readonly o: BlackholeOptions) {
    this.log = componentLogger('kazoo.blackhole', { backend: o.backend });
  }

  /** Connects; resolves once the first attempt settled (subscribed, or failed and retrying). */
  start(): Promise<void> {
    if (this.firstAttempt) return this.firstAttempt.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.firstAttempt = { promise, resolve };
    this.closing = false;
    this.connect();
    return promise;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.settleFirstAttempt();
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1000);
      ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000);
    });
  }

  onEvent(listener: (m: BlackholeEventMessage) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Called with true once subscribed, false when the socket is lost (events may be missed). */
  onStateChange(listener: (connected: boolean) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  health(): BackendHealth {
    return { ...this.state };
  }

  /** Bindings Blackhole confirmed on the current socket. */
  subscriptions(): string[] {
    return [...this.active];
  }

  /** Subscribed (all bindings settled) on a live socket. */
  get connected(): boolean {
    return this.state.connected;
  }

  /**
   * Subscribes WATCH_BINDING for another account on the current socket (Blackhole allows the
   * configured account's descendants only). true once Blackhole confirmed it; false when not
   * connected, refused, over maxWatchedAccounts, or the socket was lost meanwhile. Watches are
   * not renewed after a reconnect: the next watchAccount asks again.
   */
  watchAccount(accountId: string): Promise<boolean> {
    const ws = this.ws;
    if (accountId === this.o.accountId || !ws || !this.state.connected) return Promise.resolve(false);
    if (this.watched.has(accountId)) return Promise.resolve(true);
    const inFlight = this.watching.get(accountId);
    if (inFlight) return inFlight;
    const refusedAt = this.watchRefusedAt.get(accountId);
    if (refusedAt !== undefined && Date.now() - refusedAt < (this.o.watchRetryMs ?? 60_000))
      return Promise.resolve(false);
    if (this.watched.size + this.watching.size >= (this.o.maxWatchedAccounts ?? 100)) return Promise.resolve(false);
    const p = this.subscribe(ws, WATCH_BINDING, accountId)
      .catch((e: Error) => e.message)
      .then((err) => {
        // A lost socket already reset the watch state; this answer belongs to no live socket.
        if (this.ws !== ws) return false;
        this.watching.delete(accountId);
        if (err === null) {
          this.watched.add(accountId);
          this.watchRefusedAt.delete(accountId);
          return true;
        }
        this.log.warn({ accountId, err }, 'blackhole refused to watch an account');
        this.watchRefusedAt.set(accountId, Date.now());
        return false;
      });
    this.watching.set(accountId, p);
    return p;
  }

  /** watchAccount confirmed for this account on the current socket. */
  isWatching(accountId: string): boolean {
    return this.state.connected && this.watched.has(accountId);
  }

  private settleFirstAttempt(): void {
    this.firstAttempt?.resolve();
  }

  private connect(): void {
    if (this.closing) return;
    const ws = new WebSocket(this.o.url, { handshakeTimeout: this.o.replyTimeoutMs ?? 10_000 });
    this.ws = ws;
    let alive = true;
    ws.on('open', () => {
      this.log.info({ url: this.o.url }, 'blackhole socket open');
      const every = this.o.pingIntervalMs ?? 30_000;
      if (every > 0) {
        this.pingTimer = setInterval(() => {
          if (!alive) {
            this.log.warn('no pong from blackhole, dropping socket');
            ws.terminate();
            return;
          }
          alive = false;
          ws.ping();
        }, every);
      }
      void this.subscribeAll(ws);
    });
    ws.on('pong', () => (alive = true));
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return;
      this.onMessage(raw.toString());
    });
    ws.on('error', (e) => {
      this.state.lastError = e.message;
      this.log.warn({ err: e.message }, 'blackhole socket error');
    });
    ws.on('close', (code, reason) => this.onClose(ws, code, reason.toString()));
  }

  private onMessage(text: string): void {
    let msg: BlackholeMessage;
    try {
      msg = JSON.parse(text) as BlackholeMessage;
    } catch {
      this.log.warn({ frame: text.slice(0, 200) }, 'blackhole sent a non-JSON frame');
      return;
    }
    if (msg.action === 'reply') {
      const p = this.pending.get(msg.request_id);
      if (!p) return;
      this.pending.delete(msg.request_id);
      clearTimeout(p.timer);
      p.resolve(msg);
    } else if (msg.action === 'event') {
      this.state.lastEventAt = new Date();
      for (const l of this.eventListeners) {
        try {
          l(msg);
        } catch (e) {
          this.log.error({ err: (e as Error).message }, 'blackhole event listener threw');
        }
      }
    }
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (this.ws !== ws) return;
    this.ws = null;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('socket closed'));
      this.pending.delete(id);
    }
    this.active = [];
    this.watched.clear();
    this.watching.clear();
    this.watchRefusedAt.clear();
    const was = this.state.connected;
    this.state.connected = false;
    if (was) this.emitState(false);
    if (this.closing) return;
    if (code !== 1000 && !this.state.lastError)
      this.state.lastError = `socket closed (${code}${reason ? ` ${reason}` : ''})`;
    this.settleFirstAttempt();
    const delay = backoffDelay(
      this.attempt++,
      this.o.backoffBaseMs ?? 500,
      this.o.backoffMaxMs ?? 30_000,
      this.o.random,
    );
    this.log.info({ code, reason, delayMs: delay, attempt: this.attempt }, 'blackhole socket closed; reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.state.reconnects++;
      this.connect();
    }, delay);
  }

  private emitState(connected: boolean): void {
    for (const l of this.stateListeners) {
      try {
        l(connected);
      } catch (e) {
        this.log.error({ err: (e as Error).message }, 'blackhole state listener threw');
      }
    }
  }

  private request(ws: WebSocket, req: BlackholeRequest): Promise<BlackholeReply> {
    return new Promise<BlackholeReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(req.request_id);
        reject(new Error(`no reply to ${req.action} within ${this.o.replyTimeoutMs ?? 10_000} ms`));
      }, this.o.replyTimeoutMs ?? 10_000);
      this.pending.set(req.request_id, { resolve, reject, timer });
      ws.send(JSON.stringify(req), (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(req.request_id);
        reject(err);
      });
    });
  }

  /** Subscribes one binding; on an auth error renews the token once. Returns the error text or null. */
  private async subscribe(ws: WebSocket, binding: string, accountId = this.o.accountId): Promise<string | null> {
    for (let tries = 0; tries < 2; tries++) {
      const token = await this.o.getToken();
      const reply = await this.request(ws, {
        action: 'subscribe',
        auth_token: token,
        request_id: randomBytes(16).toString('hex'),
        data: { account_id: accountId, binding },
      });
      if (reply.status === 'success') return null;
      const errors = reply.data?.errors ?? ['subscribe failed'];
      if (tries === 0 && errors.some((e) => AUTH_ERROR.test(e))) {
        this.o.invalidateToken(token);
        continue;
      }
      return errors.join('; ');
    }
    return 'authentication failed twice';
  }

  private async subscribeAll(ws: WebSocket): Promise<void> {
    const bindings = this.o.bindings ?? DEFAULT_BINDINGS;
    const ok: string[] = [];
    const failures: string[] = [];
    for (const b of bindings) {
      if (this.ws !== ws) return;
      try {
        const err = await this.subscribe(ws, b);
        if (err === null) ok.push(b);
        else failures.push(`${b}: ${err}`);
      } catch (e) {
        failures.push(`${b}: ${(e as Error).message}`);
      }
    }
    if (this.ws !== ws) return;
    if (failures.length) {
      this.state.lastError = `subscribe failed: ${failures.join(' | ')}`;
      this.log.warn({ failures }, 'some blackhole subscriptions failed');
    }
    if (ok.length === 0) {
      // A socket without a single subscription is useless: retry the whole attempt later.
      ws.close(4000, 'no subscription');
      return;
    }
    this.active = ok;
    this.attempt = 0;
    if (failures.length === 0) this.state.lastError = null;
    this.state.connected = true;
    this.state.lastConnectedAt = new Date();
    this.log.info({ bindings: ok }, 'blackhole subscribed');
    this.emitState(true);
    this.settleFirstAttempt();
  }
}
