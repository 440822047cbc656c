/**
 * Crossbar over node:http. The pipeline follows cowboy_rest as api_resource.erl drives it
 * (docs/wire/kazoo.md §1.4): allowed methods (405) → account check (404, before auth) → body
 * (400) → authentication (401) → unknown endpoint (404) → authorisation (403) → module.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { componentLogger } from '../../../log';
import { isAccountId, md5Hex, newId } from '../wire';
import type { Method, RequestCtx, Route, SimDeps } from './context';
import { CrossbarError, type EnvelopeCommon, corsHeaders, errorBody, errors, successBody } from './envelope';

const log = componentLogger('kazoo-sim.crossbar');
const MAX_BODY = 8_000_000;

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  requestId?: string;
}

interface Match {
  route: Route;
  params: Record<string, string>;
}

function matchRoute(routes: Route[], tokens: string[]): Match | undefined {
  for (const route of routes) {
    const pattern = route.path.split('/');
    if (pattern.length !== tokens.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = tokens[i];
      else ok = pattern[i] === tokens[i];
    }
    if (ok) return { route, params };
  }
  return undefined;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** api_util:get_auth_token/2: X-Auth-Token, then Bearer, then query/body `auth_token`. */
function findToken(
  req: IncomingMessage,
  query: URLSearchParams,
  envelope: Record<string, unknown>,
): string | undefined {
  const header = headerValue(req, 'x-auth-token');
  if (header) return header;
  const authz = headerValue(req, 'authorization');
  if (authz && /^bearer\s+/i.test(authz)) return authz.replace(/^bearer\s+/i, '').trim();
  const q = query.get('auth_token');
  if (q) return q;
  return typeof envelope.auth_token === 'string' ? envelope.auth_token : undefined;
}

export class CrossbarServer {
  private server?: Server;
  readonly requests: RequestRecord[] = [];

  constructor(
    private readonly routes: Route[],
    private readonly deps: SimDeps,
    private readonly node: string,
  ) {}

  async listen(port: number, host: string): Promise<number> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        log.error({ err }, 'crossbar handler crashed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const clientRequestId = headerValue(req, 'x-request-id');
    const requestId = clientRequestId ?? newId();
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      requestId: clientRequestId,
    });
    const common: EnvelopeCommon = { node: this.node, requestId };
    const segments = url.pathname.split('/').filter((s) => s !== '');
    let tokens: string[];
    try {
      tokens = segments.slice(1).map((s) => decodeURIComponent(s));
    } catch {
      tokens = segments.slice(1);
    }
    const match = segments[0] === 'v2' ? matchRoute(this.routes, tokens) : undefined;
    const allowed = match ? Object.keys(match.route.methods) : ['GET'];
    const cors = corsHeaders(allowed);

    const send = (status: number, body: Record<string, unknown> | undefined, extra: Record<string, string> = {}) => {
      const headers: Record<string, string> = { ...cors, 'x-request-id': requestId, ...extra };
      if (body === undefined) {
        res.writeHead(status, headers).end();
        return;
      }
      const json = JSON.stringify(body);
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(json));
      res.writeHead(status, headers).end(json);
    };
    const fail = (e: CrossbarError) => send(e.status, errorBody(common, e));

    if (req.method === 'OPTIONS') {
      req.resume();
      send(200, undefined, { 'content-length': '0' });
      return;
    }
    if (segments[0] === 'v1') return fail(errors.gone());

    const raw = await readBody(req);
    let envelope: Record<string, unknown> = {};
    let data: unknown = {};
    let method = (req.method ?? 'GET').toUpperCase() as Method;

    try {
      if (segments[0] !== 'v2') throw errors.notFound();
      if (raw === 'too_large') {
        throw errors.validation({
          file: { maxSize: { message: `File must be less than ${MAX_BODY} bytes`, target: MAX_BODY } },
        });
      }
      if (raw.length > 0 && method !== 'GET') {
        ({ envelope, data } = parseEnvelope(raw));
      }
      const tunnelled = url.searchParams.get('verb') ?? (typeof envelope.verb === 'string' ? envelope.verb : undefined);
      if (method === 'POST' && tunnelled) method = tunnelled.toUpperCase() as Method;

      if (match && !match.route.methods[method]) throw errors.invalidMethod();
      this.checkAccount(tokens);

      const authToken = findToken(req, url.searchParams, envelope);
      common.authToken = authToken;
      const ctx: RequestCtx = {
        method,
        params: match?.params ?? {},
        query: url.searchParams,
        headers: req.headers,
        requestId,
        authToken,
        data,
        envelope,
        deps: this.deps,
      };
      if (!match?.route.public) this.authenticate(ctx, req);
      if (!match) throw errors.notFound();
      this.authorize(ctx, match.route, tokens);

      const ok = await match.route.methods[method]!(ctx);
      const status = ok.status ?? (method === 'PUT' ? 201 : 200);
      const extra: Record<string, string> = {};
      let revision = ok.revision;
      if (method === 'GET') {
        revision = revision ?? md5Hex(JSON.stringify(ok.data));
        extra.etag = `"${revision}"`;
      }
      if (ok.authToken) extra['x-auth-token'] = ok.authToken;
      if ((method === 'PUT' || method === 'POST') && !headerValue(req, 'content-type')) {
        extra['x-rfc2616'] = "Section 14.17 (Try it, you'll like it)";
      }
      // Public modules never authenticate, so the envelope carries no token of the caller's.
      const envelopeCommon = match.route.public ? { ...common, authToken: undefined } : common;
      send(status, successBody(envelopeCommon, ok, revision), extra);
    } catch (err) {
      if (err instanceof CrossbarError) return fail(err);
      log.error({ err }, 'crossbar route failed');
      return fail(errors.server('unknown failure'));
    }
  }

  /** api_resource:malformed_request/3: the account in the path must exist, before any auth. */
  private checkAccount(tokens: string[]): void {
    if (tokens[0] !== 'accounts') return;
    const id = tokens[1];
    if (id === undefined || id === '')
      throw new CrossbarError(404, 'bad_identifier', { message: 'missing account_id' });
    if (!isAccountId(id)) throw new CrossbarError(404, 'bad_identifier', { message: `invalid account_id '${id}'` });
    if (!this.deps.store.accounts.has(id)) {
      throw new CrossbarError(404, 'bad_identifier', { cause: id, message: 'bad identifier' });
    }
  }

  private authenticate(ctx: RequestCtx, req: IncomingMessage): void {
    const claims = this.deps.tokens.verify(ctx.authToken);
    if (!claims) throw errors.invalidCredentials();
    const authAccount = headerValue(req, 'x-auth-account-id');
    if (authAccount && authAccount !== claims.account_id) throw errors.invalidCredentials();
    ctx.claims = claims;
  }

  /** cb_simple_authz: the path's account must be the token's account or one of its descendants. */
  private authorize(ctx: RequestCtx, route: Route, tokens: string[]): void {
    if (route.public) return;
    const claims = ctx.claims!;
    const caller = this.deps.store.accounts.get(claims.account_id);
    if (!caller) throw errors.forbidden();
    if (route.authorize) return route.authorize(ctx);
    if (tokens[0] === 'accounts') {
      if (caller.superduperAdmin) return;
      if (!this.deps.store.isInHierarchy(caller.id, tokens[1])) throw errors.forbidden();
      return;
    }
    // Non-account paths (user_auth, api_auth) authorise themselves.
  }
}

function parseEnvelope(raw: Buffer): { envelope: Record<string, unknown>; data: unknown } {
  let parsed: unknown;
  const text = raw.toString('utf8');
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : 'invalid json';
    throw new CrossbarError(400, 'validation error', {
      json: { invalid: { message: `${message} around ${text.length}`, target: 'body' } },
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CrossbarError(400, 'invalid request envelope', {
      envelope: { type: { message: 'Value did not match type(s): object', value: parsed } },
    });
  }
  const envelope: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    envelope[k.toLowerCase().replace(/-/g, '_')] = v;
  }
  const data = envelope.data === undefined ? {} : envelope.data;
  if (data === null || typeof data !== 'object') {
    throw new CrossbarError(400, 'invalid request envelope', {
      data: { type: { message: 'Value did not match type(s): object, array', value: data } },
    });
  }
  return { envelope, data };
}
