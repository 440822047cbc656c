/**
 * HTTP + WebSocket wiring: Apollo (HTTP POST/GET /graphql), graphql-ws on the same path,
 * GraphiQL for browsers, /healthz. node:http directly: measurably cheaper than express here.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { graphiqlPage } from './graphiql';
import { createContext, type GatewayServices, type GraphQLContext } from './graphql/context';
import { formatError } from './graphql/errors';
import { componentLogger } from './log';

const log = componentLogger('server');
const MAX_BODY_BYTES = 1_000_000;
const GRAPHQL_PATH = '/graphql';
const CLOSE_GRACE_MS = 3000;

export interface HttpServerHandle {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
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

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorBody(message: string, code: string): unknown {
  return { errors: [{ message, extensions: { code } }] };
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
): Promise<HttpServerHandle> {
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted: GraphQLFormattedError, error: unknown) => formatError(formatted, error),
    plugins: [ApolloServerPluginLandingPageDisabled(), partialErrorsPlugin],
  });
  await apollo.start();

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> {
    const accept = req.headers.accept ?? '';
    // Browsers get GraphiQL (which itself reads ?query= to prefill the editor); clients get GraphQL.
    if (req.method === 'GET' && accept.includes('text/html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(graphiqlPage());
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
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => createContext(services, requestId),
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

  const server = createServer((req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const done = (): void => {
      if (!res.headersSent) sendJson(res, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
      else res.end();
    };
    if (url.pathname === GRAPHQL_PATH) {
      handleGraphQL(req, res, url, requestId).catch((err: Error) => {
        log.error({ err: err.message, requestId }, 'request failed');
        done();
      });
      return;
    }
    if (url.pathname === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/' && req.method === 'GET') {
      res.writeHead(302, { location: GRAPHQL_PATH });
      res.end();
      return;
    }
    sendJson(res, 404, errorBody(`no route ${req.method} ${url.pathname}; GraphQL is at ${GRAPHQL_PATH}`, 'NOT_FOUND'));
  });
  server.keepAliveTimeout = 65_000;

  const wss = new WebSocketServer({ server, path: GRAPHQL_PATH, maxPayload: MAX_BODY_BYTES });
  const sessions = services.sessions;
  const wsServer = useServer<Record<string, unknown>, { socket: WebSocket; request: IncomingMessage; requestId?: string }>(
    {
      schema,
      context: (ctx) => createContext(services, (ctx.extra.requestId ??= requestIdOf(ctx.extra.request))),
      onConnect: (ctx) => {
        const req = ctx.extra.request;
        const ua = req.headers['user-agent'];
        sessions.open(ctx.extra.socket, req.socket.remoteAddress ?? null, typeof ua === 'string' ? ua : null);
        return true;
      },
      onSubscribe: (ctx, id, payload) => {
        sessions.subscribe(ctx.extra.socket, id, payload.operationName, payload.query);
      },
      onComplete: (ctx, id) => sessions.complete(ctx.extra.socket, id),
      onClose: (ctx) => sessions.close(ctx.extra.socket),
      onNext: (_ctx, _id, _payload, args, result) => {
        const ctx = args.contextValue as GraphQLContext;
        const errors = [
          ...(result.errors ?? []).map((e) => formatError(e.toJSON(), e)),
          ...ctx.partialErrors.splice(0).map((e) => e.toJSON()),
        ];
        return errors.length ? { ...result, errors } : (result as never);
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
    },
    wss,
  );
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
    async close() {
      await wsServer.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      // In-flight requests get a moment to finish; then remaining sockets are cut.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}
