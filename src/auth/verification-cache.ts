/**
 * Successful key verifications, remembered briefly so a busy client does not pay scrypt
 * (tens of milliseconds of CPU) on every request. Keyed by the sha256 of the presented key,
 * so the map never holds a secret. Bounded: the oldest entries go first.
 */
import type { Principal } from './principal';

interface Entry {
  principal: Principal;
  /** Epoch ms after which the entry is no longer used. */
  validUntil: number;
}

export class VerificationCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(fingerprint: string, now: number): Principal | null {
    const entry = this.entries.get(fingerprint);
    if (!entry) return null;
    if (now >= entry.validUntil) {
      this.entries.delete(fingerprint);
      return null;
    }
    return entry.principal;
  }

  /** `keyExpiresAt`: the key's own expiry, which a cached entry must never outlive. */
  set(fingerprint: string, principal: Principal, now: number, keyExpiresAt: number | null): void {
    const validUntil = Math.min(now + this.ttlMs, keyExpiresAt ?? Number.POSITIVE_INFINITY);
    if (validUntil <= now || this.ttlMs <= 0) return;
    this.entries.delete(fingerprint);
    this.entries.set(fingerprint, { principal, validUntil });
    if (this.entries.size > this.maxEntries) this.evict(now);
  }

  /** Drops every entry of one key id (revoked or re-keyed). */
  forgetKey(keyId: string): void {
    for (const [fingerprint, entry] of this.entries) {
      if (entry.principal.id === keyId) this.entries.delete(fingerprint);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(now: number): void {
    for (const [fingerprint, entry] of this.entries) {
      if (now >= entry.validUntil) this.entries.delete(fingerprint);
    }
    // Map iteration is insertion order: the first entries are the oldest.
    for (const fingerprint of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(fingerprint);
    }
  }
}
