/**
 * One structured log line per client request (HTTP) or per GraphQL operation (graphql-ws), with
 * what the request cost in backend calls. The observation travels with the request's async
 * scope; backend transports add to it through `beginBackendRequest`.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { unredactedLogger } from '../log';
import type { OperationType, Outcome, Transport } from './metrics';
import type { BackendRequestSample, BackendRequestSink } from './scope';

export class RequestObservation implements BackendRequestSink {
  readonly startedAt = process.hrtime.bigint();
  operationName: string | null = null;
  operationType: OperationType = 'unknown';
  outcome: Outcome | null = null;
  /** Who made the request. Always null until authentication exists; the auth work sets it. */
  principalId: string | null = null;
  backendCalls = 0;
  backendMs = 0;
  /** What the response cache did for this request; null when it was not asked. */
  cache: 'hit' | 'miss' | 'stored' | null = null;

  constructor(
    readonly requestId: string,
    readonly transport: Transport,
  ) {}

  backendRequest(s: BackendRequestSample): void {
    this.backendCalls += 1;
    this.backendMs += s.ms;
  }

  elapsedMs(): number {
    return Number(process.hrtime.bigint() - this.startedAt) / 1e6;
  }

  /** The log line's fields; never the query text or variables (they may carry secrets). */
  fields(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      requestId: this.requestId,
      transport: this.transport,
      operationName: this.operationName,
      operationType: this.operationType,
      outcome: this.outcome,
      principalId: this.principalId,
      durationMs: round(this.elapsedMs()),
      backendCalls: this.backendCalls,
      backendMs: round(this.backendMs),
      ...(this.cache ? { cache: this.cache } : {}),
      ...extra,
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/**
 * The request logger: the process's root logger (component `request`), or, when a destination
 * is given (tests, embedding), a logger writing there at info level.
 */
export function requestLogger(destination?: DestinationStream): Logger {
  // Its fields come from RequestObservation.fields (never the query text or variables).
  if (!destination) return unredactedLogger('request');
  return pino({ level: 'info', base: { service: 'patchbay', component: 'request' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
