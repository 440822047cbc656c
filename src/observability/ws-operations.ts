/**
 * Bookkeeping for graphql-ws operations: one observation per operation (metrics + a log line
 * when it ends), the connection and subscription gauges, and the graceful end of every
 * subscription at shutdown (each gets `complete`, not an error).
 */
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import { componentLogger } from '../log';
import type { GatewayMetrics, Outcome } from './metrics';
import { operationOf, outcomeOf } from './operation-outcome';
import { RequestObservation, type RequestLog } from './request-log';
import { runInScope, type ObservabilityScope } from './scope';

const log = componentLogger('server');

/** The part of a graphql-ws server context used here. */
export interface WsConnection {
  readonly subscriptions: Record<string, unknown>;
}

/** One graphql-ws operation: its observation (log line, metrics) and how its results went. */
export class WsOperation {
  errored = false;
  partial = false;
  subscription = false;

  constructor(
    readonly obs: RequestObservation,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** Built when asked: a shared subscriber never needs it after subscribing. */
  scope(): ObservabilityScope {
    return { gateway: this.metrics, request: this.obs };
  }

  /** A result went out with errors: the operation's outcome is at best partial. */
  noteErrors(outcome: Exclude<Outcome, 'success'>): void {
    if (outcome === 'error') this.errored = true;
    else this.partial = true;
  }
}

/** An iterator whose next() runs in the operation's scope (without a closure per method). */
class ScopedIterator implements AsyncIterableIterator<unknown> {
  constructor(
    private readonly it: AsyncIterator<unknown>,
    private readonly scope: ObservabilityScope,
  ) {}

  next(): Promise<IteratorResult<unknown>> {
    return runInScope(this.scope, () => this.it.next());
  }

  return(v?: unknown): Promise<IteratorResult<unknown>> {
    return this.it.return ? this.it.return(v) : Promise.resolve({ done: true, value: undefined });
  }

  throw(e?: unknown): Promise<IteratorResult<unknown>> {
    return this.it.throw ? this.it.throw(e) : Promise.reject(e);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<unknown> {
    return this;
  }
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof Object(v)[Symbol.asyncIterator] === 'function';
}

export class WsOperations {
  private readonly connections = new Map<WsConnection, Map<string, WsOperation>>();
  /** GraphQL context object → its operation, so execute/subscribe run in the operation's scope. */
  private readonly byContext = new WeakMap<object, WsOperation>();
  private readonly finishedWaiters = new Set<() => void>();
  private draining = false;

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly log: RequestLog,
  ) {}

  get isDraining(): boolean {
    return this.draining;
  }

  opened(conn: WsConnection): void {
    this.connections.set(conn, new Map());
    this.metrics.wsConnections.inc();
  }

  closed(conn: WsConnection): void {
    const ops = this.connections.get(conn);
    if (!ops) return;
    // Operations cut by the close end here (graphql-ws may report their completion later or not at all).
    for (const id of [...ops.keys()]) this.finished(conn, id);
    this.connections.delete(conn);
    this.metrics.wsConnections.dec();
  }

  /** onSubscribe: an operation starts (its type is known once graphql-ws has parsed it). */
  started(conn: WsConnection, id: string, requestId: string, operationName: string | null | undefined): void {
    const obs = new RequestObservation(requestId, 'ws');
    obs.operationName = operationName ?? null;
    this.connections.get(conn)?.set(id, new WsOperation(obs, this.metrics));
  }

  /** Links the operation's GraphQL context to it (graphql-ws context hook). */
  bindContext(conn: WsConnection, id: string, contextValue: object, args: ExecutionArgs): WsOperation | undefined {
    const op = this.connections.get(conn)?.get(id);
    if (!op) return undefined;
    const { name, type } = operationOf(args.document, args.operationName);
    op.obs.operationName = name;
    op.obs.operationType = type;
    op.obs.principalId = (contextValue as { principal?: { id: string } | null }).principal?.id ?? null;
    if (type === 'subscription') {
      op.subscription = true;
      this.metrics.subscriptions.inc();
    }
    this.byContext.set(contextValue, op);
    return op;
  }

  /** graphql-ws `execute`: runs the query or mutation inside its operation's scope. */
  execute<T>(args: ExecutionArgs, run: (args: ExecutionArgs) => T): T {
    const op = this.byContext.get(args.contextValue as object);
    return op ? runInScope(op.scope(), () => run(args)) : run(args);
  }

  /** graphql-ws `subscribe`: also each event's resolution runs in the operation's scope. */
  async subscribe(args: ExecutionArgs, run: (args: ExecutionArgs) => Promise<unknown>): Promise<unknown> {
    const op = this.byContext.get(args.contextValue as object);
    if (!op) return run(args);
    const scope = op.scope();
    const result = await runInScope(scope, () => run(args));
    if (!isAsyncIterable(result)) return result;
    return new ScopedIterator(result[Symbol.asyncIterator](), scope);
  }

  /** onNext: remembers errors for the outcome. */
  result(conn: WsConnection, id: string, result: ExecutionResult): void {
    const op = this.connections.get(conn)?.get(id);
    if (!op || !result.errors?.length) return;
    op.noteErrors(outcomeOf(result) === 'error' ? 'error' : 'partial');
  }

  /** onError: the operation ends with an error (validation, or the stream failed). */
  failed(conn: WsConnection, id: string): void {
    const op = this.connections.get(conn)?.get(id);
    if (op) op.errored = true;
    this.finished(conn, id);
  }

  /** onComplete (and after onError): one log line and the metrics; idempotent per id. */
  finished(conn: WsConnection, id: string): void {
    const ops = this.connections.get(conn);
    const op = ops?.get(id);
    if (!ops || !op) return;
    ops.delete(id);
    const { obs } = op;
    obs.outcome = op.errored ? 'error' : op.partial ? 'partial' : 'success';
    if (op.subscription) this.metrics.subscriptions.dec();
    const seconds = obs.elapsedMs() / 1000;
    this.metrics.graphqlOperation({
      name: obs.operationName,
      type: obs.operationType,
      transport: 'ws',
      outcome: obs.outcome,
      seconds: op.subscription ? undefined : seconds,
    });
    this.log.info(obs, { operationId: id }, 'graphql-ws operation');
    for (const w of this.finishedWaiters) w();
  }

  private pending(): number {
    let n = 0;
    for (const ops of this.connections.values()) n += ops.size;
    return n;
  }

  /**
   * Shutdown: refuses new operations, ends every subscription's stream (graphql-ws then sends
   * `complete` for it), and waits up to `timeoutMs` for those and for queries and mutations in
   * flight to finish. The sockets are closed afterwards by the caller (1001 Going away).
   */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    for (const conn of this.connections.keys()) {
      for (const sub of Object.values(conn.subscriptions)) {
        const ret = (sub as { return?: () => Promise<unknown> } | null)?.return;
        if (typeof ret === 'function') void ret.call(sub).catch(() => undefined);
      }
    }
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (this.pending() > 0) return;
        clearTimeout(timer);
        this.finishedWaiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.finishedWaiters.delete(check);
        log.warn({ operations: this.pending() }, 'graphql-ws operations still running at shutdown; closing anyway');
        resolve();
      }, timeoutMs);
      this.finishedWaiters.add(check);
      check();
    });
    // graphql-ws sends `complete` right after onComplete returns; let those sends go out first.
    await new Promise((r) => setImmediate(r));
  }
}
