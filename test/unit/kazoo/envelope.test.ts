import { BackendError, ErrorCode } from '../../../src/domain/errors';
import {
  codeForStatus,
  errorFromResponse,
  parseValidationErrors,
  unavailable,
} from '../../../src/backends/kazoo/envelope';

const ctx = { backend: 'kz1', method: 'POST', path: '/accounts/a/channels/c' };

describe('codeForStatus', () => {
  it.each([
    [400, ErrorCode.BAD_USER_INPUT],
    [401, ErrorCode.BACKEND_AUTH_FAILED],
    [403, ErrorCode.BACKEND_AUTH_FAILED],
    [404, ErrorCode.NOT_FOUND],
    [409, ErrorCode.CONFLICT],
    [429, ErrorCode.RATE_LIMITED],
    [500, ErrorCode.BACKEND_UNAVAILABLE],
    [503, ErrorCode.BACKEND_UNAVAILABLE],
  ])('%i → %s', (status, code) => {
    expect(codeForStatus(status)).toBe(code);
  });
});

describe('parseValidationErrors', () => {
  it('reads {field:{rule:{message}}} including several fields and rules', () => {
    expect(
      parseValidationErrors({
        target: { required: { message: 'No target destination specified' } },
        'a.b': {
          minLength: { message: 'String must be at least 1 characters', target: 1 },
          type: { message: 'Value did not match type(s): string' },
        },
      }),
    ).toEqual([
      { field: 'target', rule: 'required', message: 'No target destination specified' },
      { field: 'a.b', rule: 'minLength', message: 'String must be at least 1 characters' },
      { field: 'a.b', rule: 'type', message: 'Value did not match type(s): string' },
    ]);
  });

  it('yields nothing for system-error data, arrays and strings', () => {
    expect(parseValidationErrors({ message: 'invalid credentials' })).toEqual([]);
    expect(parseValidationErrors(['abc'])).toEqual([]);
    expect(parseValidationErrors('transfer initiated')).toEqual([]);
    expect(parseValidationErrors(undefined)).toEqual([]);
  });
});

describe('errorFromResponse', () => {
  it('400 validation → BAD_USER_INPUT with the field messages and KAZOO message verbatim', () => {
    const e = errorFromResponse(ctx, 400, {
      data: { other_leg_call_id: { required: { message: 'Channel is not bridged' } } },
      error: '400',
      message: 'validation error',
      status: 'error',
    });
    expect(e).toBeInstanceOf(BackendError);
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.backend).toBe('kz1');
    expect(e.backendStatus).toBe(400);
    expect(e.backendMessage).toBe('validation error');
    expect(e.details.validation).toEqual([
      { field: 'other_leg_call_id', rule: 'required', message: 'Channel is not bridged' },
    ]);
    expect(e.message).toBe('KAZOO POST /accounts/a/channels/c failed (400): other_leg_call_id: Channel is not bridged');
  });

  it('401 system error keeps the atom as backendMessage and the human text as detail', () => {
    const e = errorFromResponse(ctx, 401, {
      data: { message: 'invalid credentials' },
      error: '401',
      message: 'invalid_credentials',
      status: 'error',
    });
    expect(e.code).toBe('BACKEND_AUTH_FAILED');
    expect(e.backendMessage).toBe('invalid_credentials');
    expect(e.details.backendDetail).toBe('invalid credentials');
  });

  it('404 with data as an array does not echo the identifier (it may be an api key)', () => {
    const secret = 'k'.repeat(64);
    const e = errorFromResponse({ ...ctx, method: 'PUT', path: '/api_auth' }, 404, {
      data: [secret],
      error: '404',
      message: 'bad identifier',
      status: 'error',
    });
    expect(e.code).toBe('NOT_FOUND');
    expect(e.backendMessage).toBe('bad identifier');
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(secret);
  });

  it('409 → CONFLICT; 503 datastore timeout → BACKEND_UNAVAILABLE', () => {
    expect(errorFromResponse(ctx, 409, { message: 'conflicting documents', error: '409', data: {} }).code).toBe(
      'CONFLICT',
    );
    const e = errorFromResponse(ctx, 503, { message: 'datastore timeout', error: '503', data: {} });
    expect(e.code).toBe('BACKEND_UNAVAILABLE');
    expect(e.backendMessage).toBe('datastore timeout');
  });

  it('non-JSON body → HTTP status in the message, no backendMessage', () => {
    const e = errorFromResponse(ctx, 502, undefined);
    expect(e.code).toBe('BACKEND_UNAVAILABLE');
    expect(e.backendMessage).toBeUndefined();
    expect(e.message).toContain('(502): HTTP 502');
  });

  it('unavailable() has no backend status unless given', () => {
    const e = unavailable(ctx, 'connection refused');
    expect(e.code).toBe('BACKEND_UNAVAILABLE');
    expect(e.backendStatus).toBeUndefined();
    expect(e.message).toBe('KAZOO POST /accounts/a/channels/c failed: connection refused');
  });
});
