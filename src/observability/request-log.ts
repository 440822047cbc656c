/**
 * One structured log line per client request (HTTP) or per GraphQL operation (graphql-ws), with
 * what the request cost in backend calls. The observation travels with the request's async
 * scope; backend transports add to it through `beginBackendRequest`. Lines go through pino.
 */
import type { DestinationStream, Logger } from 'pino';
import { unredactedLogger } from '../log';
import type { OperationType, Outcome, Transport } from './metrics';
import type { BackendRequestSample, BackendRequestSink } from './scope';

/** A request log line's extra field values: flat and primitive (ids, names, counts, durations). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export class RequestObservation implements BackendRequestSink {
  readonly startedAt = process.hrtime.bigint();
  operationName: string | null = null;
  operationType: OperationType = 'unknown';
  outcome: Outcome | null = null;
  /** The API key id that made the request (null: none presented or refused). */
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

  /** The line's fields: never the query text or variables (they may carry secrets). */
  fields(extra: LogFields): Record<string, unknown> {
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

/** The request log: one info line per client request, component `request`. */
export class RequestLog {
  constructor(private readonly logger: Logger) {}

  /** The request's line: its observation's fields, then `extra` (transport details). */
  info(observation: RequestObservation, extra: LogFields, msg: string): void {
    if (this.logger.isLevelEnabled('info')) this.logger.info(observation.fields(extra), msg);
  }
}

/**
 * The request log: the process's logger, or, when a destination is given (tests, embedding),
 * a logger of its own writing to that destination at info level.
 */
export function requestLogger(destination?: DestinationStream): RequestLog {
  return new RequestLog(destination ? unredactedLogger('request', destination, 'info') : unredactedLogger('request'));
}
