/**
 * graphql-ws (graphql-transport-ws) on the HTTP server's GraphQL path: graphql-ws's protocol
 * server (`makeServer`) over `ws`, with our own socket adapter in place of graphql-ws/use/ws so
 * that per-socket state stays small (no upgrade request kept, one keep-alive timer for all
 * sockets, listeners shared where they can be) and shared subscription events
 * reach every socket as one prepared frame (src/graphql/ws-next-frames.ts). Authentication,
 * limits and document checks come from the shared policy (src/api/policy.ts); revocation, the
 * sessions registry and operation observability are wired here. A socket without a valid key
 * (or one too many for its key) is closed with 4403 Forbidden, as is one whose key is revoked.
 */
import type { IncomingMessage, Server } from 'node:http';
import { execute, GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { AccessPolicy } from '../api/policy';
import { refuse, refusalError } from '../api/refusal';
import type { Authenticator } from '../auth/authenticator';
import type { Principal } from '../auth/principal';
import { KeySockets } from '../auth/socket-registry';
import { componentLogger } from '../log';
import type { GatewayMetrics } from '../observability/metrics';
import { outcomeOf } from '../observability/operation-outcome';
import type { RequestLog } from '../observability/request-log';
import { WsOperations, type WsOperation } from '../observability/ws-operations';
import { createContext, type GatewayServices, type GraphQLContext } from './context';
import { DocumentCache, type Validate } from './document-cache';
import { formatError } from './errors';
import { createSharedSubscribe, type SubscriberTransport } from './shared-subscriptions';
import { closeReason, Connection, INTERNAL_ERROR } from './ws-connection';
import { PreparedNext } from './ws-next-frames';

const log = componentLogger('server');
/** How often every socket is pinged; one that has not answered the previous ping by then is cut. */
const KEEP_ALIVE_MS = 12_000;
/** Sockets are pinged in slices spread over the interval, never 10,000 pings in one tick. */
const KEEP_ALIVE_SLICES = 48;
/**
 * graphql-ws's connection_init wait (its default), run here: graphql-ws's own timer would stay
 * referenced, with its closure, for the socket's lifetime; this one is dropped once answered.
 */
const CONNECTION_INIT_WAIT_MS = 3_000;
/** How often open sockets' keys are checked again (revoked by another process, or expired). */
const KEY_SWEEP_MS = 15_000;
/** The Connection of a ws socket, for listeners shared by all sockets (no closure per socket). */
const CONNECTION = Symbol('patchbay.connection');

export interface WsServerOptions {
  path: string;
  maxPayload: number;
  schema: GraphQLSchema;
  services: GatewayServices;
  metrics: GatewayMetrics;
  requestLog: RequestLog;
  /** Revocations and key re-checks of open sockets. */
  auth: Authenticator;
  /** Authentication, limits and document checks, shared with HTTP (src/api/policy.ts). */
  policy: AccessPolicy;
  /** The spec's validation rules plus the query limits. */
  validate: Validate;
  /** Extra header lines of the 101 response (a cluster worker's label). */
  upgradeHeaders?: string[];
}

export interface WsServerHandle {
  /**
   * Refuses new operations, ends every subscription (each gets `complete`) and waits up to
   * `timeoutMs` for them and for queries and mutations in flight.
   */
  drain(timeoutMs: number): Promise<void>;
  /** Closes every socket with 1001 Going away; those that never answer the close are cut after `cutMs`. */
  close(cutMs: number): Promise<void>;
}

/** A shared subscription's events for one operation on one socket. */
class NextTransport implements SubscriberTransport<PreparedNext> {
  constructor(
    private readonly conn: Connection,
    private readonly id: string,
    private readonly op: WsOperation | undefined,
  ) {}

  send(next: PreparedNext): number {
    if (next.outcome) this.op?.noteErrors(next.outcome);
    return this.conn.sendFrame(next.frame(this.id));
  }
}

/**
 * A result's errors as clients get them: graphql errors through formatError, then the
 * backends' partial errors the execution collected (taken, so each is reported once).
 */
function withClientErrors(result: ExecutionResult, ctx: GraphQLContext): ExecutionResult {
  const errors = [
    ...(result.errors ?? []).map((e) => formatError(e.toJSON(), e)),
    ...ctx.partialErrors.splice(0).map((e) => e.toJSON()),
  ];
  return errors.length ? { ...result, errors: errors as never } : result;
}

/** Once per shared event, for all its subscribers. */
function prepareNext(result: ExecutionResult, contextValue: unknown): PreparedNext {
  const payload = withClientErrors(result, contextValue as GraphQLContext);
  const outcome = outcomeOf(payload);
  return new PreparedNext(JSON.stringify(payload), outcome === 'success' ? null : outcome);
}

/**
 * graphql-js lets a validation rule throw (SingleFieldSubscriptionsRule does on a bad
 * @include/@skip argument): a GraphQLError thrown by a rule is reported like any validation
 * error, for that operation alone.
 */
function reportingThrows(validate: Validate): Validate {
  return (s, document) => {
    try {
      return validate(s, document);
    } catch (e) {
      if (!(e instanceof GraphQLError)) throw e;
      return [new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })];
    }
  };
}

/** Sockets of revoked keys are closed: at once when revoked here, within a sweep when revoked elsewhere or expired. */
function closeRevokedKeys(auth: Authenticator, keySockets: KeySockets): () => void {
  const offRevoked = auth.onRevoked((keyId) => keySockets.closeAll(keyId, 'API key revoked'));
  const sweep = setInterval(() => {
    for (const keyId of keySockets.keyIds()) {
      void auth.isActive(keyId).then(
        (active) => active || keySockets.closeAll(keyId, 'API key revoked or expired'),
        () => undefined,
      );
    }
  }, KEY_SWEEP_MS);
  sweep.unref();
  return () => {
    clearInterval(sweep);
    offRevoked();
  };
}

/** Pings every socket once per KEEP_ALIVE_MS, a slice at a time; one that missed the last pong is cut. */
function keepAlive(open: ReadonlyArray<Set<Connection>>): NodeJS.Timeout {
  let pingSlice = 0;
  const timer = setInterval(() => {
    for (const c of open[pingSlice]) {
      if (c.socket.readyState !== WebSocket.OPEN) continue;
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
    pingSlice = (pingSlice + 1) % KEEP_ALIVE_SLICES;
  }, KEEP_ALIVE_MS / KEEP_ALIVE_SLICES);
  timer.unref();
  return timer;
}

interface ProtocolDeps {
  o: WsServerOptions;
  wsOps: WsOperations;
  keySockets: KeySockets;
  documents: DocumentCache;
}

/**
 * graphql-ws's connection hooks over the shared policy: a socket without a valid key, or one
 * too many for its key, is refused (graphql-ws closes it with 4403 Forbidden).
 */
function connectionHooks({
  o,
  wsOps,
  keySockets,
}: ProtocolDeps): Pick<ServerOptions<Record<string, unknown>, Connection>, 'onConnect' | 'onClose'> {
  return {
    onConnect: async (ctx) => {
      const conn = ctx.extra;
      conn.stopInitWait();
      const params = ctx.connectionParams ?? {};
      const authorization = params.authorization ?? params.Authorization ?? conn.headerAuthorization;
      // Nothing reads them later: the key need not stay in memory for the socket's lifetime.
      conn.headerAuthorization = undefined;
      (ctx as { connectionParams?: unknown }).connectionParams = undefined;
      const auth = await o.policy.authenticate(authorization);
      if (!('principal' in auth)) return false;
      const { principal } = auth;
      if (o.policy.connectionLimit(keySockets.count(principal.id))) return false;
      conn.principal = principal;
      keySockets.add(principal.id, conn.socket);
      o.services.sessions.open(conn.socket, conn.remoteAddress, conn.userAgent);
      wsOps.opened(ctx);
      return true;
    },
    onClose: (ctx) => {
      if (ctx.extra.principal) keySockets.remove(ctx.extra.principal.id, ctx.extra.socket);
      o.services.sessions.close(ctx.extra.socket);
      wsOps.closed(ctx);
    },
  };
}

/** graphql-ws's operation hooks: the shared policy's document checks and limits, then bookkeeping. */
function operationHooks({
  o,
  wsOps,
  documents,
}: ProtocolDeps): Pick<
  ServerOptions<Record<string, unknown>, Connection>,
  'onSubscribe' | 'onComplete' | 'onNext' | 'onError'
> {
  const sessions = o.services.sessions;
  return {
    onSubscribe: async (ctx, id, payload) => {
      if (wsOps.isDraining) return [refusalError(refuse.shuttingDown())];
      const badDocument = o.policy.documentRefusal(payload.query, 'ws');
      if (badDocument) return [refusalError(badDocument)];
      // Parsed here, not by graphql-ws: its syntax errors would close the socket (4500) and end
      // every other operation on it; and identical documents share one parsed, validated AST.
      const parsed = documents.parse(payload.query);
      if (!('document' in parsed)) return [...parsed];
      // graphql-ws has already registered this operation (as null) in ctx.subscriptions: count the others.
      const refused = await o.policy.operationLimit(
        ctx.extra.principal as Principal,
        Object.keys(ctx.subscriptions).length - 1,
      );
      if (refused) return [refusalError(refused)];
      // The cached text: one copy for every subscriber of the same document.
      sessions.subscribe(ctx.extra.socket, id, payload.operationName, parsed.query);
      wsOps.started(ctx, id, ctx.extra.requestId, payload.operationName);
      const invalid = documents.validate(parsed);
      if (invalid.length > 0) return [...invalid];
      return {
        schema: o.schema,
        document: parsed.document,
        operationName: payload.operationName,
        variableValues: payload.variables,
      };
    },
    onComplete: (ctx, id) => {
      sessions.complete(ctx.extra.socket, id);
      wsOps.finished(ctx, id);
    },
    // Results of operations that run alone (queries, mutations, replaying subscriptions); shared
    // subscription events go out prepared, through NextTransport.
    onNext: (ctx, id, _payload, args, result) => {
      const out = withClientErrors(result, args.contextValue as GraphQLContext);
      wsOps.result(ctx, id, out);
      return out as never;
    },
    onError: (ctx, id, _payload, errors) => {
      // Validation errors end the operation without onComplete.
      sessions.complete(ctx.extra.socket, id);
      wsOps.failed(ctx, id);
      return errors.map((e) => formatError(e.toJSON(), e));
    },
  };
}

/** graphql-ws's protocol server: contexts, shared subscription execution, and the hooks above. */
function protocolServer(deps: ProtocolDeps) {
  const { o, wsOps, documents } = deps;
  /** Operation id's transport, by the operation's GraphQL context. */
  const transports = new WeakMap<object, NextTransport>();
  const shared = createSharedSubscribe<PreparedNext>({
    scope: (contextValue) => (contextValue as GraphQLContext).principal?.id ?? '',
    prepare: prepareNext,
    transportOf: (contextValue) => transports.get(contextValue as object),
  });
  return makeServer<Record<string, unknown>, Connection>({
    schema: o.schema,
    connectionInitWaitTimeout: 0,
    // Identical documents keep one copy of their text (graphql-ws keeps each subscribe message).
    jsonMessageReviver: (key, value) =>
      key === 'query' && typeof value === 'string' ? documents.intern(value) : value,
    context: (ctx, id, _payload, args) => {
      const conn = ctx.extra;
      const context = createContext(o.services, conn.requestId, conn.principal);
      transports.set(context, new NextTransport(conn, id, wsOps.bindContext(ctx, id, context, args)));
      return context;
    },
    execute: (args) => wsOps.execute(args, execute),
    subscribe: (args) => wsOps.subscribe(args, shared.subscribe) as never,
    ...connectionHooks(deps),
    ...operationHooks(deps),
  });
}

function onPong(this: WebSocket & { [CONNECTION]?: Connection }): void {
  const conn = this[CONNECTION];
  if (conn) conn.alive = true;
}

function onSocketError(this: WebSocket & { [CONNECTION]?: Connection }, err: Error): void {
  this[CONNECTION]?.failInternally(err, 'websocket error');
}

export function startWsServer(server: Server, o: WsServerOptions): WsServerHandle {
  const isProd = process.env.NODE_ENV === 'production';
  // No permessage-deflate: shared frames are written to the TCP socket as they are (Connection.sendFrame).
  const wss = new WebSocketServer({
    server,
    path: o.path,
    maxPayload: o.maxPayload,
    perMessageDeflate: false,
    handleProtocols,
  });
  const extra = o.upgradeHeaders;
  if (extra) wss.on('headers', (headers) => headers.push(...extra));
  // The HTTP server's errors are re-emitted here; as graphql-ws/use/ws does, clients get 4500.
  wss.on('error', (err) => {
    log.error({ err: err.message }, 'websocket server error');
    for (const client of wss.clients)
      client.close(CloseCode.InternalServerError, isProd ? INTERNAL_ERROR : closeReason(err.message, INTERNAL_ERROR));
  });
  const wsOps = new WsOperations(o.metrics, o.requestLog);
  const keySockets = new KeySockets();
  const protocol = protocolServer({
    o,
    wsOps,
    keySockets,
    documents: new DocumentCache(o.schema, reportingThrows(o.validate)),
  });
  const stopKeyChecks = closeRevokedKeys(o.auth, keySockets);
  const open = Array.from({ length: KEEP_ALIVE_SLICES }, () => new Set<Connection>());
  const pings = keepAlive(open);
  let nextSlice = 0;

  wss.on('connection', (socket: WebSocket & { [CONNECTION]?: Connection }, req: IncomingMessage) => {
    const conn = new Connection(socket, req.socket, req, nextSlice, isProd);
    nextSlice = (nextSlice + 1) % KEEP_ALIVE_SLICES;
    socket[CONNECTION] = conn;
    open[conn.slice].add(conn);
    socket.on('error', onSocketError);
    socket.on('pong', onPong);
    const closed = protocol.opened(conn, conn);
    if (socket.protocol === GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      conn.initWait = setTimeout(
        () => conn.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout'),
        CONNECTION_INIT_WAIT_MS,
      );
    }
    // 'close' comes once: `on`, not `once` (which wraps the listener in another object per socket).
    socket.on('close', (code: number, reason: Buffer) => {
      open[conn.slice].delete(conn);
      conn.stopInitWait();
      void closed(code, String(reason)).catch((err: Error) =>
        log.warn({ err: err.message }, 'graphql-ws close handling failed'),
      );
    });
  });

  return {
    drain(timeoutMs) {
      stopKeyChecks();
      return wsOps.drain(timeoutMs);
    },
    async close(cutMs) {
      clearInterval(pings);
      for (const client of wss.clients) client.close(1001, 'Going away');
      const closed = new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve()))).catch(
        (e: Error) => log.warn({ err: e.message }, 'websocket server close failed'),
      );
      // A peer that never answers the close handshake is cut.
      const cut = setTimeout(() => {
        for (const c of wss.clients) c.terminate();
      }, cutMs);
      await closed;
      clearTimeout(cut);
    },
  };
}
