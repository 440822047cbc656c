/**
 * The error vocabulary of patchbay. Backends throw these; the GraphQL layer turns them into
 * GraphQL errors with `extensions.code` (src/graphql/errors.ts). Nothing here knows GraphQL.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CHANNEL_NOT_IN_APPLICATION: 'CHANNEL_NOT_IN_APPLICATION',
  CONFLICT: 'CONFLICT',
  CHANNEL_STATE_INVALID: 'CHANNEL_STATE_INVALID',
  UNSUPPORTED_FORMAT: 'UNSUPPORTED_FORMAT',
  /** The backend kind has no such action (e.g. KAZOO has no `answer`). Refused before any call. */
  UNSUPPORTED_OPERATION: 'UNSUPPORTED_OPERATION',
  BACKEND_AUTH_FAILED: 'BACKEND_AUTH_FAILED',
  BACKEND_UNAVAILABLE: 'BACKEND_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class PatchbayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra, safe-to-show fields that end up in `extensions` (never secrets). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PatchbayError';
  }
}

/** Invalid argument, detected before any backend call. */
export function badInput(message: string, details: Record<string, unknown> = {}): PatchbayError {
  return new PatchbayError(ErrorCode.BAD_USER_INPUT, message, details);
}

/** A failure reported by (or while reaching) a backend; keeps the backend's status and message. */
export class BackendError extends PatchbayError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly backend: string,
    /** HTTP status the backend answered with; undefined when it never answered (timeout, refused). */
    readonly backendStatus: number | undefined,
    /** The backend's own error text, verbatim (ARI `message`/`error`, KAZOO `message`/`error`). */
    readonly backendMessage: string | undefined,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, { ...details, backend, backendStatus, backendMessage });
    this.name = 'BackendError';
  }
}
