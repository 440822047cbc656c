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
import { execute, GraphQLError, Kind, parse, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerKey, type Authenticator } from './auth/authenticator';
import type { Principal } from './auth/principal';
import { KeySockets } from './auth/socket-registry';
import type { SecurityConfig } from './config';
import { graphiqlPage } from './graphiql';
import { limitRules, MAX_NESTING, nestingTooDeep, validateWithLimits } from './graphql/limits';
import { createSharedSubscribe } from './graphql/shared-subscriptions';
import { createContext, type GatewayServices, type GraphQLContext } from './graphql/context';
import { formatError } from './graphql/errors';
import { componentLogger, type Logger } from './log';
import { HttpConnections } from './observability/http-connections';
import type { GatewayMetrics } from './observability/metrics';
import { operationObserverPlugin } from './observability/operation-outcome';
import type { Readiness } from './observability/readiness';
import { RequestObservation } from './observability/request-log';
import { runInScope } from './observability/scope';
import { WsOperations } from './observability/ws-operations';

const log = componentLogger('server');
const MAX_BODY_BYTES = 1_000_000;
const GRAPHQL_PATH = '/graphql';
/** Default time close() gives in-flight requests and subscriptions before cutting connections. */
export const DEFAULT_DRAIN_MS = 5000;
const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
/** How often open sockets' keys are checked again (revoked by another process, or expired). */
const KEY_SWEEP_MS = 15_000;

export interface ServerObservability {
  metrics: GatewayMetrics;
  /** Where the one-line-per-request log goes. */
  requestLog: Logger;
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

/**
 * graphql-ws parses a subscribe message's document outside its error handling: a syntax error
 * there closes the socket with 4500 and ends every other operation on it. Parsed first here, it
 * is answered with an `error` message for that operation alone.
 */
function syntaxErrorOf(query: string): GraphQLError | null {
  try {
    parse(query);
    return null;
  } catch (e) {
    const message = e instanceof GraphQLError ? e.message : 'the document could not be parsed (nested too deeply?)';
    return new GraphQLError(message, { source: (e as GraphQLError).source, positions: (e as GraphQLError).positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  }
}

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorBody(message: string, code: string, extra: Record<string, unknown> = {}): unknown {
  return { errors: [{ message, extensions: { code, ...extra } }] };
}

/** Reads the body up to the limit; past it, drains a little more (so the client sees the 413) and gives null. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES * 16) {
      req.destroy();
      return null;
    }
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8');
}

export async function startHttpServer(
  schema: GraphQLSchema,
  services: GatewayServices,
  opts: { port: number; host: string },
  obs: ServerObservability,
  access: ServerAccess,
): Promise<HttpServerHandle> {
  const { metrics, requestLog } = obs;
  const { auth, limiter, security } = access;
  const queryLimits = { maxDepth: security.maxDepth, maxAliases: security.maxAliases, maxCost: security.maxCost, introspection: security.introspection };
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: security.introspection,
    validationRules: limitRules(queryLimits),
    includeStacktraceInErrorResponses: false,
    formatError: (formatted: GraphQLFormattedError, error: unknown) => formatError(formatted, error),
    // Cache-control hints are unused here, and the plugin wraps every field resolver: off.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), partialErrorsPlugin, operationObserverPlugin<GraphQLContext>()],
  });
  await apollo.start();

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, observation: RequestObservation): Promise<void> {
    const accept = req.headers.accept ?? '';
    // Browsers get GraphiQL (which itself reads ?query= to prefill the editor); clients get GraphQL.
    if (req.method === 'GET' && accept.includes('text/html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(graphiqlPage(access.graphiqlHeaders));
      return;
    }
    let body: unknown;
    if (req.method === 'POST') {
      const text = await readBody(req);
      if (text === null) {
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
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    const presented = bearerKey(req.headers.authorization);
    if (presented === null) return sendJson(res, 401, errorBody('Authorization must be "Bearer <key>"', 'UNAUTHENTICATED'), { 'www-authenticate': 'Bearer' });
    const principal = presented === undefined ? null : await auth.authenticate(presented);
    if (presented !== undefined && !principal) {
      return sendJson(res, 401, errorBody('the API key is unknown, revoked or expired', 'UNAUTHENTICATED'), { 'www-authenticate': 'Bearer' });
    }
    observation.principalId = principal?.id ?? null;
    const allowed = limiter.take(principal ? `key:${principal.id}` : `addr:${req.socket.remoteAddress ?? '?'}`);
    if (!allowed.ok) {
      metrics.rateLimitRejections.inc();
      return sendJson(res, 429, errorBody(`rate limit exceeded; retry after ${allowed.retryAfterSeconds} s`, 'RATE_LIMITED', { retryAfterSeconds: allowed.retryAfterSeconds }), {
        'retry-after': String(allowed.retryAfterSeconds),
      });
    }
    const query = req.method === 'POST' ? (body && typeof body === 'object' ? (body as { query?: unknown }).query : undefined) : url.searchParams.get('query');
    if (nestingTooDeep(query)) return sendJson(res, 400, errorBody(`the document is nested more than ${MAX_NESTING} levels deep`, 'QUERY_TOO_COMPLEX'));
    const overHttp = subscriptionOverHttp(query);
    if (overHttp) return sendJson(res, 400, errorBody(overHttp, 'BAD_REQUEST'));
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => createContext(services, requestId, principal),
    });
    for (const [k, v] of response.headers) res.setHeader(k, v);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
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
    res.setHeader('x-request-id', requestId);
    connections.admit(res);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const done = (err: Error): void => {
      log.error({ err: err.message, requestId }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
      else res.end();
    };
    if (url.pathname === GRAPHQL_PATH) {
      const observation = new RequestObservation(requestId, 'http');
      res.once('close', () => finishHttp(observation, req, res, url.pathname));
      runInScope({ gateway: metrics, request: observation }, () => handleGraphQL(req, res, url, requestId, observation)).catch(done);
      return;
    }
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
    requestLog.info(o.fields({ method: req.method, path, status: res.statusCode, completed: res.writableFinished }), 'graphql request');
  }

  server.keepAliveTimeout = 65_000;

  const wss = new WebSocketServer({ server, path: GRAPHQL_PATH, maxPayload: MAX_BODY_BYTES });
  const sessions = services.sessions;
  const wsOps = new WsOperations(metrics, requestLog);
  type Extra = { socket: WebSocket; request: IncomingMessage; requestId?: string; principal?: Principal };
  const keySockets = new KeySockets();
  const offRevoked = auth.onRevoked((keyId) => keySockets.closeAll(keyId, 'API key revoked'));
  // Keys revoked elsewhere (another instance, the CLI) or expired: checked again now and then.
  const sweep = setInterval(() => {
    for (const keyId of keySockets.keyIds()) {
      void auth.isActive(keyId).then((active) => active || keySockets.closeAll(keyId, 'API key revoked or expired'), () => undefined);
    }
  }, KEY_SWEEP_MS);
  sweep.unref();
  const validateLimited = validateWithLimits(queryLimits);
  /**
   * graphql-ws lets a throwing validation rule close the socket with 4500, ending every other
   * operation on it (SingleFieldSubscriptionsRule throws on a bad @include/@skip argument):
   * a GraphQLError thrown by a rule is reported like any validation error instead.
   */
  const validateOrReport = (s: GraphQLSchema, document: DocumentNode): ReadonlyArray<GraphQLError> => {
    try {
      return validateLimited(s, document);
    } catch (e) {
      if (!(e instanceof GraphQLError)) throw e;
      return [new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })];
    }
  };
  const shared = createSharedSubscribe((contextValue) => (contextValue as GraphQLContext).principal?.id ?? '');
  const wsServer = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      context: (ctx, id, _payload, args) => {
        const context = createContext(services, (ctx.extra.requestId ??= requestIdOf(ctx.extra.request)), ctx.extra.principal ?? null);
        wsOps.bindContext(ctx, id, context, args);
        return context;
      },
      execute: (args) => wsOps.execute(args, execute),
      subscribe: (args) => wsOps.subscribe(args, shared.subscribe) as never,
      validate: validateOrReport,
      onConnect: async (ctx) => {
        const req = ctx.extra.request;
        const params = ctx.connectionParams ?? {};
        const presented = bearerKey(params.authorization ?? params.Authorization ?? req.headers.authorization);
        const principal = presented ? await auth.authenticate(presented) : null;
        if (!principal) return false;
        if (keySockets.count(principal.id) >= security.maxConnectionsPerKey) {
          metrics.rateLimitRejections.inc();
          return false;
        }
        ctx.extra.principal = principal;
        keySockets.add(principal.id, ctx.extra.socket);
        const ua = req.headers['user-agent'];
        sessions.open(ctx.extra.socket, req.socket.remoteAddress ?? null, typeof ua === 'string' ? ua : null);
        wsOps.opened(ctx);
        return true;
      },
      onSubscribe: (ctx, id, payload) => {
        if (wsOps.isDraining) return [new GraphQLError('the gateway is shutting down; reconnect to another instance', { extensions: { code: 'SHUTTING_DOWN' } })];
        if (nestingTooDeep(payload.query)) {
          return [new GraphQLError(`the document is nested more than ${MAX_NESTING} levels deep`, { extensions: { code: 'QUERY_TOO_COMPLEX' } })];
        }
        const syntax = syntaxErrorOf(payload.query);
        if (syntax) return [syntax];
        // graphql-ws has already registered this operation (as null) in ctx.subscriptions: count the others.
        const refused = refuseOperation(ctx.extra.principal!, Object.keys(ctx.subscriptions).length - 1);
        if (refused) return [refused];
        sessions.subscribe(ctx.extra.socket, id, payload.operationName, payload.query);
        wsOps.started(ctx, id, (ctx.extra.requestId ??= requestIdOf(ctx.extra.request)), payload.operationName);
      },
      onComplete: (ctx, id) => {
        sessions.complete(ctx.extra.socket, id);
        wsOps.finished(ctx, id);
      },
      onClose: (ctx) => {
        if (ctx.extra.principal) keySockets.remove(ctx.extra.principal.id, ctx.extra.socket);
        sessions.close(ctx.extra.socket);
        wsOps.closed(ctx);
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        const ctx = args.contextValue as GraphQLContext;
        const errors = [
          ...(result.errors ?? []).map((e) => formatError(e.toJSON(), e)),
          ...ctx.partialErrors.splice(0).map((e) => e.toJSON()),
        ];
        wsOps.result(_ctx, _id, { ...result, errors: errors.length ? (errors as never) : undefined });
        return errors.length ? { ...result, errors } : (result as never);
      },
      onError: (ctx, id, _payload, errors) => {
        // Validation errors end the operation without onComplete.
        sessions.complete(ctx.extra.socket, id);
        wsOps.failed(ctx, id);
        return errors.map((e) => formatError(e.toJSON(), e));
      },
    },
    wss,
  );
  /** Per-operation limits on a socket: the key's rate and the subscriptions a connection may hold. */
  function refuseOperation(principal: Principal, open: number): GraphQLError | null {
    const allowed = limiter.take(`key:${principal.id}`);
    if (!allowed.ok) {
      metrics.rateLimitRejections.inc();
      return new GraphQLError(`rate limit exceeded; retry after ${allowed.retryAfterSeconds} s`, { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: allowed.retryAfterSeconds } });
    }
    if (open >= security.maxSubscriptionsPerConnection) {
      metrics.rateLimitRejections.inc();
      return new GraphQLError(`at most ${security.maxSubscriptionsPerConnection} operations per connection`, { extensions: { code: 'RATE_LIMITED' } });
    }
    return null;
  }

  wss.on('connection', (socket) => {
    socket.on('error', (err) => log.warn({ err: err.message }, 'websocket error'));
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
      clearInterval(sweep);
      offRevoked();
      const left = (): number => Math.max(0, drainMs - (Date.now() - started));
      const closed = connections.stopAccepting();
      // Subscribers get `complete` (not an error) and queries/mutations over WebSocket finish...
      await wsOps.drain(left());
      // ...then sockets close with 1001 Going away; a peer that never answers the close handshake is cut.
      const disposed = Promise.resolve(wsServer.dispose()).catch((e: Error) => log.warn({ err: e.message }, 'websocket server close failed'));
      const cut = setTimeout(() => {
        for (const c of wss.clients) c.terminate();
      }, Math.min(1000, left()));
      await disposed;
      clearTimeout(cut);
      // In-flight HTTP requests finish; keep-alive connections close after their response.
      await connections.drain(closed, left());
      await apollo.stop();
      log.info({ ms: Date.now() - started }, 'http server closed');
    },
  };
}
