/**
 * HTTP routes: each looks at a request and either answers it (true) or leaves it to the next
 * (false). The server asks GraphQL first, then the ops paths, then routes the caller adds.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayMetrics } from '../observability/metrics';
import type { Readiness } from '../observability/readiness';
import { refuse } from '../api/refusal';
import { sendJson, sendRefusal } from './send';

export interface RouteContext {
  pathname: string;
  /** `?...` or "" */
  search: string;
  requestId: string;
  /** Answers 500 (or ends the response) for an error an async handler did not handle. */
  fail(err: Error): void;
}

export type HttpRoute = (req: IncomingMessage, res: ServerResponse, ctx: RouteContext) => boolean;

const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** /healthz (the process is alive), /readyz (it can serve), /metrics (Prometheus text). */
export function opsRoute(obs: { metrics: GatewayMetrics; readiness(): Promise<Readiness> }): HttpRoute {
  async function answer(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method !== 'GET') return sendRefusal(res, refuse.badRequest(`${path} takes GET`, 405, { allow: 'GET' }));
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const r = await obs.readiness();
      return sendJson(res, r.status === 'ready' ? 200 : 503, r);
    }
    const { contentType, body } = await obs.metrics.exposition();
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }
  return (req, res, ctx) => {
    if (!OPS_PATHS.has(ctx.pathname)) return false;
    answer(req, res, ctx.pathname).catch(ctx.fail);
    return true;
  };
}
