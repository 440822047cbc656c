/**
 * One Blackhole websocket session and its message pipeline (docs/wire/kazoo.md §4.3–§4.5):
 * rate → authenticate → validate → authorize → command, first error wins and is replied with
 * `{"status":"error","data":{"errors":[…]}}`. 4.3 semantics: singular `binding`, subscribe
 * replies list every client binding once per internal AMQP binding.
 */
import type WebSocket from 'ws';
import type { BusEvent } from '../event-hub';
import { topicMatches } from '../event-hub';
import type { Store } from '../store';
import type { TokenClaims, TokenIssuer } from '../tokens';
import { newId } from '../wire';
import { resolveBinding } from './bindings';

export interface Subscription {
  binding: string;
  key: string;
  accountId: string;
}

export interface SessionDeps {
  store: Store;
  tokens: TokenIssuer;
}

class PipelineError extends Error {}

/** kz_buckets defaults for blackhole: 100 tokens, refilled at 10/s. */
class TokenBucket {
  private tokens = 100;
  private last = Date.now();
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(100, this.tokens + ((now - this.last) / 1000) * 10);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class BlackholeSession {
  readonly subs: Subscription[] = [];
  authAccountId?: string;
  name?: string;
  metadata?: unknown;
  private lastRespData: unknown = {};
  private readonly bucket = new TokenBucket();

  constructor(
    readonly id: string,
    readonly source: string,
    readonly connectedMs: number,
    private readonly ws: WebSocket,
    private readonly deps: SessionDeps,
  ) {}

  /** Returns false when the frame was not JSON (the real handler crashes and the socket closes). */
  handle(text: string): boolean {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return false;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return false;
    const m = msg as Record<string, unknown>;
    const requestId = typeof m.request_id === 'string' ? m.request_id : newId();
    if (typeof m.name === 'string') this.name = m.name;
    if (m.metadata !== undefined) this.metadata = m.metadata;
    const action = typeof m.action === 'string' ? m.action : 'noop';
    try {
      if (!this.bucket.take()) throw new PipelineError(`rate limiting threshold hit for ${this.id}!`);
      const claims = this.authenticate(m.auth_token);
      const data = this.command(action, m.data, claims);
      if (!this.authAccountId && claims) this.authAccountId = claims.account_id;
      this.lastRespData = data;
      this.send({ action: 'reply', request_id: requestId, status: 'success', data });
    } catch (e) {
      if (!(e instanceof PipelineError)) throw e;
      this.send({ action: 'reply', request_id: requestId, status: 'error', data: { errors: [e.message] } });
    }
    return true;
  }

  /** Once a message fully succeeded the session stays authenticated as that account. */
  private authenticate(token: unknown): TokenClaims | undefined {
    if (this.authAccountId) return undefined;
    if (typeof token !== 'string' || token === '') throw new PipelineError('authentication token required');
    const claims = this.deps.tokens.verify(token);
    if (!claims) throw new PipelineError(`failed to authenticate token ${token}`);
    return claims;
  }

  private command(action: string, data: unknown, claims: TokenClaims | undefined): unknown {
    switch (action) {
      case 'subscribe':
        return this.subscribe(data, claims, true);
      case 'unsubscribe':
        return this.subscribe(data, claims, false);
      case 'ping':
        return { response: 'pong' };
      default:
        // [4.3] quirk: unknown actions succeed with whatever the session replied last.
        return this.lastRespData;
    }
  }

  private subscribe(data: unknown, claims: TokenClaims | undefined, add: boolean): unknown {
    const d = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
    if (Object.keys(d).length === 0) throw new PipelineError('missing required keys in data object');
    const missing = ['account_id', 'binding'].filter((k) => typeof d[k] !== 'string' || d[k] === '');
    if (missing.length > 0) throw new PipelineError(`missing required keys : ${missing.join(', ')}`);
    const accountId = d.account_id as string;
    const binding = d.binding as string;
    const resolved = resolveBinding(binding, accountId);
    if (resolved.kind === 'invalid') throw new PipelineError(resolved.error);

    if (!add) {
      for (let i = this.subs.length - 1; i >= 0; i--) {
        if (this.subs[i].binding === binding && this.subs[i].accountId === accountId) this.subs.splice(i, 1);
      }
      return { unsubscribed: [binding], subscribed: this.subs.map((s) => s.binding) };
    }

    this.authorize(accountId, claims);
    if (resolved.kind === 'unavailable') throw new PipelineError('no available subscriptions to requested binding');
    for (const key of resolved.keys) {
      if (!this.subs.some((s) => s.key === key && s.binding === binding)) this.subs.push({ binding, key, accountId });
    }
    return { subscribed: this.subs.map((s) => s.binding) };
  }

  private authorize(accountId: string, claims: TokenClaims | undefined): void {
    const authAccount = this.deps.store.accounts.get(claims?.account_id ?? this.authAccountId ?? '');
    if (accountId === '*') {
      if (!authAccount?.superduperAdmin) throw new PipelineError('unauthorized wildcard account id');
      return;
    }
    if (!authAccount || !this.deps.store.isInHierarchy(authAccount.id, accountId)) {
      throw new PipelineError('unauthorized account id');
    }
  }

  deliver(ev: BusEvent): void {
    for (const s of this.subs) {
      if (!topicMatches(s.key, ev.routingKey)) continue;
      this.send({
        action: 'event',
        subscribed_key: s.binding,
        subscription_key: s.key,
        name: ev.name,
        routing_key: ev.routingKey,
        data: ev.data,
      });
    }
  }

  private send(frame: Record<string, unknown>): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }
}
