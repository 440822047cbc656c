/**
 * HTTP + WebSocket wiring: GraphQL over HTTP (src/http/graphql-route.ts), graphql-ws on the same
 * path (src/graphql/ws-server.ts), both over one access policy (src/api/policy.ts); CORS,
 * /healthz, /readyz, /metrics, and routes added by the caller. node:http directly: measurably
 * cheaper than express here. Every GraphQL request runs in an observability scope (metrics,
 * one log line, backend calls counted); close() drains gracefully.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { AccessPolicy } from './api/policy';
import type { RequestLimiter } from './auth/rate-limit';
import { refuse } from './api/refusal';
import type { Authenticator } from './auth/authenticator';
import type { CorsConfig, SecurityConfig } from './config';
import { startWsServer } from './graphql/ws-server';
import type { GatewayServices } from './graphql/context';
import { validateWithLimits } from './graphql/limits';
import { DEFAULT_RESPONSE_CACHE, ResponseCache } from './graphql/response-cache';
import { startApollo } from './http/apollo';
import { CorsPolicy } from './http/cors';
import { graphqlRoute, MAX_BODY_BYTES } from './http/graphql-route';
import { consoleRoute } from './http/console-route';
import { opsRoute, type HttpRoute, type RouteContext } from './http/routes';
import { sendRefusal } from './http/send';
import { componentLogger } from './log';
import { HttpConnections } from './observability/http-connections';
import type { GatewayMetrics } from './observability/metrics';
import type { Readiness } from './observability/readiness';
import { clientRequestId } from './observability/request-id';
import { RequestObservation, type RequestLog } from './observability/request-log';

export type { HttpRoute, RouteContext } from './http/routes';

const log = componentLogger('server');
const GRAPHQL_PATH = '/graphql';
const WORKER_HEADER = 'x-patchbay-worker';
/** Default time close() gives in-flight requests and subscriptions before cutting connections. */
export const DEFAULT_DRAIN_MS = 5000;

export interface ServerObservability {
  metrics: GatewayMetrics;
  /** Where the one-line-per-request log goes. */
  requestLog: RequestLog;
  readiness(): Promise<Readiness>;
}

/** Who may call, how often, and what query shapes are allowed. */
export interface ServerAccess {
  auth: Authenticator;
  limiter: RequestLimiter;
  security: SecurityConfig;
  /** Headers GraphiQL starts with (demo mode: the local admin key, served on 127.0.0.1 only). */
  graphiqlHeaders?: Record<string, string>;
}

export interface HttpServerOptions {
  port: number;
  host: string;
  responseCache?: { maxEntries: number; maxBytes: number };
  cors?: CorsConfig;
  /** Extra routes, asked in order after GraphQL and the ops paths (e.g. an operator console). */
  routes?: HttpRoute[];
  /** A cluster worker's label, sent as `x-patchbay-worker` on every response and WebSocket upgrade. */
  worker?: string;
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

/** Path and query of an origin-form request target (routing compares exact paths). */
function splitTarget(target: string): { pathname: string; search: string } {
  const q = target.indexOf('?');
  return q < 0 ? { pathname: target, search: '' } : { pathname: target.slice(0, q), search: target.slice(q) };
}

/** A GraphQL request, observed: one log line and its operation metrics when the response is done. */
function graphqlHttpRoute(serve: ReturnType<typeof graphqlRoute>, obs: ServerObservability): HttpRoute {
  return (req, res, ctx) => {
    if (ctx.pathname !== GRAPHQL_PATH) return false;
    const o = new RequestObservation(ctx.requestId, 'http');
    res.once('close', () => {
      if (o.outcome) {
        const seconds = o.operationType === 'subscription' ? undefined : o.elapsedMs() / 1000;
        obs.metrics.graphqlOperation({
          name: o.operationName,
          type: o.operationType,
          transport: 'http',
          outcome: o.outcome,
          seconds,
        });
      }
      obs.requestLog.info(
        o,
        { method: req.method, path: ctx.pathname, status: res.statusCode, completed: res.writableFinished },
        'graphql request',
      );
    });
    serve(req, res, ctx.search, o).catch(ctx.fail);
    return true;
  };
}

function notFound(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): boolean {
  if (ctx.pathname === '/' && req.method === 'GET') {
    res.writeHead(302, { location: GRAPHQL_PATH });
    res.end();
  } else sendRefusal(res, refuse.notFound(`no route ${req.method} ${ctx.pathname}; GraphQL is at ${GRAPHQL_PATH}`));
  return true;
}

export async function startHttpServer(
  schema: GraphQLSchema,
  services: GatewayServices,
  opts: HttpServerOptions,
  obs: ServerObservability,
  access: ServerAccess,
): Promise<HttpServerHandle> {
  const { metrics } = obs;
  const { security } = access;
  const apollo = await startApollo(schema, security);
  const policy = new AccessPolicy({ auth: access.auth, limiter: access.limiter, security, metrics });
  // The registry is fixed at start-up.
  const backendNames = services.registry.all().map((b) => b.name);
  const cacheSize = opts.responseCache ?? DEFAULT_RESPONSE_CACHE;
  const cache = new ResponseCache({ live: services.events.live, backends: () => backendNames, schema, ...cacheSize });
  const serve = graphqlRoute({ apollo, policy, cache, services, metrics, graphiqlHeaders: access.graphiqlHeaders });
  const cors = new CorsPolicy(opts.cors);
  const routes: HttpRoute[] = [
    graphqlHttpRoute(serve, obs),
    opsRoute(obs),
    consoleRoute(access.graphiqlHeaders),
    ...(opts.routes ?? []),
    notFound,
  ];

  const server = createServer((req, res) => {
    const requestId = clientRequestId(req) ?? randomUUID();
    connections.admit(res);
    res.setHeader('x-request-id', requestId);
    if (opts.worker !== undefined) res.setHeader(WORKER_HEADER, opts.worker);
    const fail = (err: Error): void => {
      log.error({ err: err.message, requestId }, 'request failed');
      if (!res.headersSent) sendRefusal(res, refuse.internal());
      else res.end();
    };
    if (cors.handle(req, res)) return;
    const ctx: RouteContext = { ...splitTarget(req.url ?? '/'), requestId, fail };
    for (const route of routes) if (route(req, res, ctx)) return;
  });
  const connections = new HttpConnections(server, metrics);
  server.keepAliveTimeout = 65_000;

  const ws = startWsServer(server, {
    path: GRAPHQL_PATH,
    maxPayload: MAX_BODY_BYTES,
    schema,
    services,
    metrics,
    requestLog: obs.requestLog,
    upgradeHeaders: opts.worker === undefined ? undefined : [`${WORKER_HEADER}: ${opts.worker}`],
    auth: access.auth,
    policy,
    validate: validateWithLimits({
      maxDepth: security.maxDepth,
      maxAliases: security.maxAliases,
      maxCost: security.maxCost,
      introspection: security.introspection,
    }),
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
      policy.close();
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
