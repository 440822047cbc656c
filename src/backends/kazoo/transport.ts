/**
 * One HTTP exchange with Crossbar over a keep-alive agent, with an overall deadline.
 * Knows nothing of tokens; http.ts layers auth and envelopes on top.
 */
import http from 'node:http';
import https from 'node:https';
import { beginBackendRequest } from '../../observability/scope';
import { errorFromResponse, unavailable, type ErrorContext } from './envelope';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON, or undefined for an empty/non-JSON body. */
  body: unknown;
  text: string;
}

export interface TransportRequest {
  method: string;
  /** Full URL including query. */
  url: URL;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  /** For error messages: never contains credentials. */
  errorContext: ErrorContext;
}

export class Transport {
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;

  constructor(baseUrl: string, maxSockets = 16) {
    const secure = new URL(baseUrl).protocol === 'https:';
    this.mod = secure ? https : http;
    this.agent = secure
      ? new https.Agent({ keepAlive: true, maxSockets })
      : new http.Agent({ keepAlive: true, maxSockets });
  }

  async send(req: TransportRequest): Promise<RawResponse> {
    // Observability hook: times and counts the request for metrics and the request log.
    const observed = beginBackendRequest('kazoo', req.errorContext.backend, req.method, req.errorContext.path);
    const res = await this.sendWithRetry(req).catch((e: unknown) => {
      observed('error');
      throw e;
    });
    observed(res.status);
    return res;
  }

  private async sendWithRetry(req: TransportRequest): Promise<RawResponse> {
    try {
      return await this.once(req);
    } catch (e) {
      // A pooled socket the server closed meanwhile fails before any byte is answered: the
      // request never reached KAZOO, so one retry on a fresh socket is safe for every method.
      if ((e as { retryable?: boolean }).retryable) return this.once(req);
      throw e;
    }
  }

  destroy(): void {
    this.agent.destroy();
  }

  private once(r: TransportRequest): Promise<RawResponse> {
    const payload = r.body === undefined ? undefined : Buffer.from(JSON.stringify(r.body));
    const headers: Record<string, string> = { accept: 'application/json', ...r.headers };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    return new Promise<RawResponse>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const req = this.mod.request(r.url, { method: r.method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) =>
          finish(() => reject(unavailable(r.errorContext, `response error: ${e.message}`, res.statusCode))),
        );
        res.on('end', () =>
          finish(() => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            if (text.length > 0) {
              try {
                body = JSON.parse(text);
              } catch {
                body = undefined;
              }
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
          }),
        );
      });
      const timer = setTimeout(() => {
        finish(() => reject(unavailable(r.errorContext, `no answer within ${r.timeoutMs} ms`)));
        req.destroy();
      }, r.timeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => {
        finish(() => {
          const err = unavailable(r.errorContext, describeSocketError(e));
          if (req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) {
            (err as unknown as { retryable: boolean }).retryable = true;
          }
          reject(err);
        });
      });
      req.end(payload);
    });
  }
}

function describeSocketError(e: NodeJS.ErrnoException): string {
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'ECONNRESET') return 'connection reset';
  if (e.code === 'ENOTFOUND') return 'host not found';
  return e.code ? `${e.code} ${e.message}` : e.message;
}

/** 2xx with a JSON envelope → the envelope; anything else → BackendError. */
export function expectEnvelope(ctx: ErrorContext, res: RawResponse): Record<string, unknown> {
  if (res.status < 200 || res.status >= 300) throw errorFromResponse(ctx, res.status, res.body);
  if (res.body === null || typeof res.body !== 'object' || Array.isArray(res.body)) {
    throw unavailable(ctx, `answer is not a JSON envelope (${res.text.slice(0, 80)})`, res.status);
  }
  return res.body as Record<string, unknown>;
}
