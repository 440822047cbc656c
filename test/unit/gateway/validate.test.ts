import { ErrorCode, PatchbayError } from '../../../src/domain/errors';
import { parseGlobalId, toGlobalId } from '../../../src/domain/ids';
import {
  checkDtmf,
  checkEndpoint,
  checkHostPort,
  checkMedia,
  checkNativeId,
  checkOriginateTarget,
  checkRecordingName,
  toVariables,
} from '../../../src/graphql/validate';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof PatchbayError ? e.code : 'OTHER';
  }
  return undefined;
}

describe('argument validation', () => {
  it('global ids split at the first colon', () => {
    expect(parseGlobalId('pbx1:1700000000.1')).toEqual({ backend: 'pbx1', nativeId: '1700000000.1' });
    expect(parseGlobalId('k:a:b')).toEqual({ backend: 'k', nativeId: 'a:b' });
    expect(toGlobalId('pbx1', 'x')).toBe('pbx1:x');
    for (const bad of ['', 'nocolon', ':x', 'pbx1:'])
      expect(codeOf(() => parseGlobalId(bad))).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it('endpoints need tech/resource', () => {
    expect(codeOf(() => checkEndpoint('PJSIP/alice'))).toBeUndefined();
    expect(codeOf(() => checkEndpoint('Local/wait@ari-test'))).toBeUndefined();
    for (const bad of ['alice', '/alice', 'PJSIP/', 'PJSIP/ x', ''])
      expect(codeOf(() => checkEndpoint(bad))).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it('DTMF alphabet', () => {
    expect(codeOf(() => checkDtmf('0123456789ABCDabcd*#wW'))).toBeUndefined();
    for (const bad of ['', 'E', '12x', '1 2']) expect(codeOf(() => checkDtmf(bad))).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it('app is exclusive with the dialplan target, and one of them is required', () => {
    expect(codeOf(() => checkOriginateTarget({ app: 'patchbay' }))).toBeUndefined();
    expect(codeOf(() => checkOriginateTarget({ extension: 'echo', context: 'ari-test', priority: 1 }))).toBeUndefined();
    expect(codeOf(() => checkOriginateTarget({ app: 'a', extension: 'e' }))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => checkOriginateTarget({ app: 'a', label: 'l' }))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => checkOriginateTarget({ context: 'ari-test' }))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => checkOriginateTarget({ extension: 'e', appArgs: 'x' }))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => checkOriginateTarget({ extension: 'e', priority: 0 }))).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it('native ids, media, recording names, host:port', () => {
    expect(codeOf(() => checkNativeId('x'.repeat(149), 'channelId'))).toBeUndefined();
    expect(codeOf(() => checkNativeId('x'.repeat(150), 'channelId'))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => checkMedia(['sound:hello-world', 'tone:ring']))).toBeUndefined();
    for (const bad of [[], ['hello'], ['bogus:thing'], ['sound:']])
      expect(codeOf(() => checkMedia(bad))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => checkRecordingName('calls/today/one'))).toBeUndefined();
    for (const bad of ['', '../x', '/abs', 'a/../../b'])
      expect(codeOf(() => checkRecordingName(bad))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => checkHostPort('127.0.0.1:4000', 'h'))).toBeUndefined();
    expect(codeOf(() => checkHostPort('[::1]:4000', 'h'))).toBeUndefined();
    for (const bad of ['host', 'h:0', 'h:70000', ':1'])
      expect(codeOf(() => checkHostPort(bad, 'h'))).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it('variables: names trimmed, duplicates refused, report_events kept', () => {
    expect(
      toVariables([
        { name: ' A ', value: '1' },
        { name: 'B', value: '2', reportEvents: true },
      ]),
    ).toEqual({ A: '1', B: { value: '2', reportEvents: true } });
    expect(
      codeOf(() =>
        toVariables([
          { name: 'A', value: '1' },
          { name: 'A', value: '2' },
        ]),
      ),
    ).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => toVariables([{ name: ' ', value: '1' }]))).toBe(ErrorCode.BAD_USER_INPUT);
  });
});
