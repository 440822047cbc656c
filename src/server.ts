/**
 * HTTP + WebSocket wiring: Apollo (HTTP POST/GET /graphql), graphql-ws on the same path,
 * GraphiQL for browsers, /healthz, /readyz, /metrics. node:http directly: measurably cheaper
 * than express here. Every GraphQL request runs in an observability scope (metrics, one log
 * line, backend calls counted); close() drains gracefully.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { Kind, parse, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { bearerKey, type Authenticator } from './auth/authenticator';
import { ConnectionPrincipals } from './auth/connection-principals';
import type { Principal } from './auth/principal';
import type { SecurityConfig } from './config';
import { graphiqlPage } from './graphiql';
import { limitRules, MAX_NESTING, nestingTooDeep, validateWithLimits } from './graphql/limits';
import { startWsServer } from './graphql/ws-server';
import { compiledGateway } from './graphql/executor';
import { createContext, type GatewayServices, type GraphQLContext } from './graphql/context';
import { formatError } from './graphql/errors';
import { answerHead, DEFAULT_RESPONSE_CACHE, encodedBody, requestPartsOf, ResponseCache, type CachedAnswer } from './graphql/response-cache';
import { componentLogger } from './log';
import { HttpConnections } from './observability/http-connections';
import type { GatewayMetrics } from './observability/metrics';
import { operationObserverPlugin } from './observability/operation-outcome';
import type { Readiness } from './observability/readiness';
import { clientRequestId } from './observability/request-id';
import { RequestObservation, type RequestLog } from './observability/request-log';
import { runInScope } from './observability/scope';

const log = componentLogger('server');
const MAX_BODY_BYTES = 1_000_000;
const GRAPHQL_PATH = '/graphql';
/** Default time close() gives in-flight requests and subscriptions before cutting connections. */
export const DEFAULT_DRAIN_MS = 5000;
const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface ServerObservability {
  metrics: GatewayMetrics;
  /** Where the one-line-per-request log goes. */
  requestLog: RequestLog;
  readiness(): Promise<Readiness>;
}

/** Who may call, how often, and what query shapes are allowed. */
export interface ServerAccess {
  auth: Authenticator;
  limiter: { take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } };
  security: SecurityConfig;
  /** Headers GraphiQL starts with (demo mode: the local admin key, served on 127.0.0.1 only). */
  graphiqlHeaders?: Record<string, string>;
}

export interface HttpServerHandle {
  server: Server;
  port: number;
  url: string;
  /**
   * Stops accepting connections, completes every subscription (graphql-ws `complete`) and closes
   * WebSockets with 1001, lets in-flight requests finish, and cuts what remains after drainMs.
   */
  close(drainMs?: number): Promise<void>;
}

/** Backend failures of partial results travel beside the data, after Apollo's own errors. */
const partialErrorsPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single' || contextValue.partialErrors.length === 0) return;
        const extra = contextValue.partialErrors.map((e) => e.toJSON());
        const result = response.body.singleResult;
        result.errors = [...(result.errors ?? []), ...extra];
      },
    };
  },
};

/**
 * Subscriptions run over graphql-ws on this path, never over HTTP (Apollo would run the field as
 * a query, and its resolver only yields from an event stream). Refused before Apollo sees them:
 * graphql-js's SingleFieldSubscriptionsRule also throws, instead of reporting, on a bad
 * @include/@skip argument of a subscription's root field, which Apollo answers with a 500. Only
 * documents that mention "subscription" are parsed here.
 */
function subscriptionOverHttp(query: unknown): string | null {
  if (typeof query !== 'string' || !query.includes('subscription')) return null;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return null;
  }
  const declares = document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription');
  return declares ? `subscriptions run over graphql-ws (WebSocket) on ${GRAPHQL_PATH}, not over HTTP` : null;
}

/** A successful query that asked no backend and added no partial errors: its answer came from the live view. */
function isPureLiveViewRead(o: RequestObservation, ctx: GraphQLContext | undefined): boolean {
  return o.operationType === 'query' && o.outcome === 'success' && o.backendCalls === 0 && ctx !== undefined && ctx.partialErrors.length === 0;
}

interface RequestTarget {
  pathname: string;
  /** `?...` or "" */
  search: string;
}

/**
 * Path and query of an origin-form request target. Routing compares exact paths, so the WHATWG
 * URL parser (its normalisation, and its cost on every request) is not needed here.
 */
function splitTarget(target: string): RequestTarget {
  const q = target.indexOf('?');
  return q < 0 ? { pathname: target, search: '' } : { pathname: target.slice(0, q), search: target.slice(q) };
}

function wantsFresh(req: IncomingMessage): boolean {
  const cc = req.headers['cache-control'];
  return cc !== undefined && /\bno-(cache|store)\b/i.test(cc);
}

/** A key's requests share one bucket; unauthenticated ones share their address's. */
function rateLimitKey(req: IncomingMessage, principal: Principal | null): string {
  return principal ? `key:${principal.id}` : `addr:${req.socket.remoteAddress ?? '?'}`;
}

function requestIdOf(req: IncomingMessage): string {
  return clientRequestId(req) ?? randomUUID();
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorBody(message: string, code: string, extra: Record<string, unknown> = {}): unknown {
  return { errors: [{ message, extensions: { code, ...extra } }] };
}

/**
 * Reads the body up to the limit and calls back once: with the text, or with null past the limit
 * (after draining a little more, so the client sees the 413) or when the client went away
 * mid-body. A callback rather than a promise: a cached answer is then written in the tick its
 * body arrived, with no promise for the async-context hooks to track.
 */
function readBody(req: IncomingMessage, then: (text: string | null) => void, failed: (err: Error) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const once =
    <A>(fn: (a: A) => void) =>
    (a: A): void => {
      if (settled) return;
      settled = true;
      fn(a);
    };
  const settle = once(then);
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES * 16) {
      req.off('data', onData);
      req.destroy();
      settle(null);
      return;
    }
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  };
  req.on('data', onData);
  req.once('end', () => settle(size > MAX_BODY_BYTES ? null : chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
  req.once('error', once(failed));
  req.once('close', () => settle(null));
}

export async function startHttpServer(
  schema: GraphQLSchema,
  services: GatewayServices,
  opts: { port: number; host: string; responseCache?: { maxEntries: number; maxBytes: number } },
  obs: ServerObservability,
  access: ServerAccess,
): Promise<HttpServerHandle> {
  const { metrics, requestLog } = obs;
  const { auth, limiter, security } = access;
  const queryLimits = { maxDepth: security.maxDepth, maxAliases: security.maxAliases, maxCost: security.maxCost, introspection: security.introspection };
  const apollo = new ApolloServer<GraphQLContext>({
    gateway: compiledGateway(schema),
    introspection: security.introspection,
    validationRules: limitRules(queryLimits),
    includeStacktraceInErrorResponses: false,
    formatError: (formatted: GraphQLFormattedError, error: unknown) => formatError(formatted, error),
    // Cache-control hints are unused here, and the plugin wraps every field resolver: off.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), partialErrorsPlugin, operationObserverPlugin<GraphQLContext>()],
  });
  await apollo.start();
  // The registry is fixed at start-up.
  const backendNames = services.registry.all().map((b) => b.name);
  const readCache = new ResponseCache({
    live: services.events.live,
    backends: () => backendNames,
    schema,
    maxEntries: opts.responseCache?.maxEntries ?? DEFAULT_RESPONSE_CACHE.maxEntries,
    maxBytes: opts.responseCache?.maxBytes ?? DEFAULT_RESPONSE_CACHE.maxBytes,
  });

  const principals = new ConnectionPrincipals(auth);

  /** An answer from the response cache, observed like an executed one (metrics, log line). */
  function sendCached(req: IncomingMessage, res: ServerResponse, hit: CachedAnswer, observation: RequestObservation): void {
    observation.operationName = hit.operationName;
    observation.operationType = 'query';
    observation.outcome = 'success';
    observation.cache = 'hit';
    metrics.responseCache.hit += 1;
    const sent = encodedBody(hit, req.headers['accept-encoding']);
    const head = answerHead(hit, sent);
    // Every header in one writeHead: set one by one, they were a tenth of a hit's cost.
    res.writeHead(hit.status, res.hasHeader('x-request-id') ? [...head] : [...head, 'x-request-id', observation.requestId]);
    res.end(sent.body);
  }

  /** 429 when the caller's bucket is empty; true when the request may go on. */
  function withinRateLimit(req: IncomingMessage, res: ServerResponse, principal: Principal | null): boolean {
    const allowed = limiter.take(rateLimitKey(req, principal));
    if (allowed.ok) return true;
    metrics.rateLimitRejections.inc();
    sendJson(res, 429, errorBody(`rate limit exceeded; retry after ${allowed.retryAfterSeconds} s`, 'RATE_LIMITED', { retryAfterSeconds: allowed.retryAfterSeconds }), {
      'retry-after': String(allowed.retryAfterSeconds),
    });
    return false;
  }

  /**
   * A cached read answered in the tick its body arrived: a body seen before (no JSON.parse), the
   * principal this connection presented a moment ago, a kept answer still current. Whatever it
   * cannot settle on the spot (a new connection or key, a body not seen, a miss) it leaves alone
   * and returns false; handleGraphQL then does everything, in the same order of checks.
   */
  function answeredFromCache(req: IncomingMessage, res: ServerResponse, text: string, observation: RequestObservation): boolean {
    if (!readCache.enabled || wantsFresh(req)) return false;
    const type = req.headers['content-type'];
    if (type === undefined || !type.includes('application/json')) return false;
    const presented = bearerKey(req.headers.authorization);
    if (!presented) return false;
    const principal = principals.reused(req.socket, presented);
    if (!principal) return false;
    const key = readCache.keyOfKnownBody(principal, text, req.headers.accept ?? '');
    const hit = key === undefined ? null : readCache.lookup(key);
    if (!hit) return false;
    // A refusal takes no token: the full path then asks again and answers the 429.
    if (!limiter.take(rateLimitKey(req, principal)).ok) return false;
    observation.principalId = principal.id;
    sendCached(req, res, hit, observation);
    return true;
  }

  /** `text`: the POST body as readBody gave it (undefined for other methods). */
  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: RequestTarget, requestId: string, observation: RequestObservation, text?: string | null): Promise<void> {
    const accept = req.headers.accept ?? '';
    // Browsers get GraphiQL (which itself reads ?query= to prefill the editor); clients get GraphQL.
    if (req.method === 'GET' && accept.includes('text/html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(graphiqlPage(access.graphiqlHeaders));
      return;
    }
    let body: unknown;
    if (req.method === 'POST') {
      if (text === null || text === undefined) {
        return sendJson(res, 413, errorBody(`request body over ${MAX_BODY_BYTES} bytes`, 'BAD_REQUEST'), { connection: 'close' });
      }
      const type = req.headers['content-type'] ?? '';
      if (type.includes('application/json')) {
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          return sendJson(res, 400, errorBody('request body is not valid JSON', 'BAD_REQUEST'));
        }
      } else {
        body = text;
      }
    }
    const presented = bearerKey(req.headers.authorization);
    if (presented === null) return sendJson(res, 401, errorBody('Authorization must be "Bearer <key>"', 'UNAUTHENTICATED'), { 'www-authenticate': 'Bearer' });
    const principal = presented === undefined ? null : (principals.reused(req.socket, presented) ?? (await principals.authenticate(req.socket, presented)));
    if (presented !== undefined && !principal) {
      return sendJson(res, 401, errorBody('the API key is unknown, revoked or expired', 'UNAUTHENTICATED'), { 'www-authenticate': 'Bearer' });
    }
    observation.principalId = principal?.id ?? null;
    if (!withinRateLimit(req, res, principal)) return;
    const parts = req.method === 'POST' && principal ? requestPartsOf(body) : null;
    // The body text is remembered only when it was JSON (a form or text body never takes the shortcut).
    const cacheKey = parts ? readCache.keyOf(principal!, parts, req.headers.accept ?? '', req.headers['content-type']?.includes('application/json') ? (text as string) : undefined) : null;
    if (cacheKey) {
      // Cache-Control: no-cache asks for an executed answer (which may then be kept for others).
      const hit = wantsFresh(req) ? null : readCache.lookup(cacheKey);
      if (hit) return sendCached(req, res, hit, observation);
      observation.cache = 'miss';
      metrics.responseCache.miss += 1;
    }
    const query = req.method === 'POST' ? (body && typeof body === 'object' ? (body as { query?: unknown }).query : undefined) : new URLSearchParams(url.search).get('query');
    if (nestingTooDeep(query)) return sendJson(res, 400, errorBody(`the document is nested more than ${MAX_NESTING} levels deep`, 'QUERY_TOO_COMPLEX'));
    const overHttp = subscriptionOverHttp(query);
    if (overHttp) return sendJson(res, 400, errorBody(overHttp, 'BAD_REQUEST'));
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    // Taken before execution: it also pins the live view maps the execution will read.
    const before = cacheKey ? readCache.version() : null;
    let contextValue: GraphQLContext | undefined;
    // Backend requests made while executing are counted for this request and this gateway.
    const response = await runInScope({ gateway: metrics, request: observation }, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: async () => (contextValue = createContext(services, requestId, principal)),
      }),
    );
    for (const [k, v] of response.headers) res.setHeader(k, v);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      const answer = Buffer.from(response.body.string, 'utf8');
      if (cacheKey && before && parts && isPureLiveViewRead(observation, contextValue)) {
        const kept = readCache.store(cacheKey, parts.query, before, {
          status: res.statusCode,
          headers: Object.fromEntries(response.headers),
          body: answer,
          operationName: observation.operationName,
        });
        if (kept) {
          observation.cache = 'stored';
          metrics.responseCache.stored += 1;
        }
      }
      res.end(answer);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  async function handleOps(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method !== 'GET') return sendJson(res, 405, errorBody(`${path} takes GET`, 'BAD_REQUEST'), { allow: 'GET' });
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const r = await obs.readiness();
      return sendJson(res, r.status === 'ready' ? 200 : 503, r);
    }
    const { contentType, body } = await metrics.exposition();
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  const server = createServer((req, res) => {
    const requestId = requestIdOf(req);
    connections.admit(res);
    const url = splitTarget(req.url ?? '/');
    const done = (err: Error): void => {
      log.error({ err: err.message, requestId }, 'request failed');
      if (!res.headersSent) {
        if (!res.hasHeader('x-request-id')) res.setHeader('x-request-id', requestId);
        sendJson(res, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
      } else res.end();
    };
    if (url.pathname === GRAPHQL_PATH) {
      const observation = new RequestObservation(requestId, 'http');
      res.once('close', () => finishHttp(observation, req, res, url.pathname));
      if (req.method !== 'POST') {
        res.setHeader('x-request-id', requestId);
        handleGraphQL(req, res, url, requestId, observation).catch(done);
        return;
      }
      // A cached answer carries x-request-id in its one writeHead; every other answer sets it first.
      readBody(
        req,
        (text) => {
          if (text !== null && answeredFromCache(req, res, text, observation)) return;
          res.setHeader('x-request-id', requestId);
          handleGraphQL(req, res, url, requestId, observation, text).catch(done);
        },
        done,
      );
      return;
    }
    res.setHeader('x-request-id', requestId);
    if (OPS_PATHS.has(url.pathname)) {
      handleOps(req, res, url.pathname).catch(done);
      return;
    }
    if (url.pathname === '/' && req.method === 'GET') {
      res.writeHead(302, { location: GRAPHQL_PATH });
      res.end();
      return;
    }
    sendJson(res, 404, errorBody(`no route ${req.method} ${url.pathname}; GraphQL is at ${GRAPHQL_PATH}`, 'NOT_FOUND'));
  });
  const connections = new HttpConnections(server, metrics);

  /** One log line per GraphQL HTTP request, and its operation metrics (when Apollo ran it). */
  function finishHttp(o: RequestObservation, req: IncomingMessage, res: ServerResponse, path: string): void {
    const seconds = o.elapsedMs() / 1000;
    if (o.outcome) {
      metrics.graphqlOperation({ name: o.operationName, type: o.operationType, transport: 'http', outcome: o.outcome, seconds: o.operationType === 'subscription' ? undefined : seconds });
    }
    requestLog.info(o, { method: req.method, path, status: res.statusCode, completed: res.writableFinished }, 'graphql request');
  }

  server.keepAliveTimeout = 65_000;

  const ws = startWsServer(server, {
    path: GRAPHQL_PATH,
    maxPayload: MAX_BODY_BYTES,
    schema,
    services,
    metrics,
    requestLog,
    auth,
    limiter,
    security,
    validate: validateWithLimits(queryLimits),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;

  return {
    server,
    port,
    url: `http://${shownHost}:${port}${GRAPHQL_PATH}`,
    async close(drainMs = DEFAULT_DRAIN_MS) {
      const started = Date.now();
      principals.close();
      const left = (): number => Math.max(0, drainMs - (Date.now() - started));
      const closed = connections.stopAccepting();
      // Subscribers get `complete` (not an error) and queries/mutations over WebSocket finish...
      await ws.drain(left());
      // ...then sockets close with 1001 Going away; a peer that never answers the close handshake is cut.
      await ws.close(Math.min(1000, left()));
      // In-flight HTTP requests finish; keep-alive connections close after their response.
      await connections.drain(closed, left());
      await apollo.stop();
      log.info({ ms: Date.now() - started }, 'http server closed');
    },
  };
}
