/**
 * A keep-alive connection (a dashboard polling) presents the same key on every request. The
 * principal it resolved to is reused on that connection for a short while, skipping the key's
 * hash and the verification cache: on a cached read that was a measurable share of the request.
 * Reuse never outlives the key's expiry, and any revoke the Authenticator reports (through this
 * process, or heard from another instance: src/auth/cluster-revocation.ts) ends all of it at
 * once; one it never hears of reaches it within `reuseMs`.
 */
import type { Authenticator } from './authenticator';
import type { Principal } from './principal';

interface Reuse {
  presented: string;
  principal: Principal;
  epoch: number;
  until: number;
}

export class ConnectionPrincipals {
  private readonly byConnection = new WeakMap<object, Reuse>();
  /** Bumped by every revoke in this process: reuses from before it are void. */
  private epoch = 0;
  private readonly off: () => void;

  constructor(
    private readonly auth: Authenticator,
    private readonly reuseMs = 1000,
    private readonly now: () => number = Date.now,
  ) {
    this.off = auth.onRevoked(() => {
      this.epoch += 1;
    });
  }

  /** What the key presented on this connection resolved to a moment ago, if still valid. */
  reused(connection: object, presented: string): Principal | undefined {
    const r = this.byConnection.get(connection);
    return r && r.presented === presented && r.epoch === this.epoch && this.now() < r.until ? r.principal : undefined;
  }

  /** Verifies the key (through the Authenticator) and remembers the answer for this connection. */
  async authenticate(connection: object, presented: string): Promise<Principal | null> {
    const started = this.now();
    const epoch = this.epoch;
    const principal = await this.auth.authenticate(presented);
    if (principal && epoch === this.epoch) {
      const until = Math.min(started + this.reuseMs, principal.expiresAt?.getTime() ?? Infinity);
      this.byConnection.set(connection, { presented, principal, epoch, until });
    }
    return principal;
  }

  close(): void {
    this.off();
  }
}
