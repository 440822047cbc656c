/**
 * The REST transport to one Asterisk: node:http(s) with a keep-alive agent, Basic auth, a
 * per-request deadline, JSON in and out, and every failure turned into a BackendError.
 */
import http from 'node:http';
import https from 'node:https';
import { componentLogger, type Logger } from '../../log';
import { beginBackendRequest } from '../../observability/scope';
import { buildQuery, basicAuth, type Query } from './encoding';
import { ariHttpError, ariMessageOf, ariUnreachable } from './errors';

export interface AriHttpOptions {
  backend: string;
  /** ARI base, e.g. http://127.0.0.1:8088/ari (no credentials, no trailing slash). */
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs: number;
  /** Max parallel sockets to this Asterisk. */
  maxSockets?: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface AriRequest {
  method: HttpMethod;
  /** Below the base, starting with `/`, segments already encoded (see encoding.pathSegment). */
  path: string;
  query?: Query;
  /** Sent as application/json. */
  body?: unknown;
  /** For error messages: what we were trying to do, e.g. `hold channel "x"`. */
  action: string;
  requestId?: string;
}

interface RawResponse {
  status: number;
  text: string;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

class DeadlineExceeded extends Error {}

export class AriHttp {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly auth: string;
  private readonly log: Logger;
  private closed = false;

  constructor(private readonly opts: AriHttpOptions) {
    this.base = new URL(opts.baseUrl.replace(/\/+$/, ''));
    const secure = this.base.protocol === 'https:';
    this.transport = secure ? https : http;
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 32 };
    this.agent = secure ? new https.Agent(agentOpts) : new http.Agent(agentOpts);
    this.auth = basicAuth(opts.username, opts.password);
    this.log = componentLogger('ari-http', { backend: opts.backend });
  }

  /** Parsed JSON for 200/201, undefined for 204 / empty bodies. Throws BackendError. */
  async request<T = void>(req: AriRequest): Promise<T> {
    if (this.closed) throw ariUnreachable(this.opts.backend, req.action, 'the backend client was stopped');
    const started = Date.now();
    // Observability hook: times and counts the request for metrics and the request log.
    const observed = beginBackendRequest('ari', this.opts.backend, req.method, req.path);
    const res = await this.send(req).catch((e: unknown) => {
      observed('error');
      throw e;
    });
    observed(res.status);
    const ms = Date.now() - started;
    this.log.debug(
      { method: req.method, path: req.path, status: res.status, ms, requestId: req.requestId },
      'ari request',
    );
    const parsed = parseJson(res.text);
    if (res.status >= 200 && res.status < 300) {
      if (res.text.length === 0) return undefined as T;
      if (parsed === undefined) {
        throw ariUnreachable(this.opts.backend, req.action, `answered ${res.status} with a body that is not JSON`);
      }
      return parsed as T;
    }
    throw ariHttpError({
      backend: this.opts.backend,
      action: req.action,
      status: res.status,
      ariMessage: ariMessageOf(parsed),
    });
  }

  /** Destroys pooled sockets; in-flight requests fail with BACKEND_UNAVAILABLE. */
  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  private async send(req: AriRequest): Promise<RawResponse> {
    try {
      return await this.sendOnce(req);
    } catch (e) {
      // A keep-alive socket the server closed while idle fails the next request with a reset
      // before the server saw it; Node's docs recommend retrying exactly that case once.
      if (e instanceof ReusedSocketReset) return this.sendOnce(req).catch((e2) => this.fail(req, e2));
      return this.fail(req, e);
    }
  }

  private fail(req: AriRequest, e: unknown): never {
    if (e instanceof ReusedSocketReset) e = e.cause;
    let reason: string;
    if (e instanceof DeadlineExceeded) reason = `no answer within ${this.opts.timeoutMs} ms`;
    else {
      const code = (e as NodeJS.ErrnoException)?.code;
      reason =
        (code && NETWORK_REASONS[code]) ?? `request failed (${code ?? (e as Error)?.message ?? 'unknown error'})`;
    }
    this.log.warn({ method: req.method, path: req.path, reason, requestId: req.requestId }, 'ari backend unreachable');
    throw ariUnreachable(this.opts.backend, req.action, reason);
  }

  private sendOnce(req: AriRequest): Promise<RawResponse> {
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body), 'utf8');
    const headers: http.OutgoingHttpHeaders = { Authorization: this.auth, Accept: 'application/json' };
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = payload.length;
    }
    return new Promise<RawResponse>((resolve, reject) => {
      let settled = false;
      const done = (err: unknown, res?: RawResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(res as RawResponse);
      };
      const r = this.transport.request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port || undefined,
          method: req.method,
          path: `${this.base.pathname}${req.path}${buildQuery(req.query)}`,
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            done(null, { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', (e) => done(e));
        },
      );
      const timer = setTimeout(() => {
        done(new DeadlineExceeded());
        r.destroy();
      }, this.opts.timeoutMs);
      r.on('error', (e: NodeJS.ErrnoException) => {
        done(r.reusedSocket && e.code === 'ECONNRESET' ? new ReusedSocketReset(e) : e);
      });
      r.end(payload);
    });
  }
}

class ReusedSocketReset extends Error {
  constructor(override readonly cause: unknown) {
    super('reset on a reused keep-alive socket');
  }
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
