/**
 * One structured log line per client request (HTTP) or per GraphQL operation (graphql-ws), with
 * what the request cost in backend calls. The observation travels with the request's async
 * scope; backend transports add to it through `beginBackendRequest`.
 */
import type { DestinationStream } from 'pino';
import { isoTimeOncePerMs, logOutput } from '../log';
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
  fields(extra: LogFields = {}): LogFields {
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

/** A request log line's field values: flat and primitive (ids, names, counts, durations). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

function jsonValue(v: string | number | boolean | null): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  return String(v);
}

/**
 * The request log: one info line per client request, in pino's line format (level, time,
 * service, component, the fields, msg). Written by hand rather than through pino: its fields are
 * flat values known to hold no secret, and pino's generic serialisation of them was the largest
 * single cost of answering a cached read. Any other line (warnings) goes through pino.
 */
export class RequestLog {
  private readonly head = ',"service":"patchbay","component":"request"';

  constructor(
    private readonly out: { write(line: string): unknown },
    private readonly on: boolean,
  ) {}

  info(fields: LogFields, msg: string): void {
    if (!this.on) return;
    let line = `{"level":30${isoTimeOncePerMs()}${this.head}`;
    for (const key in fields) {
      const v = fields[key];
      if (v !== undefined) line += `,${JSON.stringify(key)}:${jsonValue(v)}`;
    }
    this.out.write(`${line},"msg":${JSON.stringify(msg)}}\n`);
  }
}

/**
 * The request log: the process's log output (when info lines are on), or, when a destination is
 * given (tests, embedding), that destination at info level.
 */
export function requestLogger(destination?: DestinationStream): RequestLog {
  // Its fields come from RequestObservation.fields (never the query text or variables).
  return destination ? new RequestLog(destination, true) : new RequestLog(logOutput.destination, logOutput.enabled('info'));
}
