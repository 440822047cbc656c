/**
 * Shared execution of identical live subscriptions. Thousands of dashboards tend to send the
 * same subscription document; executing it once per event and handing the same result to every
 * subscriber turns per-event work from O(subscribers × execution) into O(distinct documents) +
 * O(subscribers × send). Subscriptions that replay history (`after`) are not shared: each has
 * its own position in the journal.
 *
 * Each event is also prepared once (`prepare`: errors formatted, payload serialised) and handed
 * to every subscriber's transport synchronously: no per-subscriber queue, promise chain or
 * serialisation per event. What a subscriber's graphql-ws operation iterates only settles when
 * the stream ends, fails, or the subscriber leaves.
 */
import { createHash } from 'node:crypto';
import {
  Kind,
  print,
  subscribe as graphqlSubscribe,
  type ExecutionArgs,
  type ExecutionResult,
  type OperationDefinitionNode,
} from 'graphql';
import { componentLogger } from '../log';

const log = componentLogger('shared-subscriptions');

type Subscribe = (args: ExecutionArgs) => Promise<AsyncIterable<ExecutionResult> | ExecutionResult>;

/** What part of the caller's identity decides what it may see (added to the sharing key). */
export type SharingScope = (contextValue: unknown) => string;

/** Where a shared stream's events go for one subscriber (its socket). */
export interface SubscriberTransport<P> {
  /** Sends one prepared event; returns its backlog: about how many events wait unwritten. */
  send(event: P): number;
}

export interface SharedSubscribeOptions<P> {
  scope?: SharingScope;
  /** Once per event of a stream, with the context it executed in, before any subscriber gets it. */
  prepare: (result: ExecutionResult, contextValue: unknown) => P;
  /** The subscriber's transport, found from its context; without one the subscription runs alone. */
  transportOf: (contextValue: unknown) => SubscriberTransport<P> | undefined;
  /** A subscriber whose backlog passes this many events is ended with an error. */
  bufferLimit?: number;
}

interface SharedStream<P> {
  key: string;
  subscribers: Set<SharedSubscriber<P>>;
  source: AsyncIterator<ExecutionResult> | null;
  /** The first subscriber's context: every event of the stream executes in it. */
  contextValue: unknown;
  leave(stream: SharedStream<P>, subscriber: SharedSubscriber<P>): void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * One subscriber of a shared stream, as graphql-ws iterates it. Events bypass the iteration (they
 * go to the transport as they come), so `next()` yields nothing: it settles when the subscription
 * ends (done), or fails (rejects: graphql-ws answers with an `error` message). Thousands of these
 * live at once: no closures of their own.
 */
class SharedSubscriber<P> implements AsyncIterableIterator<ExecutionResult> {
  private resolveNext: ((r: IteratorResult<ExecutionResult>) => void) | null = null;
  private rejectNext: ((e: Error) => void) | null = null;
  /** Why it ended, when that came before graphql-ws asked: a failure is reported once. */
  private ended: Error | true | null = null;

  constructor(
    private readonly stream: SharedStream<P>,
    readonly transport: SubscriberTransport<P>,
  ) {}

  deliver(event: P, bufferLimit: number): void {
    if (this.ended) return;
    let backlog: number;
    try {
      backlog = this.transport.send(event);
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    if (backlog > bufferLimit) this.fail(new Error(`subscriber fell ${bufferLimit} events behind; resubscribe`));
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const ended = this.ended;
    if (ended instanceof Error) {
      this.ended = true;
      return Promise.reject(ended);
    }
    if (ended) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.resolveNext = resolve;
      this.rejectNext = reject;
    });
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.end();
    return Promise.resolve(DONE);
  }

  /** The stream ended, or the subscriber left. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stream.leave(this.stream, this);
    const resolve = this.resolveNext;
    this.resolveNext = this.rejectNext = null;
    resolve?.(DONE);
  }

  fail(e: Error): void {
    if (this.ended) return;
    this.stream.leave(this.stream, this);
    const reject = this.rejectNext;
    this.resolveNext = this.rejectNext = null;
    if (reject) {
      this.ended = true;
      reject(e);
    } else {
      this.ended = e;
    }
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }
}

function operationOf(args: ExecutionArgs): OperationDefinitionNode | undefined {
  const ops = args.document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return args.operationName
    ? ops.find((o) => o.name?.value === args.operationName)
    : ops.length === 1
      ? ops[0]
      : undefined;
}

/** True when a root field asks to resume after a cursor (given literally or through a variable). */
function replaysHistory(op: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined): boolean {
  for (const sel of op.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD) return true;
    for (const arg of sel.arguments ?? []) {
      if (arg.name.value !== 'after') continue;
      if (arg.value.kind === Kind.NULL) continue;
      if (arg.value.kind === Kind.VARIABLE && (variables?.[arg.value.name.value] ?? null) === null) continue;
      return true;
    }
  }
  return false;
}

/** Identical documents are usually one cached AST (src/graphql/document-cache.ts): printed once. */
const printed = new WeakMap<OperationDefinitionNode, string>();
function printOnce(op: OperationDefinitionNode): string {
  let text = printed.get(op);
  if (text === undefined) printed.set(op, (text = print(op)));
  return text;
}

export interface SharedSubscribeStats {
  streams: number;
  consumers: number;
}

export function createSharedSubscribe<P>(o: SharedSubscribeOptions<P>): {
  subscribe: Subscribe;
  stats(): SharedSubscribeStats;
} {
  const scope = o.scope ?? (() => '');
  const bufferLimit = o.bufferLimit ?? 1000;
  const streams = new Map<string, SharedStream<P>>();

  async function subscribe(args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
    const transport = o.transportOf(args.contextValue);
    const op = operationOf(args);
    if (!transport || !op || op.operation !== 'subscription' || replaysHistory(op, args.variableValues))
      return graphqlSubscribe(args);
    const key = createHash('sha256')
      .update(printOnce(op))
      .update('\u0000')
      .update(JSON.stringify(args.variableValues ?? {}))
      .update('\u0000')
      .update(scope(args.contextValue))
      .digest('base64');

    let stream = streams.get(key);
    if (!stream) {
      const result = await graphqlSubscribe(args);
      // Errors at subscribe time (bad arguments) go to this subscriber alone, as usual.
      if (!(Symbol.asyncIterator in Object(result))) return result as ExecutionResult;
      // Another identical subscriber may have opened the stream meanwhile: join it.
      stream = streams.get(key);
      if (stream) void (result as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]().return?.();
      else {
        const created: SharedStream<P> = {
          key,
          subscribers: new Set(),
          source: (result as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator](),
          contextValue: args.contextValue,
          leave,
        };
        stream = created;
        streams.set(key, created);
        void pump(created);
      }
    }
    const subscriber = new SharedSubscriber<P>(stream, transport);
    stream.subscribers.add(subscriber);
    return subscriber;
  }

  async function pump(stream: SharedStream<P>): Promise<void> {
    try {
      for (;;) {
        if (!stream.source) break;
        const next = await stream.source.next();
        if (next.done) break;
        if (stream.subscribers.size === 0) continue;
        const event = o.prepare(next.value, stream.contextValue);
        for (const s of stream.subscribers) s.deliver(event, bufferLimit);
      }
      for (const s of [...stream.subscribers]) s.end();
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'shared subscription source failed');
      for (const s of [...stream.subscribers]) s.fail(e as Error);
    } finally {
      if (streams.get(stream.key) === stream) streams.delete(stream.key);
    }
  }

  function leave(stream: SharedStream<P>, subscriber: SharedSubscriber<P>): void {
    stream.subscribers.delete(subscriber);
    if (stream.subscribers.size > 0) return;
    if (streams.get(stream.key) === stream) streams.delete(stream.key);
    const source = stream.source;
    stream.source = null;
    void source?.return?.();
  }

  return {
    subscribe,
    stats: () => ({
      streams: streams.size,
      consumers: [...streams.values()].reduce((n, s) => n + s.subscribers.size, 0),
    }),
  };
}
