import {
  decodeJwtClaims,
  DEFAULT_TOKEN_LIFETIME_MS,
  md5Credentials,
  tokenExpiresAt,
  tokenRefreshAt,
} from '../../../src/backends/kazoo/token';

function jwt(claims: Record<string, unknown>): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b(claims)}.c2ln`;
}

describe('md5Credentials', () => {
  it('is md5 of "username:password"', () => {
    expect(md5Credentials('alice', 'Secret1')).toBe('f8c12b1e983d177dbe72e32bd384c791');
  });
  it('lower-cases the username but not the password', () => {
    expect(md5Credentials('Alice', 'Secret1')).toBe('f8c12b1e983d177dbe72e32bd384c791');
    expect(md5Credentials('alice', 'secret1')).not.toBe('f8c12b1e983d177dbe72e32bd384c791');
  });
});

describe('decodeJwtClaims', () => {
  it('reads the claims of a JWT', () => {
    expect(decodeJwtClaims(jwt({ account_id: 'a'.repeat(32), exp: 1700000000, method: 'cb_api_auth' }))).toEqual({
      account_id: 'a'.repeat(32),
      exp: 1700000000,
      method: 'cb_api_auth',
    });
  });
  it('returns null for 3.x hex tokens and garbage', () => {
    expect(decodeJwtClaims('0123456789abcdef0123456789abcdef')).toBeNull();
    expect(decodeJwtClaims('a.b.c')).toBeNull();
    expect(decodeJwtClaims(`x.${Buffer.from('[1]').toString('base64url')}.y`)).toBeNull();
  });
});

describe('token expiry maths', () => {
  it('renews a margin before exp', () => {
    expect(tokenRefreshAt(3_600_000, 0, 60_000)).toBe(3_540_000);
  });
  it('never renews more than half the lifetime early', () => {
    expect(tokenRefreshAt(1_000 + 10_000, 1_000, 60_000)).toBe(6_000);
  });
  it('an already-expired token is due at once', () => {
    expect(tokenRefreshAt(500, 1_000, 60_000)).toBe(500);
  });
  it('exp is unix seconds in the token', () => {
    expect(tokenExpiresAt(jwt({ exp: 1_700_000_000 }), 5)).toBe(1_700_000_000_000);
  });
  it('without a readable exp, KAZOO default lifetime from acquisition', () => {
    expect(tokenExpiresAt('0123456789abcdef0123456789abcdef', 1_000)).toBe(1_000 + DEFAULT_TOKEN_LIFETIME_MS);
  });
});
