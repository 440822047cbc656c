/**
 * Domain errors → GraphQL errors. Every error leaving the server carries `extensions.code`;
 * backend errors also carry backend, backendStatus and the backend's own message. Unexpected
 * errors are logged and shown without internals.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, PatchbayError } from '../domain/errors';
import { componentLogger } from '../log';

const log = componentLogger('graphql-errors');

export function toGraphQLError(err: PatchbayError, path?: ReadonlyArray<string | number>): GraphQLError {
  const extensions: Record<string, unknown> = { code: err.code };
  for (const [k, v] of Object.entries(err.details)) if (v !== undefined) extensions[k] = v;
  return new GraphQLError(err.message, { path, extensions });
}

/** Codes graphql-js/Apollo already attach to their own errors, kept as they are. */
const PASS_THROUGH_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  ...Object.values(ErrorCode),
]);

const OWN_CODES = new Set<string>(Object.values(ErrorCode));

function ownCode(original: unknown): string | null {
  for (let e: unknown = original, depth = 0; e instanceof GraphQLError && depth < 3; e = e.originalError, depth++) {
    const c = e.extensions?.code;
    if (
      typeof c === 'string' &&
      OWN_CODES.has(c) &&
      c !== ErrorCode.BAD_USER_INPUT &&
      c !== ErrorCode.INTERNAL_SERVER_ERROR
    )
      return c;
  }
  return null;
}

/**
 * One formatter for HTTP (Apollo formatError) and WebSocket (graphql-ws onNext/onError).
 * `original` is the error thrown in a resolver, when there was one.
 */
export function formatError(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError {
  const cause = original instanceof GraphQLError ? (original.originalError ?? original) : original;
  if (cause instanceof PatchbayError) {
    return toGraphQLError(cause, formatted.path).toJSON();
  }
  // Our validation rules (query limits) set their own code; Apollo's ValidationError wrapper
  // would otherwise report them all as GRAPHQL_VALIDATION_FAILED.
  const ours = ownCode(original);
  if (ours) {
    const { stacktrace: _drop, ...rest } = formatted.extensions ?? {};
    return { ...formatted, extensions: { ...rest, code: ours } };
  }
  const code = formatted.extensions?.code;
  // Apollo's own client errors without a code (a persisted query whose hash does not match)
  // carry a 4xx status, yet Apollo labels them INTERNAL_SERVER_ERROR.
  const status =
    original instanceof GraphQLError
      ? (original.extensions?.http as { status?: unknown } | undefined)?.status
      : undefined;
  if (code === ErrorCode.INTERNAL_SERVER_ERROR && typeof status === 'number' && status >= 400 && status < 500) {
    return { ...formatted, extensions: { code: 'BAD_REQUEST' } };
  }
  // Apollo labels anything unexpected INTERNAL_SERVER_ERROR: that one is not passed through (its
  // message would show internals, e.g. a database error), it ends below as "Internal server error".
  if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR && PASS_THROUGH_CODES.has(code)) {
    const { stacktrace: _drop, ...rest } = formatted.extensions ?? {};
    return { ...formatted, extensions: rest };
  }
  if (code === undefined && original instanceof GraphQLError && original.originalError && !original.path) {
    // A variable that does not coerce (graphql-js wraps the scalar's or enum's own error); over
    // HTTP Apollo labels these itself, over graphql-ws they arrive here.
    return { ...formatted, extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (original instanceof GraphQLError && !original.originalError && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    // Parse/validation errors from graphql-js without a code of their own.
    return { ...formatted, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
  }
  log.error(
    { err: cause instanceof Error ? { message: cause.message, stack: cause.stack } : cause, path: formatted.path },
    'unexpected error',
  );
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
