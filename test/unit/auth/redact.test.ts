import { redactArguments } from '../../../src/auth/audit';

describe('redactArguments', () => {
  it('replaces secret values at any depth, matching key names case-insensitively', () => {
    const input = {
      id: 'pbx1:123',
      Password: 'p1',
      input: {
        apiKey: 'k',
        APIKEY: 'k2',
        nested: [{ token: 't', Authorization: 'Bearer x', keep: 1 }],
        credentials: { username: 'u', password: 'p' },
        key: 'pbk_abc_secret',
        secret: { deep: true },
      },
      keyId: 'abcdefgh23',
      monkey: 'not a secret',
    };
    expect(redactArguments(input)).toEqual({
      id: 'pbx1:123',
      Password: '[redacted]',
      input: {
        apiKey: '[redacted]',
        APIKEY: '[redacted]',
        nested: [{ token: '[redacted]', Authorization: '[redacted]', keep: 1 }],
        credentials: '[redacted]',
        key: '[redacted]',
        secret: '[redacted]',
      },
      keyId: 'abcdefgh23',
      monkey: 'not a secret',
    });
    // The input is left alone.
    expect(input.input.apiKey).toBe('k');
  });

  it('returns plain JSON: dates as ISO, bigints as strings, undefined dropped, cycles cut', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const shared = { a: 1 };
    expect(
      redactArguments({
        at: new Date('2026-11-23T10:00:00Z'),
        n: 10n,
        gone: undefined,
        fn: () => 1,
        nan: Number.NaN,
        list: [undefined, 2],
        cyclic,
        twice: [shared, shared],
      }),
    ).toEqual({
      at: '2026-11-23T10:00:00.000Z',
      n: '10',
      nan: null,
      list: [null, 2],
      cyclic: { name: 'loop', self: '[circular]' },
      twice: [{ a: 1 }, { a: 1 }],
    });
    expect(redactArguments(undefined)).toBeNull();
    expect(redactArguments('plain')).toBe('plain');
  });
});
