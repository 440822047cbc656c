/**
 * API keys: creation (the secret is shown once), listing, revocation and the per-request
 * `authenticate` that turns a presented key into a Principal.
 *
 * Caching: a successful verification is remembered for `cacheTtlMs` (60 s) so the hot path
 * skips scrypt and the database. A revoke through this store takes effect at once here (and
 * fires onRevoked); a revoke by another process (the keys CLI, another gateway instance)
 * takes effect here within the cache TTL at most — call `invalidate(keyId)` to do it sooner
 * (src/auth/cluster-revocation.ts does, on hearing it over the control bus).
 */
import type { Database } from '../store/database';
import { badInput } from '../domain/errors';
import { componentLogger } from '../log';
import { isUniqueViolation, keyStatus, principalOf, toRecord, type ApiKeyRecord } from './api-key-record';
import {
  DEMO_KEY_ID,
  formatKey,
  generateKeyId,
  generateSecret,
  keyFingerprint,
  resolvePresentedKey,
} from './key-format';
import { validateKeyInput, type NewApiKeyInput, type ValidKeyInput } from './key-input';
import type { Principal } from './principal';
import { hashSecret, verifySecret } from './secret-hash';
import { VerificationCache } from './verification-cache';

export { hashSecret, verifySecret, HASH_COST, SCRYPT_PARAMS } from './secret-hash';
export {
  BOOTSTRAP_KEY_ID,
  DEMO_KEY_ID,
  KEY_PREFIX,
  formatKey,
  generateKeyId,
  generateSecret,
  parseKey,
  resolvePresentedKey,
  type ParsedKey,
} from './key-format';
export {
  validateKeyInput,
  validateScope,
  isRole,
  type NewApiKeyInput,
  type ScopeInput,
  type ValidKeyInput,
} from './key-input';
export { keyStatus, principalOf, type ApiKeyRecord, type ApiKeyStatus } from './api-key-record';

export interface ApiKeyStoreOptions {
  /** How long a successful verification is reused. Default 60 s. */
  cacheTtlMs?: number;
  /** Bound on cached verifications. Default 10,000. */
  maxCacheEntries?: number;
  /** last_used_at is written at most this often per key. Default 60 s. */
  lastUsedIntervalMs?: number;
  /** scrypt cost of new hashes, log2 N (`security.keyHashCost`). Default HASH_COST.default. */
  hashCost?: number;
  /** Clock (epoch ms), for tests. */
  now?: () => number;
}

export interface CreatedApiKey {
  /** The full key `pbk_<id>_<secret>`: the only time the secret exists outside its holder. */
  key: string;
  record: ApiKeyRecord;
}

export type BootstrapStatus = 'created' | 'refreshed' | 'unchanged' | 'revoked';

export interface BootstrapResult {
  /** `unchanged` and `revoked` keep the stored key as it was (a revoked one stays revoked). */
  status: BootstrapStatus;
  record: ApiKeyRecord;
}

export type RevokedListener = (keyId: string) => void;

const ID_ATTEMPTS = 3;
const log = componentLogger('auth.keys');

export class ApiKeyStore {
  private readonly cache: VerificationCache;
  private readonly now: () => number;
  private readonly lastUsedIntervalMs: number;
  private readonly hashCost: number | undefined;
  private readonly lastTouched = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();
  private readonly inFlight = new Map<string, Promise<Principal | null>>();
  /** Bumped per key id on revoke, so a verification racing a revoke is not cached. */
  private readonly revocations = new Map<string, number>();
  private readonly listeners = new Set<RevokedListener>();

  constructor(
    private readonly db: Pick<Database, 'prisma'>,
    options: ApiKeyStoreOptions = {},
  ) {
    this.cache = new VerificationCache(options.cacheTtlMs ?? 60_000, options.maxCacheEntries ?? 10_000);
    this.now = options.now ?? Date.now;
    this.lastUsedIntervalMs = options.lastUsedIntervalMs ?? 60_000;
    this.hashCost = options.hashCost;
  }

  /** Validates (BAD_USER_INPUT on any problem), stores the hash, returns the key once. */
  async create(input: NewApiKeyInput): Promise<CreatedApiKey> {
    const valid = validateKeyInput(input, new Date(this.now()));
    const secret = generateSecret();
    const secretHash = await hashSecret(secret, this.hashCost);
    for (let attempt = 1; ; attempt++) {
      const id = generateKeyId();
      try {
        const record = await this.insert(id, valid, secretHash);
        log.info({ keyId: id, name: valid.name, role: valid.role }, 'api key created');
        return { key: formatKey(id, secret), record };
      } catch (err) {
        // 50 random bits: a collision is next to impossible, but costs nothing to survive.
        if (!isUniqueViolation(err) || attempt >= ID_ATTEMPTS) throw err;
      }
    }
  }

  /** Every key, revoked and expired ones included, oldest first. */
  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.db.prisma.apiKey.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(toRecord);
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const row = await this.db.prisma.apiKey.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  /** Whether the key exists, is not revoked and not expired: read from the database, never cached. */
  async isActive(id: string): Promise<boolean> {
    const record = await this.get(id);
    return record !== null && keyStatus(record, new Date(this.now())) === 'active';
  }

  /**
   * Marks the key revoked (the first revocation time is kept), drops its cached
   * verifications and tells onRevoked listeners. Null when there is no such key.
   */
  async revoke(id: string): Promise<ApiKeyRecord | null> {
    await this.db.prisma.apiKey.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: new Date(this.now()) },
    });
    const row = await this.db.prisma.apiKey.findUnique({ where: { id } });
    if (!row) return null;
    this.invalidate(id);
    log.info({ keyId: id }, 'api key revoked');
    for (const listener of this.listeners) {
      try {
        listener(id);
      } catch (err) {
        log.error({ keyId: id, error: (err as Error).message }, 'onRevoked listener failed');
      }
    }
    return toRecord(row);
  }

  /** Called with the key id after each revoke through this store. Returns an unsubscribe. */
  onRevoked(listener: RevokedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets cached verifications of one key (e.g. when another instance revoked it). */
  invalidate(keyId: string): void {
    this.revocations.set(keyId, (this.revocations.get(keyId) ?? 0) + 1);
    this.cache.forgetKey(keyId);
  }

  /**
   * The Principal for a presented key (`pbk_<id>_<secret>`, or the bare bootstrap secret), or
   * null when it is malformed, unknown, revoked, expired or wrong. Database failures throw.
   */
  async authenticate(presentedKey: string): Promise<Principal | null> {
    const parsed = resolvePresentedKey(presentedKey);
    if (!parsed) return null;
    const fingerprint = keyFingerprint(presentedKey);
    const cached = this.cache.get(fingerprint, this.now());
    if (cached) {
      this.touch(cached.id);
      return cached;
    }
    // Concurrent first requests with one key share one scrypt.
    let verification = this.inFlight.get(fingerprint);
    if (!verification) {
      verification = this.verify(parsed.id, parsed.secret, fingerprint).finally(() =>
        this.inFlight.delete(fingerprint),
      );
      this.inFlight.set(fingerprint, verification);
    }
    return verification;
  }

  /**
   * PATCHBAY_ADMIN_KEY: makes sure an ADMIN all-scope key with that secret exists.
   * A value in our format `pbk_<id>_<secret>` names its own key id; any other value (at least
   * 32 characters, no whitespace) is the secret of the key with the fixed id `bootstrap`, and
   * is accepted as a bearer as-is. Same value again: unchanged (a revoked key stays revoked).
   * Changed value: the key gets the new secret and is active again; the old secret stops working.
   */
  async ensureBootstrapAdmin(secretFromEnv: string, name = 'bootstrap admin'): Promise<BootstrapResult> {
    const target = resolvePresentedKey(secretFromEnv);
    if (!target) {
      throw badInput(
        'PATCHBAY_ADMIN_KEY must be a key "pbk_<id>_<secret>" or a secret of at least 32 characters without whitespace',
        {
          argumentName: 'PATCHBAY_ADMIN_KEY',
        },
      );
    }
    const wanted: ValidKeyInput = {
      name,
      role: 'ADMIN',
      scope: { all: true, accountIds: [], backends: [] },
      recipientId: null,
      expiresAt: null,
    };
    for (let attempt = 1; ; attempt++) {
      const existing = await this.db.prisma.apiKey.findUnique({ where: { id: target.id } });
      if (!existing) {
        try {
          const record = await this.insert(target.id, wanted, await hashSecret(target.secret, this.hashCost));
          log.info({ keyId: target.id }, 'bootstrap admin key created');
          return { status: 'created', record };
        } catch (err) {
          // Another instance starting at the same moment created it: look again.
          if (!isUniqueViolation(err) || attempt >= 2) throw err;
          continue;
        }
      }
      if (existing.role !== 'ADMIN' || !existing.scopeAll) {
        throw badInput(
          `PATCHBAY_ADMIN_KEY names key ${target.id}, an existing ${existing.role} key: not turning it into an admin key`,
          {
            argumentName: 'PATCHBAY_ADMIN_KEY',
          },
        );
      }
      if (await verifySecret(target.secret, existing.secretHash)) {
        if (existing.revokedAt)
          log.warn({ keyId: target.id }, 'the PATCHBAY_ADMIN_KEY key is revoked; set a new value to issue a fresh one');
        return { status: existing.revokedAt ? 'revoked' : 'unchanged', record: toRecord(existing) };
      }
      const row = await this.db.prisma.apiKey.update({
        where: { id: target.id },
        data: { name, secretHash: await hashSecret(target.secret, this.hashCost), revokedAt: null, expiresAt: null },
      });
      this.invalidate(target.id);
      log.info({ keyId: target.id }, 'bootstrap admin key refreshed with a new secret');
      return { status: 'refreshed', record: toRecord(row) };
    }
  }

  /**
   * Demo mode: the first start creates a local ADMIN key `demo` and returns it (print it then:
   * only its hash is kept). Every later start returns null, even when the key was revoked.
   */
  async ensureDemoKey(name = 'demo admin'): Promise<CreatedApiKey | null> {
    if (await this.db.prisma.apiKey.findUnique({ where: { id: DEMO_KEY_ID } })) return null;
    const secret = generateSecret();
    const valid: ValidKeyInput = {
      name,
      role: 'ADMIN',
      scope: { all: true, accountIds: [], backends: [] },
      recipientId: null,
      expiresAt: null,
    };
    try {
      const record = await this.insert(DEMO_KEY_ID, valid, await hashSecret(secret, this.hashCost));
      return { key: formatKey(DEMO_KEY_ID, secret), record };
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  /** Waits for background last_used_at writes (call before closing the database). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async insert(id: string, key: ValidKeyInput, secretHash: string): Promise<ApiKeyRecord> {
    const row = await this.db.prisma.apiKey.create({
      data: {
        id,
        name: key.name,
        role: key.role,
        scopeAll: key.scope.all,
        accountIds: key.scope.accountIds,
        backends: key.scope.backends,
        recipientId: key.recipientId,
        secretHash,
        createdAt: new Date(this.now()),
        expiresAt: key.expiresAt,
      },
    });
    return toRecord(row);
  }

  private async verify(id: string, secret: string, fingerprint: string): Promise<Principal | null> {
    const generation = this.revocations.get(id) ?? 0;
    const row = await this.db.prisma.apiKey.findUnique({ where: { id } });
    const now = this.now();
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) return null;
    if (!(await verifySecret(secret, row.secretHash))) return null;
    // Revoked through this store while we were hashing: the row we read is stale.
    if ((this.revocations.get(id) ?? 0) !== generation) return null;
    const principal = principalOf(toRecord(row));
    this.cache.set(fingerprint, principal, now, row.expiresAt?.getTime() ?? null);
    this.touch(id);
    return principal;
  }

  /** Fire-and-forget last_used_at, at most once per interval per key. */
  private touch(id: string): void {
    const now = this.now();
    const last = this.lastTouched.get(id);
    if (last !== undefined && now - last < this.lastUsedIntervalMs) return;
    this.lastTouched.set(id, now);
    const write = this.db.prisma.apiKey
      .updateMany({ where: { id }, data: { lastUsedAt: new Date(now) } })
      .then(
        () => undefined,
        (err: unknown) =>
          log.warn({ keyId: id, error: (err as Error).message }, 'could not record last use of api key'),
      )
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }
}
