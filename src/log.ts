/**
 * Structured JSON logs (pino). One root logger; modules take a child with `component`.
 * Secrets never go in: redact paths cover the config shapes we know, and backends log URLs
 * without credentials.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

function defaultLevel(): string {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  return process.env.JEST_WORKER_ID ? 'silent' : 'info';
}

/**
 * Written asynchronously and in batches: a write per line (synchronous, or a thread-pool write
 * and its callback) was the largest part of logging a request. Lines reach stdout when 4 KB have
 * gathered or within 100 ms; what is still buffered at exit (crash included) is flushed then.
 */
const destination = pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 100 });
process.on('exit', () => {
  try {
    destination.flushSync();
  } catch {
    // stdout already gone: nothing left to write to.
  }
});

/** pino's isoTime, formatted once per millisecond: a busy gateway logs many lines per millisecond. */
let lastMs = -1;
let lastTime = '';
export function isoTimeOncePerMs(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

const common = { level: defaultLevel(), timestamp: isoTimeOncePerMs };

export const rootLogger: Logger = pino({
  ...common,
  base: { service: 'patchbay' },
  redact: {
    paths: [
      'password',
      '*.password',
      'apiKey',
      '*.apiKey',
      'authorization',
      '*.authorization',
      'headers.authorization',
      'credentials',
      '*.credentials',
      'token',
      '*.token',
    ],
    censor: '[redacted]',
  },
}, destination);

/**
 * A logger of flat, known fields on the same output, without redaction: the request log's
 * fields are ids, names, counts and durations (src/observability/request-log.ts), and
 * redaction was a fifth of its cost per request.
 */
export function unredactedLogger(component: string, to: pino.DestinationStream = destination, level = common.level): Logger {
  return pino({ ...common, level, base: { service: 'patchbay' } }, to).child({ component });
}

export function componentLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger.child({ component, ...bindings });
}

