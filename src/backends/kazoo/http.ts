/**
 * Crossbar requests with auth: X-Auth-Token from the TokenManager, one renewal on a 401 (then
 * the 401 surfaces), X-Request-ID from the call context, envelope unwrapping,
 * start_key/next_start_key paging and whole view-backed listings (`paginate=false`).
 */
import type { KazooCredentials } from '../../config';
import { componentLogger } from '../../log';
import type { CallContext } from '../types';
import { unavailable, type ErrorContext } from './envelope';
import { TokenManager } from './token';
import { expectEnvelope, Transport } from './transport';
import type { CrossbarEnvelope } from './wire';

export type Query = Record<string, string | number | boolean | undefined>;

export interface CrossbarRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path below the base URL, ids already URI-encoded, e.g. `/accounts/{A}/channels`. */
  path: string;
  query?: Query;
  /** Sent as the request body as is (callers build the `{data: ...}` envelope). */
  body?: unknown;
  /** false for the few endpoints that need no token (GET /websockets). */
  auth?: boolean;
}

export interface CrossbarResult<T> {
  status: number;
  data: T;
  envelope: CrossbarEnvelope<T>;
}

export interface CrossbarHttpOptions {
  backend: string;
  baseUrl: string;
  timeoutMs: number;
  apiKey?: string;
  credentials?: KazooCredentials;
  refreshMarginMs?: number;
  /** Upper bound when following next_start_key (guards against a server that loops). */
  maxPages?: number;
  now?: () => number;
}

export class CrossbarHttp {
  readonly tokens: TokenManager;
  private readonly transport: Transport;
  private readonly log;
  /** Requests sent (auth excluded); for tests and metrics. */
  requestCount = 0;

  constructor(private readonly o: CrossbarHttpOptions) {
    this.transport = new Transport(o.baseUrl);
    this.tokens = new TokenManager({
      backend: o.backend,
      baseUrl: o.baseUrl,
      transport: this.transport,
      apiKey: o.apiKey,
      credentials: o.credentials,
      timeoutMs: o.timeoutMs,
      refreshMarginMs: o.refreshMarginMs,
      now: o.now,
    });
    this.log = componentLogger('kazoo.http', { backend: o.backend });
  }

  async request<T>(r: CrossbarRequest, ctx: CallContext): Promise<CrossbarResult<T>> {
    const errCtx: ErrorContext = { backend: this.o.backend, method: r.method, path: r.path };
    const url = new URL(this.o.baseUrl + r.path);
    for (const [k, v] of Object.entries(r.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const needsAuth = r.auth !== false;

    let renewed = false;
    for (;;) {
      const headers: Record<string, string> = {};
      if (ctx.requestId) headers['x-request-id'] = ctx.requestId;
      const token = needsAuth ? await this.tokens.getToken(ctx) : undefined;
      if (token) headers['x-auth-token'] = token;
      this.requestCount++;
      const started = Date.now();
      const res = await this.transport.send({
        method: r.method,
        url,
        headers,
        body: r.body,
        timeoutMs: this.o.timeoutMs,
        errorContext: errCtx,
      });
      this.log.debug(
        { method: r.method, path: r.path, status: res.status, ms: Date.now() - started, requestId: ctx.requestId },
        'crossbar request',
      );
      if (res.status === 401 && token && !renewed) {
        // Expired or revoked early: renew once; a second 401 means the credentials are bad.
        this.tokens.invalidate(token);
        renewed = true;
        this.log.info({ path: r.path }, 'token refused, renewing once');
        continue;
      }
      const env = expectEnvelope(errCtx, res) as CrossbarEnvelope<T>;
      if (!('data' in env)) throw unavailable(errCtx, 'envelope carries no data', res.status);
      return { status: res.status, data: env.data as T, envelope: env };
    }
  }

  /**
   * A view-backed listing in one request: `paginate=false` turns Crossbar's default 50-row pages
   * off (docs/wire/kazoo.md §1.7). A server that pages anyway (ignores the flag, or a proxy that adds
   * paging) still comes back whole, because next_start_key is followed like any other listing.
   */
  async getWholeListing<T>(path: string, ctx: CallContext, query: Query = {}): Promise<T[]> {
    return this.getAllPages<T>(path, ctx, { ...query, paginate: false });
  }

  /** GET every page of a listing, following next_start_key (absent on unpaged endpoints). */
  async getAllPages<T>(path: string, ctx: CallContext, query: Query = {}): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    let startKey: string | undefined;
    const maxPages = this.o.maxPages ?? 1000;
    for (let page = 0; page < maxPages; page++) {
      const res = await this.request<T[] | T>({ method: 'GET', path, query: { ...query, start_key: startKey } }, ctx);
      if (Array.isArray(res.data)) out.push(...res.data);
      else if (res.data !== undefined && res.data !== null) out.push(res.data);
      const next = res.envelope.next_start_key;
      if (typeof next !== 'string' || next.length === 0 || seen.has(next)) return out;
      seen.add(next);
      startKey = next;
    }
    this.log.warn({ path, maxPages }, 'stopped following next_start_key after maxPages');
    return out;
  }

  close(): void {
    this.transport.destroy();
  }
}
