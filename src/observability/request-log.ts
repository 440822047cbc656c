/**
 * One structured log line per client request (HTTP) or per GraphQL operation (graphql-ws), with
 * what the request cost in backend calls. The observation travels with the request's async
 * scope; backend transports add to it through `beginBackendRequest`.
 */
import type { DestinationStream } from 'pino';
import { isoTimeOncePerMs, logOutput } from '../log';
import type { OperationType, Outcome, Transport } from './metrics';
import type { BackendRequestSample, BackendRequestSink } from './scope';

/** A request log line's field values: flat and primitive (ids, names, counts, durations). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

function jsonValue(v: string | number | boolean | null): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  return String(v);
}

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

  /**
   * The log line's fields after pino's level, time and bindings: never the query text or
   * variables (they may carry secrets). Built as text, in a fixed order: this runs once per
   * request, and a generic object-to-JSON pass cost several times as much.
   */
  fieldsJson(extra: LogFields): string {
    let json = `,"requestId":${JSON.stringify(this.requestId)},"transport":"${this.transport}","operationName":${jsonValue(this.operationName)},"operationType":"${this.operationType}","outcome":${jsonValue(this.outcome)},"principalId":${jsonValue(this.principalId)},"durationMs":${round(this.elapsedMs())},"backendCalls":${this.backendCalls},"backendMs":${round(this.backendMs)}`;
    if (this.cache) json += `,"cache":"${this.cache}"`;
    for (const key in extra) {
      const v = extra[key];
      if (v !== undefined) json += `,"${key}":${jsonValue(v)}`;
    }
    return json;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
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

  /** The request's line: its observation's fields, then `extra` (transport details). */
  info(observation: RequestObservation, extra: LogFields, msg: string): void {
    if (!this.on) return;
    this.out.write(`{"level":30${isoTimeOncePerMs()}${this.head}${observation.fieldsJson(extra)},"msg":${JSON.stringify(msg)}}\n`);
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
