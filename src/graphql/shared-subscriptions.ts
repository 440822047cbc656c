/**
 * Shared execution of identical live subscriptions. Thousands of dashboards tend to send the
 * same subscription document; executing it once per event and handing the same result to every
 * subscriber turns per-event work from O(subscribers × execution) into O(distinct documents) +
 * O(subscribers × send). Subscriptions that replay history (`after`) are not shared: each has
 * its own position in the journal.
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
import { AsyncQueue } from '../events/async-queue';
import { componentLogger } from '../log';

const log = componentLogger('shared-subscriptions');

type Subscribe = (args: ExecutionArgs) => Promise<AsyncIterable<ExecutionResult> | ExecutionResult>;

/** What part of the caller's identity decides what it may see (added to the sharing key). */
export type SharingScope = (contextValue: unknown) => string;

interface SharedStream {
  consumers: Set<AsyncQueue<ExecutionResult>>;
  source: AsyncIterator<ExecutionResult> | null;
}

function operationOf(args: ExecutionArgs): OperationDefinitionNode | undefined {
  const ops = args.document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return args.operationName ? ops.find((o) => o.name?.value === args.operationName) : ops.length === 1 ? ops[0] : undefined;
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

export interface SharedSubscribeStats {
  streams: number;
  consumers: number;
}

export function createSharedSubscribe(scope: SharingScope = () => '', bufferLimit = 1000): { subscribe: Subscribe; stats(): SharedSubscribeStats } {
  const streams = new Map<string, SharedStream>();

  async function subscribe(args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
    const op = operationOf(args);
    if (!op || op.operation !== 'subscription' || replaysHistory(op, args.variableValues)) return graphqlSubscribe(args);
    const key = createHash('sha256')
      .update(print(op))
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
      const source = (result as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
      const created: SharedStream = { consumers: new Set(), source };
      stream = created;
      streams.set(key, created);
      void pump(key, created);
    }
    const current = stream;
    const consumer: AsyncQueue<ExecutionResult> = new AsyncQueue(() => leave(key, current, consumer), bufferLimit);
    current.consumers.add(consumer);
    return consumer;
  }

  async function pump(key: string, stream: SharedStream): Promise<void> {
    try {
      for (;;) {
        if (!stream.source) break;
        const next = await stream.source.next();
        if (next.done) break;
        for (const c of stream.consumers) c.push(next.value);
      }
      for (const c of [...stream.consumers]) void c.return();
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'shared subscription source failed');
      for (const c of [...stream.consumers]) c.fail(e as Error);
    } finally {
      if (streams.get(key) === stream) streams.delete(key);
    }
  }

  function leave(key: string, stream: SharedStream, consumer: AsyncQueue<ExecutionResult>): void {
    stream.consumers.delete(consumer);
    if (stream.consumers.size > 0) return;
    if (streams.get(key) === stream) streams.delete(key);
    const source = stream.source;
    stream.source = null;
    void source?.return?.();
  }

  return {
    subscribe,
    stats: () => ({ streams: streams.size, consumers: [...streams.values()].reduce((n, s) => n + s.consumers.size, 0) }),
  };
}
