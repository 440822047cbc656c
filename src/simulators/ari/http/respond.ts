/** What a handler returns; the server turns it into bytes with Asterisk's headers. */
export interface AriResult {
  status: number;
  reason?: string;
  /** JSON-serialisable body; undefined means no body (204). */
  body?: unknown;
  /** Pre-serialised JSON body (api-docs). */
  rawJson?: string;
  headers?: Record<string, string>;
}

const DEFAULT_REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  422: 'Unprocessable Entity',
  426: 'Upgrade Required',
  500: 'Internal Server Error',
  501: 'Not Implemented',
};

export function reasonFor(status: number): string {
  return DEFAULT_REASONS[status] ?? 'Unknown';
}

export function ok(body: unknown): AriResult {
  return { status: 200, body };
}

export function noContent(): AriResult {
  return { status: 204 };
}

export function created(location: string, body: unknown): AriResult {
  return { status: 201, body, headers: { Location: `/ari${location}` } };
}

export function err(status: number, message: string, reason?: string): AriResult {
  return { status, reason: reason ?? reasonFor(status), body: { message } };
}

/** `ast_ari_response_alloc_failed`: the one error with a different body shape. */
export function allocFailed(): AriResult {
  return { status: 500, reason: 'Internal Server Error', body: { error: 'Allocation failed' } };
}

/** Errors from the HTTP core (outside ARI routing) are HTML pages (`ast_http_error`). */
export function htmlError(
  status: number,
  title: string,
  text: string,
): { status: number; title: string; html: string } {
  const html =
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n' +
    `<html><head>\r\n<title>${status} ${title}</title>\r\n</head><body>\r\n` +
    `<h1>${title}</h1>\r\n<p>${text}</p>\r\n<hr />\r\n<address>Asterisk Server</address>\r\n</body></html>\r\n`;
  return { status, title, html };
}
