/**
 * graphql-ws (graphql-transport-ws) on the HTTP server's GraphQL path: graphql-ws's protocol
 * server (`makeServer`) over `ws`, with our own socket adapter in place of graphql-ws/use/ws so
 * that per-socket state stays small (no upgrade request kept, one keep-alive timer for all
 * sockets, listeners shared where they can be) and shared subscription events
 * reach every socket as one prepared frame (./ws-next-frames.ts). Authentication, per-key
 * limits, revocation, the sessions registry and operation observability are wired here.
 */
import { clientRequestId } from '../observability/request-id';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { execute, GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, handleProtocols, makeServer, type WebSocket as ProtocolSocket } from 'graphql-ws';
import { WebSocket, WebSocketServer } from 'ws';
import { bearerKey, type Authenticator } from '../auth/authenticator';
import type { Principal } from '../auth/principal';
import { KeySockets } from '../auth/socket-registry';
import type { RequestLimiter } from '../auth/rate-limit';
import type { SecurityConfig } from '../config';
import { componentLogger } from '../log';
import type { GatewayMetrics } from '../observability/metrics';
import { outcomeOf } from '../observability/operation-outcome';
import type { RequestLog } from '../observability/request-log';
import { WsOperations, type WsOperation } from '../observability/ws-operations';
import { createContext, type GatewayServices, type GraphQLContext } from './context';
import { DocumentCache, type Validate } from './document-cache';
import { flatRandomUUID } from './flat-uuid';
import { formatError } from './errors';
import { MAX_NESTING, nestingTooDeep } from './limits';
import { createSharedSubscribe, type SubscriberTransport } from './shared-subscriptions';
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
const INTERNAL_ERROR = 'Internal server error';
/** The Connection of a ws socket, for listeners shared by all sockets (no closure per socket). */
const CONNECTION = Symbol('patchbay.connection');

export interface WsServerOptions {
  path: string;
  maxPayload: number;
  schema: GraphQLSchema;
  services: GatewayServices;
  metrics: GatewayMetrics;
  requestLog: RequestLog;
  auth: Authenticator;
  limiter: RequestLimiter;
  security: SecurityConfig;
  /** The spec's validation rules plus the query limits. */
  validate: Validate;
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

/** graphql-ws's close reason limit (a close frame's reason must fit 123 bytes). */
function closeReason(reason: string, whenTooLong: string): string {
  return reason.length < 124 ? reason : whenTooLong;
}

/**
 * One socket, as graphql-ws's protocol server sees it (also its `extra`). From the upgrade request
 * only what is used later is kept: the request itself (headers, socket wrappers) is not.
 */
class Connection implements ProtocolSocket {
  principal: Principal | null = null;
  /** Answered the last keep-alive ping (or none was sent yet). */
  alive = true;
  readonly remoteAddress: string | null;
  readonly userAgent: string | null;
  /** The Authorization header of the upgrade, until connection_init has been answered. */
  headerAuthorization: string | undefined;
  private givenRequestId: string | null;
  /** Its slice of the keep-alive rounds. */
  readonly slice: number;
  /** Until connection_init arrives. */
  initWait: NodeJS.Timeout | undefined = undefined;
  /** Prepared frames can go to the TCP socket as they are (see sendFrame). */
  private readonly rawFrames: boolean;

  constructor(
    readonly socket: WebSocket,
    /** The TCP socket under `socket`: shared events are written to it as whole frames. */
    private readonly raw: Duplex,
    req: IncomingMessage,
    slice: number,
    private readonly isProd: boolean,
  ) {
    this.remoteAddress = req.socket.remoteAddress ?? null;
    const ua = req.headers['user-agent'];
    this.userAgent = typeof ua === 'string' ? ua : null;
    this.headerAuthorization = req.headers.authorization;
    this.givenRequestId = clientRequestId(req);
    this.slice = slice;
    // Negotiated in the handshake, never after. With an extension (none is offered today) ws
    // may queue its own sends, and a frame written beside them could overtake one.
    this.rawFrames = socket.extensions === '';
  }

  /** The client's X-Request-Id, or one made up when first needed. */
  get requestId(): string {
    return (this.givenRequestId ??= flatRandomUUID());
  }

  get protocol(): string {
    return this.socket.protocol;
  }

  send(data: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState !== WebSocket.OPEN) return resolve();
      this.socket.send(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  onMessage(cb: (data: string) => Promise<void>): void {
    this.socket.on('message', (data: Buffer) => {
      cb(String(data)).catch((err: unknown) => this.failInternally(err, 'graphql-ws message handling failed'));
    });
  }

  /** connection_init arrived (or the socket closed): the wait is over. */
  stopInitWait(): void {
    clearTimeout(this.initWait);
    this.initWait = undefined;
  }

  /** As graphql-ws/use/ws does: 4500, with the message unless in production. */
  failInternally(err: unknown, what: string): void {
    const message = err instanceof Error ? err.message : String(err);
    log.warn({ err: message }, what);
    this.socket.close(CloseCode.InternalServerError, this.isProd ? INTERNAL_ERROR : closeReason(message, INTERNAL_ERROR));
  }

  /**
   * A prepared frame, written to the TCP socket as it is: ws would frame the same bytes again
   * for every socket. ws writes its own frames (pong, complete, close) synchronously too, so
   * the order on the wire is the order of the calls. Returns the socket's backlog in frames of
   * this size.
   */
  sendFrame(frame: Buffer): number {
    const s = this.socket;
    if (s.readyState !== WebSocket.OPEN) return 0;
    if (this.rawFrames) this.raw.write(frame);
    else s.send(PreparedNext.text(frame));
    return s.bufferedAmount / frame.length;
  }
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
  const errors = [...(result.errors ?? []).map((e) => formatError(e.toJSON(), e)), ...ctx.partialErrors.splice(0).map((e) => e.toJSON())];
  return errors.length ? { ...result, errors: errors as never } : result;
}

/** Once per shared event, for all its subscribers. */
function prepareNext(result: ExecutionResult, contextValue: unknown): PreparedNext {
  const payload = withClientErrors(result, contextValue as GraphQLContext);
  const outcome = outcomeOf(payload);
  return new PreparedNext(JSON.stringify(payload), outcome === 'success' ? null : outcome);
}

export function startWsServer(server: Server, o: WsServerOptions): WsServerHandle {
  const { metrics, auth, security, services } = o;
  const isProd = process.env.NODE_ENV === 'production';
  // No permessage-deflate: shared frames are written to the TCP socket as they are (Connection.sendFrame).
  const wss = new WebSocketServer({ server, path: o.path, maxPayload: o.maxPayload, perMessageDeflate: false, handleProtocols });
  // The HTTP server's errors are re-emitted here; as graphql-ws/use/ws does, clients get 4500.
  wss.on('error', (err) => {
    log.error({ err: err.message }, 'websocket server error');
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, isProd ? INTERNAL_ERROR : closeReason(err.message, INTERNAL_ERROR));
  });
  const sessions = services.sessions;
  const wsOps = new WsOperations(metrics, o.requestLog);
  /**
   * graphql-js lets a validation rule throw (SingleFieldSubscriptionsRule does on a bad
   * @include/@skip argument): a GraphQLError thrown by a rule is reported like any validation
   * error, for that operation alone.
   */
  const validateOrReport: Validate = (s, document) => {
    try {
      return o.validate(s, document);
    } catch (e) {
      if (!(e instanceof GraphQLError)) throw e;
      return [new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })];
    }
  };
  const documents = new DocumentCache(o.schema, validateOrReport);
  const keySockets = new KeySockets();
  const open = Array.from({ length: KEEP_ALIVE_SLICES }, () => new Set<Connection>());
  let nextSlice = 0;

  const offRevoked = auth.onRevoked((keyId) => keySockets.closeAll(keyId, 'API key revoked'));
  // Keys revoked elsewhere (another instance, the CLI) or expired: checked again now and then.
  const sweep = setInterval(() => {
    for (const keyId of keySockets.keyIds()) {
      void auth.isActive(keyId).then((active) => active || keySockets.closeAll(keyId, 'API key revoked or expired'), () => undefined);
    }
  }, KEY_SWEEP_MS);
  sweep.unref();

  let pingSlice = 0;
  const keepAlive = setInterval(() => {
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
  keepAlive.unref();

  /** Operation id's transport, by the operation's GraphQL context. */
  const transports = new WeakMap<object, NextTransport>();
  const shared = createSharedSubscribe<PreparedNext>({
    scope: (contextValue) => (contextValue as GraphQLContext).principal?.id ?? '',
    prepare: prepareNext,
    transportOf: (contextValue) => transports.get(contextValue as object),
  });

  /** Per-operation limits on a socket: the key's rate and the subscriptions a connection may hold. */
  async function refuseOperation(principal: Principal, openOps: number): Promise<GraphQLError | null> {
    const allowed = await o.limiter.take(`key:${principal.id}`);
    if (!allowed.ok) {
      metrics.rateLimitRejections.inc();
      return new GraphQLError(`rate limit exceeded; retry after ${allowed.retryAfterSeconds} s`, { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: allowed.retryAfterSeconds } });
    }
    if (openOps >= security.maxSubscriptionsPerConnection) {
      metrics.rateLimitRejections.inc();
      return new GraphQLError(`at most ${security.maxSubscriptionsPerConnection} operations per connection`, { extensions: { code: 'RATE_LIMITED' } });
    }
    return null;
  }

  const protocol = makeServer<Record<string, unknown>, Connection>({
    schema: o.schema,
    connectionInitWaitTimeout: 0,
    // Identical documents keep one copy of their text (graphql-ws keeps each subscribe message).
    jsonMessageReviver: (key, value) => (key === 'query' && typeof value === 'string' ? documents.intern(value) : value),
    context: (ctx, id, _payload, args) => {
      const conn = ctx.extra;
      const context = createContext(services, conn.requestId, conn.principal);
      transports.set(context, new NextTransport(conn, id, wsOps.bindContext(ctx, id, context, args)));
      return context;
    },
    execute: (args) => wsOps.execute(args, execute),
    subscribe: (args) => wsOps.subscribe(args, shared.subscribe) as never,
    onConnect: async (ctx) => {
      const conn = ctx.extra;
      conn.stopInitWait();
      const params = ctx.connectionParams ?? {};
      const presented = bearerKey(params.authorization ?? params.Authorization ?? conn.headerAuthorization);
      // Nothing reads them later: the key need not stay in memory for the socket's lifetime.
      conn.headerAuthorization = undefined;
      (ctx as { connectionParams?: unknown }).connectionParams = undefined;
      const principal = presented ? await auth.authenticate(presented) : null;
      if (!principal) return false;
      if (keySockets.count(principal.id) >= security.maxConnectionsPerKey) {
        metrics.rateLimitRejections.inc();
        return false;
      }
      conn.principal = principal;
      keySockets.add(principal.id, conn.socket);
      sessions.open(conn.socket, conn.remoteAddress, conn.userAgent);
      wsOps.opened(ctx);
      return true;
    },
    onSubscribe: async (ctx, id, payload) => {
      if (wsOps.isDraining) return [new GraphQLError('the gateway is shutting down; reconnect to another instance', { extensions: { code: 'SHUTTING_DOWN' } })];
      if (nestingTooDeep(payload.query)) {
        return [new GraphQLError(`the document is nested more than ${MAX_NESTING} levels deep`, { extensions: { code: 'QUERY_TOO_COMPLEX' } })];
      }
      // Parsed here, not by graphql-ws: its syntax errors would close the socket (4500) and end
      // every other operation on it; and identical documents share one parsed, validated AST.
      const parsed = documents.parse(payload.query);
      if (!('document' in parsed)) return [...parsed];
      // graphql-ws has already registered this operation (as null) in ctx.subscriptions: count the others.
      const refused = await refuseOperation(ctx.extra.principal!, Object.keys(ctx.subscriptions).length - 1);
      if (refused) return [refused];
      // The cached text: one copy for every subscriber of the same document.
      sessions.subscribe(ctx.extra.socket, id, payload.operationName, parsed.query);
      wsOps.started(ctx, id, ctx.extra.requestId, payload.operationName);
      const invalid = documents.validate(parsed);
      if (invalid.length > 0) return [...invalid];
      return { schema: o.schema, document: parsed.document, operationName: payload.operationName, variableValues: payload.variables };
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
  });

  function onPong(this: WebSocket & { [CONNECTION]?: Connection }): void {
    const conn = this[CONNECTION];
    if (conn) conn.alive = true;
  }

  function onSocketError(this: WebSocket & { [CONNECTION]?: Connection }, err: Error): void {
    this[CONNECTION]?.failInternally(err, 'websocket error');
  }

  wss.on('connection', (socket: WebSocket & { [CONNECTION]?: Connection }, req: IncomingMessage) => {
    const conn = new Connection(socket, req.socket, req, nextSlice, isProd);
    nextSlice = (nextSlice + 1) % KEEP_ALIVE_SLICES;
    socket[CONNECTION] = conn;
    open[conn.slice].add(conn);
    socket.on('error', onSocketError);
    socket.on('pong', onPong);
    const closed = protocol.opened(conn, conn);
    if (socket.protocol === GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      conn.initWait = setTimeout(() => conn.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout'), CONNECTION_INIT_WAIT_MS);
    }
    // 'close' comes once: `on`, not `once` (which wraps the listener in another object per socket).
    socket.on('close', (code: number, reason: Buffer) => {
      open[conn.slice].delete(conn);
      conn.stopInitWait();
      void closed(code, String(reason)).catch((err: Error) => log.warn({ err: err.message }, 'graphql-ws close handling failed'));
    });
  });

  return {
    drain(timeoutMs) {
      clearInterval(sweep);
      offRevoked();
      return wsOps.drain(timeoutMs);
    },
    async close(cutMs) {
      clearInterval(keepAlive);
      for (const client of wss.clients) client.close(1001, 'Going away');
      const closed = new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve()))).catch((e: Error) =>
        log.warn({ err: e.message }, 'websocket server close failed'),
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
