/**
 * Why a request or operation is refused before execution, written once and shaped per
 * transport: HTTP sends `status` with `{ errors: [...] }` and `headers`; graphql-ws sends the
 * same error in an `error` message (see src/api/policy.ts for where each is decided).
 */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../domain/errors';

export interface Refusal {
  /** The HTTP status (graphql-ws has none: the error goes in an `error` message). */
  status: number;
  code: string;
  message: string;
  /** Extensions beside `code` (e.g. retryAfterSeconds). */
  extensions?: Record<string, unknown>;
  /** HTTP headers that go with it (WWW-Authenticate, Retry-After, Allow). */
  headers?: Record<string, string>;
}

export const refuse = {
  missingKey: (): Refusal => ({
    status: 401,
    code: ErrorCode.UNAUTHENTICATED,
    message: 'an API key is required: send "Authorization: Bearer <key>"',
    headers: { 'www-authenticate': 'Bearer' },
  }),
  malformedKey: (): Refusal => ({
    status: 401,
    code: ErrorCode.UNAUTHENTICATED,
    message: 'Authorization must be "Bearer <key>"',
    headers: { 'www-authenticate': 'Bearer' },
  }),
  unknownKey: (): Refusal => ({
    status: 401,
    code: ErrorCode.UNAUTHENTICATED,
    message: 'the API key is unknown, revoked or expired',
    headers: { 'www-authenticate': 'Bearer' },
  }),
  rateLimited: (retryAfterSeconds: number): Refusal => ({
    status: 429,
    code: ErrorCode.RATE_LIMITED,
    message: `rate limit exceeded; retry after ${retryAfterSeconds} s`,
    extensions: { retryAfterSeconds },
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  tooManyOperations: (max: number): Refusal => ({
    status: 429,
    code: ErrorCode.RATE_LIMITED,
    message: `at most ${max} operations per connection`,
  }),
  tooManyConnections: (max: number): Refusal => ({
    status: 429,
    code: ErrorCode.RATE_LIMITED,
    message: `at most ${max} connections per API key`,
  }),
  nestedTooDeep: (max: number): Refusal => ({
    status: 400,
    code: ErrorCode.QUERY_TOO_COMPLEX,
    message: `the document is nested more than ${max} levels deep`,
  }),
  badRequest: (message: string, status = 400, headers?: Record<string, string>): Refusal => ({
    status,
    code: 'BAD_REQUEST',
    message,
    headers,
  }),
  forbiddenOrigin: (origin: string): Refusal => ({
    status: 403,
    code: ErrorCode.FORBIDDEN,
    message: `origin ${origin} is not allowed (config cors.origins)`,
  }),
  notFound: (message: string): Refusal => ({ status: 404, code: ErrorCode.NOT_FOUND, message }),
  internal: (): Refusal => ({ status: 500, code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error' }),
  shuttingDown: (): Refusal => ({
    status: 503,
    code: 'SHUTTING_DOWN',
    message: 'the gateway is shutting down; reconnect to another instance',
  }),
};

/** The GraphQL response body of a refusal. */
export function refusalBody(r: Refusal): { errors: Array<{ message: string; extensions: Record<string, unknown> }> } {
  return { errors: [{ message: r.message, extensions: { code: r.code, ...r.extensions } }] };
}

/** The refusal as one GraphQL error (graphql-ws `error` message). */
export function refusalError(r: Refusal): GraphQLError {
  return new GraphQLError(r.message, { extensions: { code: r.code, ...r.extensions } });
}
