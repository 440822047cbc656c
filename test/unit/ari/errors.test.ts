import { ariHttpError, ariMessageOf, ariUnreachable, codeForAriStatus } from '../../../src/backends/ari/errors';
import { BackendError, ErrorCode } from '../../../src/domain/errors';

describe('ARI status → ErrorCode', () => {
  const table: Array<[number, string | undefined, ErrorCode]> = [
    [400, 'Endpoint must be specified', ErrorCode.BAD_USER_INPUT],
    [400, 'Direction is required', ErrorCode.BAD_USER_INPUT],
    [401, 'Authentication required', ErrorCode.BACKEND_AUTH_FAILED],
    [403, 'Access denied by ACL', ErrorCode.BACKEND_AUTH_FAILED],
    [403, 'Write access denied', ErrorCode.BACKEND_AUTH_FAILED],
    [403, 'Unsupported channel type', ErrorCode.UNSUPPORTED_OPERATION],
    [404, 'Channel not found', ErrorCode.NOT_FOUND],
    [404, 'Provided variable was not found', ErrorCode.NOT_FOUND],
    [404, 'RTP info not found', ErrorCode.NOT_FOUND],
    [404, 'Resource not found', ErrorCode.UNSUPPORTED_OPERATION],
    [405, 'Invalid method', ErrorCode.UNSUPPORTED_OPERATION],
    [409, 'Channel not in Stasis application', ErrorCode.CHANNEL_NOT_IN_APPLICATION],
    [409, 'Channel with given unique ID already exists', ErrorCode.CONFLICT],
    [409, "Recording 'x' already exists and can not be overwritten", ErrorCode.CONFLICT],
    [409, "Channel is not in the 'Down' state", ErrorCode.CHANNEL_STATE_INVALID],
    [409, 'Dialing a channel not created by ARI', ErrorCode.CHANNEL_STATE_INVALID],
    [409, 'Can only pause while media is playing', ErrorCode.CHANNEL_STATE_INVALID],
    [412, 'Channel in invalid state', ErrorCode.CHANNEL_STATE_INVALID],
    [413, 'Request body too large', ErrorCode.BAD_USER_INPUT],
    [422, 'specified format is unknown on this system', ErrorCode.UNSUPPORTED_FORMAT],
    [500, 'Allocation failed', ErrorCode.BACKEND_UNAVAILABLE],
    [500, 'Unable to read provided function', ErrorCode.BACKEND_UNAVAILABLE],
    [501, 'The encapsulation and/or transport is not supported', ErrorCode.UNSUPPORTED_OPERATION],
    [503, 'Asterisk not booted', ErrorCode.BACKEND_UNAVAILABLE],
    [502, undefined, ErrorCode.BACKEND_UNAVAILABLE],
  ];
  it.each(table)('%i %p → %s', (status, message, code) => {
    expect(codeForAriStatus(status, message)).toBe(code);
  });

  it('keeps status and ARI message verbatim and names the backend in plain words', () => {
    const e = ariHttpError({
      backend: 'pbx1',
      action: 'answer channel "c1"',
      status: 409,
      ariMessage: 'Channel not in Stasis application',
    });
    expect(e).toBeInstanceOf(BackendError);
    expect(e.code).toBe('CHANNEL_NOT_IN_APPLICATION');
    expect(e.backend).toBe('pbx1');
    expect(e.backendStatus).toBe(409);
    expect(e.backendMessage).toBe('Channel not in Stasis application');
    expect(e.message).toBe(
      'ARI backend "pbx1" could not answer channel "c1": the channel is not in the Stasis application (HTTP 409: Channel not in Stasis application)',
    );
    expect(e.details).toEqual({
      backend: 'pbx1',
      backendStatus: 409,
      backendMessage: 'Channel not in Stasis application',
    });
  });

  it('describes unreachable backends without a status', () => {
    const e = ariUnreachable('pbx1', 'list channels', 'connection refused');
    expect(e.code).toBe('BACKEND_UNAVAILABLE');
    expect(e.backendStatus).toBeUndefined();
    expect(e.message).toBe('ARI backend "pbx1" could not list channels: connection refused');
  });

  it('reads {"message"} and {"error"} bodies', () => {
    expect(ariMessageOf({ message: 'Channel not found' })).toBe('Channel not found');
    expect(ariMessageOf({ error: 'Allocation failed' })).toBe('Allocation failed');
    expect(ariMessageOf('<html>')).toBeUndefined();
    expect(ariMessageOf(undefined)).toBeUndefined();
  });
});
