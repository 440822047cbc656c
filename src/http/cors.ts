/**
 * CORS for browser apps on other origins (config `cors.origins`; demo mode: local origins).
 * An allowed Origin gets Access-Control-Allow-Origin (echoed) on every response, with
 * x-request-id, ETag and Retry-After exposed; a preflight is answered here (204) with the
 * methods and headers the API takes. A disallowed origin gets no CORS headers (the browser
 * then blocks the page from reading the answer) and its preflight a 403.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsConfig } from '../config';
import { refuse } from '../api/refusal';
import { appendVary, sendRefusal } from './send';

export const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** Request headers a page may send: the key, JSON bodies, its own request id, and cache validators. */
export const ALLOWED_HEADERS = 'authorization, content-type, x-request-id, cache-control, if-none-match';
const EXPOSED_HEADERS = 'x-request-id, etag, retry-after';
const PREFLIGHT_MAX_AGE_S = '600';

export class CorsPolicy {
  private readonly any: boolean;
  private readonly exact = new Set<string>();
  /** `scheme://host` of patterns with a `:*` port. */
  private readonly anyPort: string[] = [];

  constructor(config: CorsConfig | undefined) {
    this.any = config?.origins === '*';
    if (config && config.origins !== '*') {
      for (const o of config.origins) {
        if (o.endsWith(':*')) this.anyPort.push(o.slice(0, -2));
        else this.exact.add(o);
      }
    }
  }

  get enabled(): boolean {
    return this.any || this.exact.size > 0 || this.anyPort.length > 0;
  }

  allows(origin: string): boolean {
    if (this.any || this.exact.has(origin)) return true;
    return this.anyPort.some(
      (p) => origin === p || (origin.startsWith(`${p}:`) && /^\d{1,5}$/.test(origin.slice(p.length + 1))),
    );
  }

  /**
   * Sets the CORS headers of this request's response; answers OPTIONS itself. Returns true
   * when the request has been answered (a preflight, or OPTIONS without one).
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (this.enabled) appendVary(res, 'origin');
    const allowed = origin !== undefined && this.enabled && this.allows(origin);
    if (allowed) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    }
    if (req.method !== 'OPTIONS') return false;
    const preflight = origin !== undefined && req.headers['access-control-request-method'] !== undefined;
    if (preflight && !allowed) {
      sendRefusal(res, refuse.forbiddenOrigin(origin));
      return true;
    }
    if (preflight) {
      res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', PREFLIGHT_MAX_AGE_S);
    }
    res.writeHead(204, { allow: ALLOWED_METHODS });
    res.end();
    return true;
  }
}
