/**
 * Crossbar auth token: acquired with PUT /v2/api_auth (api key) or PUT /v2/user_auth
 * (md5 credentials), reused until shortly before its `exp` (JWT claim, unix seconds;
 * docs/wire/kazoo.md §2.3), shared by concurrent callers through one in-flight acquisition.
 */
import { createHash } from 'node:crypto';
import type { KazooCredentials } from '../../config';
import { BackendError, ErrorCode } from '../../domain/errors';
import { componentLogger } from '../../log';
import type { CallContext } from '../types';
import { errorFromResponse, unavailable, type ErrorContext } from './envelope';
import type { Transport } from './transport';
import type { TokenClaims } from './wire';

/** KAZOO's default token_auth_expiry_s; used when the token carries no readable `exp`. */
export const DEFAULT_TOKEN_LIFETIME_MS = 3_600_000;
export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

/** user_auth credentials: md5 of "username:password" with the username lower-cased (§2.1). */
export function md5Credentials(username: string, password: string): string {
  return createHash('md5').update(`${username.toLowerCase()}:${password}`).digest('hex');
}

/** Claims of a JWT, or null when the token is not a readable JWT (e.g. a 3.x 32-hex token). */
export function decodeJwtClaims(token: string): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const json = Buffer.from(parts[1], 'base64url').toString('utf8');
    const claims = JSON.parse(json) as unknown;
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? (claims as TokenClaims) : null;
  } catch {
    return null;
  }
}

/**
 * When to stop using a token: `margin` before it expires, but never more than half its
 * lifetime early (a short-lived token would otherwise be renewed on every request).
 */
export function tokenRefreshAt(expiresAtMs: number, acquiredAtMs: number, marginMs: number): number {
  const lifetime = Math.max(0, expiresAtMs - acquiredAtMs);
  return expiresAtMs - Math.min(marginMs, lifetime / 2);
}

/** Expiry of a token acquired at `acquiredAtMs`: its `exp` claim, else KAZOO's default lifetime. */
export function tokenExpiresAt(token: string, acquiredAtMs: number): number {
  const exp = decodeJwtClaims(token)?.exp;
  if (typeof exp === 'number' && Number.isFinite(exp)) return exp * 1000;
  return acquiredAtMs + DEFAULT_TOKEN_LIFETIME_MS;
}

export interface TokenManagerOptions {
  backend: string;
  /** Crossbar base URL, e.g. http://127.0.0.1:8000/v2 */
  baseUrl: string;
  transport: Transport;
  apiKey?: string;
  credentials?: KazooCredentials;
  timeoutMs: number;
  refreshMarginMs?: number;
  now?: () => number;
}

interface HeldToken {
  token: string;
  refreshAtMs: number;
  accountId: string | null;
}

export class TokenManager {
  private held: HeldToken | null = null;
  private inflight: Promise<HeldToken> | null = null;
  private readonly log;
  private readonly now: () => number;
  /** How many tokens were acquired; for health and tests. */
  acquisitions = 0;

  constructor(private readonly o: TokenManagerOptions) {
    if (!o.apiKey && !o.credentials) throw new Error(`kazoo backend ${o.backend}: apiKey or credentials required`);
    this.log = componentLogger('kazoo.token', { backend: o.backend });
    this.now = o.now ?? Date.now;
  }

  /** A valid-looking token; acquires one when none is held or it is due for renewal. */
  async getToken(ctx: CallContext = {}): Promise<string> {
    if (this.held && this.now() < this.held.refreshAtMs) return this.held.token;
    return (await this.acquireShared(ctx)).token;
  }

  /** Drops `token` if it is still the held one (a 401 proved it dead). */
  invalidate(token: string): void {
    if (this.held?.token === token) this.held = null;
  }

  /** Account of the current token, from the auth answer; null before the first acquisition. */
  get tokenAccountId(): string | null {
    return this.held?.accountId ?? null;
  }

  private acquireShared(ctx: CallContext): Promise<HeldToken> {
    if (!this.inflight) {
      this.inflight = this.acquire(ctx).finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  private async acquire(ctx: CallContext): Promise<HeldToken> {
    const useKey = this.o.apiKey !== undefined;
    const path = useKey ? '/api_auth' : '/user_auth';
    const errCtx: ErrorContext = { backend: this.o.backend, method: 'PUT', path };
    const body = useKey
      ? { data: { api_key: this.o.apiKey } }
      : {
          data: {
            credentials: md5Credentials(this.o.credentials!.username, this.o.credentials!.password),
            account_name: this.o.credentials!.accountName,
            method: 'md5',
          },
        };
    const headers: Record<string, string> = {};
    if (ctx.requestId) headers['x-request-id'] = ctx.requestId;
    const started = this.now();
    const res = await this.o.transport.send({
      method: 'PUT',
      url: new URL(this.o.baseUrl + path),
      headers,
      body,
      timeoutMs: this.o.timeoutMs,
      errorContext: errCtx,
    });
    if (res.status < 200 || res.status >= 300) {
      const e = errorFromResponse(errCtx, res.status, res.body);
      // Any refusal of the credentials themselves (401, unknown key 404, unknown account 400,
      // locked 423) is an auth failure of this backend, not a user error.
      if (res.status < 500 && res.status !== 429) {
        throw new BackendError(
          ErrorCode.BACKEND_AUTH_FAILED,
          `KAZOO refused the gateway's ${useKey ? 'api key' : 'credentials'}: ${e.backendMessage ?? res.status}`,
          this.o.backend,
          res.status,
          e.backendMessage,
          { validation: e.details.validation },
        );
      }
      throw e;
    }
    const env = res.body as { auth_token?: unknown; data?: { account_id?: unknown } } | undefined;
    const token = env && typeof env.auth_token === 'string' && env.auth_token.length > 0 ? env.auth_token : undefined;
    if (!token) throw unavailable(errCtx, 'auth answer carries no auth_token', res.status);
    const expiresAt = tokenExpiresAt(token, started);
    const refreshMargin = this.o.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    const held: HeldToken = {
      token,
      refreshAtMs: tokenRefreshAt(expiresAt, started, refreshMargin),
      accountId: typeof env?.data?.account_id === 'string' ? env.data.account_id : null,
    };
    this.held = held;
    this.acquisitions++;
    this.log.info(
      { method: useKey ? 'api_auth' : 'user_auth', expiresAt: new Date(expiresAt).toISOString() },
      'acquired KAZOO auth token',
    );
    return held;
  }
}
