/**
 * Crossbar response envelopes and the error families of docs/wire/kazoo.md §1.3–§1.4: system errors
 * (`message` = atom name, `data.message` = text), explicit responses (`message` = text) and
 * validation errors (`{field:{rule:{message}}}`, HTTP 400). `error` is the status as a string.
 */
import { KAZOO_VERSION, isoSeconds } from '../wire';

export interface Paging {
  page_size: number;
  start_key?: string;
  next_start_key?: string;
}

/** What a route handler returns on success. */
export interface Ok {
  data: unknown;
  /** HTTP status; default from the method (PUT 201, else 200). */
  status?: number;
  /** Document `_rev`; lists get an md5 of the body instead. */
  revision?: string;
  paging?: Paging;
  /** A freshly minted token (user_auth / api_auth) goes in the envelope. */
  authToken?: string;
}

export class CrossbarError extends Error {
  constructor(
    readonly status: number,
    readonly kazooMessage: string,
    readonly data: unknown = {},
  ) {
    super(`${status} ${kazooMessage}`);
  }
}

export type ValidationErrors = Record<string, Record<string, Record<string, unknown>>>;

export const errors = {
  invalidCredentials: () => new CrossbarError(401, 'invalid_credentials', { message: 'invalid credentials' }),
  forbidden: () => new CrossbarError(403, 'forbidden', { message: 'forbidden' }),
  notFound: () => new CrossbarError(404, 'not_found', { message: 'not found' }),
  /** crossbar_util:response_bad_identifier/2: data is a JSON array holding the id. */
  badIdentifier: (id: string) => new CrossbarError(404, 'bad identifier', [id]),
  invalidMethod: () => new CrossbarError(405, 'invalid_method', { message: 'method not allowed' }),
  validation: (data: ValidationErrors) => new CrossbarError(400, 'validation error', data),
  invalidData: () => new CrossbarError(400, 'invalid data', {}),
  datastoreTimeout: () => new CrossbarError(503, 'datastore timeout', {}),
  faultyRequest: (message: string) => new CrossbarError(404, 'faulty_request', { message }),
  server: (message: string) => new CrossbarError(500, message, {}),
  gone: () => new CrossbarError(410, 'gone', { message: 'API version 1 is not supported, please use v2' }),
};

export function requiredError(field: string, message = 'Field is required but missing'): CrossbarError {
  return errors.validation({ [field]: { required: { message } } });
}

export interface EnvelopeCommon {
  node: string;
  requestId: string;
  /** The token the request carried (or undefined). */
  authToken?: string;
}

export function successBody(c: EnvelopeCommon, ok: Ok, revision: string | undefined): Record<string, unknown> {
  const token = ok.authToken ?? c.authToken;
  const body: Record<string, unknown> = {};
  if (token) body.auth_token = token;
  body.data = ok.data;
  body.node = c.node;
  if (ok.paging) {
    body.page_size = ok.paging.page_size;
    if (ok.paging.start_key !== undefined) body.start_key = ok.paging.start_key;
    if (ok.paging.next_start_key !== undefined) body.next_start_key = ok.paging.next_start_key;
  }
  body.request_id = c.requestId;
  if (revision) body.revision = revision;
  body.status = 'success';
  body.timestamp = isoSeconds();
  body.version = KAZOO_VERSION;
  return body;
}

/** [4.3] error envelope: `auth_token` is kz_term:to_binary(undefined) when none was sent. */
export function errorBody(c: EnvelopeCommon, e: CrossbarError): Record<string, unknown> {
  return {
    auth_token: c.authToken ?? 'undefined',
    data: e.data,
    error: String(e.status),
    message: e.kazooMessage,
    node: c.node,
    request_id: c.requestId,
    status: 'error',
    timestamp: isoSeconds(),
    version: KAZOO_VERSION,
  };
}

export const CORS_ALLOW_HEADERS =
  'content-type, depth, user-agent, x-http-method-override, x-file-size, x-requested-with, if-modified-since, x-file-name, cache-control, x-auth-token, x-kazoo-cluster-id, if-match';
export const CORS_EXPOSE_HEADERS = 'content-type, x-auth-token, x-request-id, x-kazoo-cluster-id, location, etag, etag';

export function corsHeaders(allowedMethods: string[]): Record<string, string> {
  const methods = [...new Set([...allowedMethods, 'OPTIONS'])];
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': methods.join(', '),
    'access-control-allow-headers': CORS_ALLOW_HEADERS,
    'access-control-expose-headers': CORS_EXPOSE_HEADERS,
    'access-control-max-age': '86400',
  };
}
