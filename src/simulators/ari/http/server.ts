/**
 * The request pipeline of `ast_ari_callback` / `ast_ari_invoke`: body → auth → read-only → trailing
 * slash → api-docs → route → OPTIONS → 405 → operation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AriEngine } from '../core/engine';
import { HANDLERS } from '../handlers';
import { HttpError } from '../handlers/common';
import { serveApiDoc } from './api-docs';
import { AUTH_REALM, authenticate, type AriUser } from './auth';
import { parseUrlEncoded, legacyDecode } from './decode';
import { buildParams, ParamError } from './params';
import { err, htmlError, reasonFor, type AriResult } from './respond';
import { allowHeader, matchRoute, type RouteNode } from './swagger-ops';
import { ASTERISK_VERSION } from '../handlers/system';

export const MAX_CONTENT_LENGTH = 40960;

export interface PipelineDeps {
  engine: AriEngine;
  routes: RouteNode;
  users: AriUser[];
  log: (entry: { method: string; path: string; query: string }) => void;
}

export function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/**
 * Asterisk keeps HTTP/1.1 sessions open (http.conf session_keep_alive, 15 s by default) and says
 * `Connection: close` only when it will close: the client asked to, or the request body could
 * not be read (main/http.c ast_http_send). Node adds its own `Connection: keep-alive` otherwise.
 */
function baseHeaders(res: ServerResponse, status: number): Record<string, string> {
  const headers: Record<string, string> = {
    Server: `Asterisk/${ASTERISK_VERSION}`,
    'Cache-Control': 'no-cache, no-store',
  };
  const asked = res.req?.headers.connection?.toLowerCase() === 'close';
  if (asked || status === 413) headers.Connection = 'close';
  return headers;
}

/** http.conf session_keep_alive default. */
export const SESSION_KEEP_ALIVE_MS = 15_000;

export function sendResult(res: ServerResponse, r: AriResult): void {
  const headers: Record<string, string> = { ...baseHeaders(res, r.status), ...(r.headers ?? {}) };
  let payload: Buffer | undefined;
  if (r.rawJson !== undefined) payload = Buffer.from(r.rawJson);
  else if (r.body !== undefined) payload = Buffer.from(JSON.stringify(r.body));
  if (payload) headers['Content-type'] = 'application/json';
  headers['Content-Length'] = String(payload?.length ?? 0);
  res.writeHead(r.status, r.reason ?? reasonFor(r.status), headers);
  res.end(payload);
}

export function sendHtml(res: ServerResponse, status: number, title: string, text: string): void {
  const page = htmlError(status, title, text);
  res.writeHead(status, title, {
    ...baseHeaders(res, status),
    'Content-type': 'text/html',
    'Content-Length': String(Buffer.byteLength(page.html)),
  });
  res.end(page.html);
}

export function unauthorized(): AriResult {
  return {
    status: 401,
    reason: 'Unauthorized',
    body: { message: 'Authentication required' },
    headers: { 'WWW-Authenticate': `Basic realm="${AUTH_REALM}"` },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_CONTENT_LENGTH) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

export async function handleRequest(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const { path, query } = splitUrl(req.url ?? '/');
  deps.log({ method, path, query });
  if (path !== '/ari' && !path.startsWith('/ari/')) {
    sendHtml(res, 404, 'Not Found', 'The requested URL was not found on this server.');
    return;
  }
  const body = await readBody(req);
  if (body === 'too-large') {
    sendResult(res, err(413, 'Request body too large'));
    return;
  }
  const type = mediaType(req);
  const form = type === 'application/x-www-form-urlencoded' ? parseUrlEncoded(body.toString('utf8')) : [];
  let json: unknown;
  if (type === 'application/json' && body.length > 0) {
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      sendResult(res, err(400, 'Error parsing request body'));
      return;
    }
  }
  const queryPairs = parseUrlEncoded(query);
  const user = authenticate(req.headers, [...form, ...queryPairs], deps.users);
  if (!user) {
    sendResult(res, unauthorized());
    return;
  }
  if (user.readOnly && method !== 'GET' && method !== 'OPTIONS') {
    sendResult(res, err(403, 'Write access denied'));
    return;
  }
  const url = path.slice('/ari/'.length);
  if (url.endsWith('/')) {
    sendResult(res, err(404, `ARI URLs do not end with a slash. Try /ari/${url.replace(/\/+$/, '')}`));
    return;
  }
  if (url.startsWith('api-docs/')) {
    sendResult(res, serveApiDoc(method, url.slice('api-docs/'.length), req.headers.host));
    return;
  }
  const match = url === '' ? undefined : matchRoute(deps.routes, url.split('/').map(legacyDecode));
  if (!match || match.node.ops.size === 0) {
    sendResult(res, err(404, 'Resource not found'));
    return;
  }
  const allow = allowHeader(match.node);
  if (method === 'OPTIONS') {
    sendResult(res, { status: 204, headers: { Allow: allow } });
    return;
  }
  const op = match.node.ops.get(method);
  if (!op) {
    sendResult(res, { ...err(405, 'Invalid method'), headers: { Allow: allow } });
    return;
  }
  if (op.upgrade === 'websocket') {
    // A plain GET on the events URI: the websocket handler insists on an upgrade.
    sendHtml(res, 426, 'Upgrade Required', 'Upgrade Required');
    return;
  }
  sendResult(
    res,
    invoke(
      deps,
      op.resource,
      op.nickname,
      () => buildParams(op, { query: queryPairs, form, json, pathParams: match.pathParams }),
      json,
      req.headers.host,
    ),
  );
}

function invoke(
  deps: PipelineDeps,
  resource: string,
  nickname: string,
  params: () => ReturnType<typeof buildParams>,
  json: unknown,
  host: string | undefined,
): AriResult {
  const handler = HANDLERS[`${resource}.${nickname}`];
  try {
    const p = params();
    if (!handler) return err(501, 'Method not implemented');
    return handler({ engine: deps.engine, params: p, body: json, host });
  } catch (e) {
    if (e instanceof ParamError) return err(400, e.message);
    if (e instanceof HttpError) return e.result;
    throw e;
  }
}
