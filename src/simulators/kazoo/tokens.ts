/**
 * JWT-shaped auth tokens (docs/wire/kazoo.md §2.3). Signed with a per-process HMAC key instead of
 * RS256: clients must treat tokens as opaque, so only the shape matters.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { base64url, fromBase64url, newId } from './wire';

export interface TokenClaims {
  account_id: string;
  owner_id?: string;
  method: 'cb_user_auth' | 'cb_api_auth';
  /** Unix seconds. */
  exp: number;
  iss: 'kazoo';
  identity_sig: string;
  /** Simulator generation: bumping it invalidates every earlier token. */
  gen: number;
}

export class TokenIssuer {
  private readonly key = randomBytes(32);
  private readonly kid = newId();
  private generation = 0;

  constructor(private ttlSeconds: number) {}

  issue(o: { accountId: string; ownerId?: string; method: TokenClaims['method'] }): {
    token: string;
    claims: TokenClaims;
  } {
    const claims: TokenClaims = {
      account_id: o.accountId,
      ...(o.ownerId ? { owner_id: o.ownerId } : {}),
      method: o.method,
      exp: Math.floor(Date.now() / 1000) + this.ttlSeconds,
      iss: 'kazoo',
      identity_sig: base64url(randomBytes(24)),
      gen: this.generation,
    };
    const head = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid }));
    const body = base64url(JSON.stringify(claims));
    const sig = base64url(createHmac('sha256', this.key).update(`${head}.${body}`).digest());
    return { token: `${head}.${body}.${sig}`, claims };
  }

  /** The claims of a valid, unexpired token; undefined for anything else. */
  verify(token: string | undefined): TokenClaims | undefined {
    if (!token) return undefined;
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = base64url(createHmac('sha256', this.key).update(`${parts[0]}.${parts[1]}`).digest());
    if (expected !== parts[2]) return undefined;
    let claims: TokenClaims;
    try {
      claims = JSON.parse(fromBase64url(parts[1]).toString('utf8')) as TokenClaims;
    } catch {
      return undefined;
    }
    if (claims.gen !== this.generation) return undefined;
    if (claims.exp <= Math.floor(Date.now() / 1000)) return undefined;
    return claims;
  }

  expireAll(): void {
    this.generation++;
  }

  setTtl(seconds: number): void {
    this.ttlSeconds = seconds;
  }
}
