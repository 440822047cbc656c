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

export const rootLogger: Logger = pino({
  level: defaultLevel(),
  base: { service: 'patchbay' },
  timestamp: pino.stdTimeFunctions.isoTime,
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
});

export function componentLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger.child({ component, ...bindings });
}
