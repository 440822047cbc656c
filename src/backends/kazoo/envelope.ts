/**
 * Crossbar envelopes → results or BackendErrors (docs/wire/kazoo.md §1.3/§1.4, DESIGN.md errors).
 * KAZOO's own words are kept verbatim in backendMessage; field messages of validation errors
 * are kept in details.validation.
 */
import { BackendError, ErrorCode } from '../../domain/errors';
import type { CrossbarEnvelope, ValidationErrors } from './wire';

export interface ValidationIssue {
  /** Property path as KAZOO gives it ("target", "a.b"). */
  field: string;
  /** The failed rule ("required", "enum", "minLength", ...). */
  rule: string;
  message: string;
}

export function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 413 || status === 415) return ErrorCode.BAD_USER_INPUT;
  if (status === 401 || status === 403 || status === 423) return ErrorCode.BACKEND_AUTH_FAILED;
  if (status === 404 || status === 410) return ErrorCode.NOT_FOUND;
  if (status === 409) return ErrorCode.CONFLICT;
  if (status === 429) return ErrorCode.RATE_LIMITED;
  if (status === 402) return ErrorCode.FORBIDDEN;
  if (status >= 500) return ErrorCode.BACKEND_UNAVAILABLE;
  return ErrorCode.INTERNAL_SERVER_ERROR;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Reads `{field: {rule: {message}}}`; anything that is not that shape yields no issues (system
 * errors carry `{message: "..."}` in data, which is not a field map).
 */
export function parseValidationErrors(data: unknown): ValidationIssue[] {
  if (!isObject(data)) return [];
  const issues: ValidationIssue[] = [];
  for (const [field, rules] of Object.entries(data as ValidationErrors)) {
    if (!isObject(rules)) continue;
    for (const [rule, failure] of Object.entries(rules)) {
      if (!isObject(failure)) continue;
      const message = typeof failure.message === 'string' ? failure.message : rule;
      issues.push({ field, rule, message });
    }
  }
  return issues;
}

/** Keeps text only: some 404 bodies echo the identifier (an API key for api_auth) in `data`. */
function dataMessage(data: unknown): string | undefined {
  if (isObject(data) && typeof data.message === 'string') return data.message;
  return undefined;
}

export interface ErrorContext {
  backend: string;
  method: string;
  /** Path without query string or credentials. */
  path: string;
}

/** Builds the BackendError for a non-2xx Crossbar answer (body already parsed, or undefined). */
export function errorFromResponse(ctx: ErrorContext, status: number, body: unknown): BackendError {
  const env: CrossbarEnvelope = isObject(body) ? (body as CrossbarEnvelope) : {};
  const code = codeForStatus(status);
  const backendMessage = typeof env.message === 'string' ? env.message : dataMessage(env.data);
  const details: Record<string, unknown> = {};
  const detail = dataMessage(env.data);
  if (detail !== undefined && detail !== backendMessage) details.backendDetail = detail;
  let text = backendMessage ?? `HTTP ${status}`;
  if (status === 400 || env.message === 'validation error') {
    const issues = parseValidationErrors(env.data);
    if (issues.length > 0) {
      details.validation = issues;
      text = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    }
  }
  return new BackendError(
    code,
    `KAZOO ${ctx.method} ${ctx.path} failed (${status}): ${text}`,
    ctx.backend,
    status,
    backendMessage,
    details,
  );
}

/** The backend never answered (refused, reset, timeout) or answered garbage. */
export function unavailable(ctx: ErrorContext, reason: string, status?: number): BackendError {
  return new BackendError(
    ErrorCode.BACKEND_UNAVAILABLE,
    `KAZOO ${ctx.method} ${ctx.path} failed: ${reason}`,
    ctx.backend,
    status,
    undefined,
  );
}
