import {
  basicAuth,
  buildQuery,
  encodeComponent,
  pathSegment,
  toWireVariables,
} from '../../../src/backends/ari/encoding';

describe('ARI query and path encoding', () => {
  it('sends a literal + as %2B (Asterisk decodes + as space)', () => {
    expect(buildQuery({ callerId: '+4930123456' })).toBe('?callerId=%2B4930123456');
  });

  it('encodes spaces as %20, never +', () => {
    expect(buildQuery({ callerId: '"Alice Smith" <1001>' })).toBe('?callerId=%22Alice%20Smith%22%20%3C1001%3E');
  });

  it('percent-encodes unicode as UTF-8', () => {
    expect(buildQuery({ value: 'Jürgen ☎' })).toBe('?value=J%C3%BCrgen%20%E2%98%8E');
  });

  it('encodes commas and parentheses inside a function name', () => {
    expect(buildQuery({ variable: 'CHANNEL(pjsip,call-id)' })).toBe('?variable=CHANNEL%28pjsip%2Ccall-id%29');
  });

  it('joins multi-values with literal commas, each item encoded on its own', () => {
    expect(buildQuery({ variables: ['CALLERID(name)', 'CHANNEL(pjsip,call-id)', 'FOO'] })).toBe(
      '?variables=CALLERID%28name%29,CHANNEL%28pjsip%2Ccall-id%29,FOO',
    );
    expect(buildQuery({ media: ['sound:hello-world', 'digits:12+3'] })).toBe(
      '?media=sound%3Ahello-world,digits%3A12%2B3',
    );
  });

  it('skips undefined, keeps order, prints numbers and booleans', () => {
    expect(buildQuery({ dtmf: '1#*', before: undefined, between: 100, beep: false, report_events: true })).toBe(
      '?dtmf=1%23%2A&between=100&beep=false&report_events=true',
    );
    expect(buildQuery({})).toBe('');
    expect(buildQuery(undefined)).toBe('');
  });

  it('encodes & and = so they cannot split parameters', () => {
    expect(buildQuery({ appArgs: 'a=1&b=2' })).toBe('?appArgs=a%3D1%26b%3D2');
  });

  it('encodes / ; and space in path segments', () => {
    expect(pathSegment('Local/100@default-00000001;2')).toBe('Local%2F100%40default-00000001%3B2');
    expect(pathSegment('1700000000.12')).toBe('1700000000.12');
    expect(pathSegment('a b')).toBe('a%20b');
  });

  it("encodes RFC 3986 sub-delims encodeURIComponent leaves bare (! ' ( ) *)", () => {
    expect(encodeComponent("!'()*")).toBe('%21%27%28%29%2A');
    expect(encodeComponent('A-z_0.9~')).toBe('A-z_0.9~');
  });

  it('turns domain variables into the wire body, report_events only where set', () => {
    expect(
      toWireVariables({
        'CALLERID(name)': 'Alice',
        PLAIN: { value: 'x' },
        REPORTED: { value: 'y', reportEvents: true },
        UNREPORTED: { value: 'z', reportEvents: false },
      }),
    ).toEqual({
      'CALLERID(name)': 'Alice',
      PLAIN: 'x',
      REPORTED: { value: 'y', report_events: true },
      UNREPORTED: { value: 'z', report_events: false },
    });
  });

  it('builds the Basic header from user:pass', () => {
    expect(basicAuth('asterisk', 'sec:ret')).toBe(`Basic ${Buffer.from('asterisk:sec:ret').toString('base64')}`);
  });
});
