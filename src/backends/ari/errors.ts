/**
 * ARI failures → BackendError (DESIGN.md "Errors"). The backend's status and its own message are
 * kept verbatim; our `message` says in plain words what failed and names the backend.
 * Never put credentials, headers or full URLs with userinfo in here.
 */
import { BackendError, ErrorCode } from '../../domain/errors';

export interface AriFailure {
  backend: string;
  /** What we were doing, e.g. `answer channel "1700000000.12"`. */
  action: string;
  status: number;
  /** ARI `{"message"}` or `{"error"}` text, or undefined when the body had neither. */
  ariMessage: string | undefined;
}

/** Decides the code from status + ARI's message text (the text matters for 403/404/409). */
export function codeForAriStatus(status: number, ariMessage: string | undefined): ErrorCode {
  const msg = ariMessage ?? '';
  switch (status) {
    case 400:
    case 413: // "Request body too large": what we sent is at fault
      return ErrorCode.BAD_USER_INPUT;
    case 401:
      return ErrorCode.BACKEND_AUTH_FAILED;
    case 403:
      // rtp_statistics on a channel without RTP answers 403 too (undocumented, docs/wire/ari.md §2.3);
      // that is about the channel, not about our credentials.
      return msg === 'Unsupported channel type' ? ErrorCode.UNSUPPORTED_OPERATION : ErrorCode.BACKEND_AUTH_FAILED;
    case 404:
      // Routing's own 404: the path is unknown to this Asterisk (e.g. getChannelVars on
      // branch 21), not a missing channel.
      return msg === 'Resource not found' ? ErrorCode.UNSUPPORTED_OPERATION : ErrorCode.NOT_FOUND;
    case 405:
      return ErrorCode.UNSUPPORTED_OPERATION;
    case 409:
      if (msg === 'Channel not in Stasis application') return ErrorCode.CHANNEL_NOT_IN_APPLICATION;
      if (/already exists/i.test(msg)) return ErrorCode.CONFLICT;
      // "Channel is not in the 'Down' state", "Dialing a channel not created by ARI",
      // "Can only <op> while media is playing": the object is in the wrong state for this.
      return ErrorCode.CHANNEL_STATE_INVALID;
    case 412:
      return ErrorCode.CHANNEL_STATE_INVALID;
    case 422:
      return ErrorCode.UNSUPPORTED_FORMAT;
    case 501:
      // externalMedia "The encapsulation and/or transport is not supported": the server is up.
      return ErrorCode.UNSUPPORTED_OPERATION;
    default:
      if (status >= 500) return ErrorCode.BACKEND_UNAVAILABLE;
      return ErrorCode.BAD_USER_INPUT;
  }
}

const PLAIN: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.BAD_USER_INPUT]: 'the request was rejected as invalid',
  [ErrorCode.NOT_FOUND]: 'it does not exist',
  [ErrorCode.CHANNEL_NOT_IN_APPLICATION]: 'the channel is not in the Stasis application',
  [ErrorCode.CONFLICT]: 'the id is already in use',
  [ErrorCode.CHANNEL_STATE_INVALID]: 'the channel is not in a state that allows it',
  [ErrorCode.UNSUPPORTED_FORMAT]: 'the format or endpoint is not acceptable',
  [ErrorCode.UNSUPPORTED_OPERATION]: 'the backend does not support it here',
  [ErrorCode.BACKEND_AUTH_FAILED]: 'the backend refused our credentials or access',
  [ErrorCode.BACKEND_UNAVAILABLE]: 'the backend failed internally',
};

export function ariHttpError(f: AriFailure): BackendError {
  const code = codeForAriStatus(f.status, f.ariMessage);
  const said = f.ariMessage ? `: ${f.ariMessage}` : '';
  const message = `ARI backend "${f.backend}" could not ${f.action}: ${PLAIN[code] ?? 'it failed'} (HTTP ${f.status}${said})`;
  return new BackendError(code, message, f.backend, f.status, f.ariMessage);
}

/** Never answered: refused, reset, DNS, timeout. No status, no ARI message. */
export function ariUnreachable(backend: string, action: string, reason: string): BackendError {
  return new BackendError(
    ErrorCode.BACKEND_UNAVAILABLE,
    `ARI backend "${backend}" could not ${action}: ${reason}`,
    backend,
    undefined,
    undefined,
  );
}

/** Pulls ARI's text out of an error body: `{"message": ...}` normally, `{"error": ...}` on alloc failures. */
export function ariMessageOf(body: unknown): string | undefined {
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    if (typeof o.message === 'string') return o.message;
    if (typeof o.error === 'string') return o.error;
  }
  return undefined;
}
