/** What the server needs from the key store: turn a presented key into a Principal, and hear of revocations. */
import type { Principal } from './principal';

export interface Authenticator {
  /** null for an unknown, malformed, revoked or expired key. */
  authenticate(presentedKey: string): Promise<Principal | null>;
  /** false once the key is revoked or expired (checked again for long-lived sockets). */
  isActive(keyId: string): Promise<boolean>;
  /** Called with the key id when a key is revoked through this process. */
  onRevoked(listener: (keyId: string) => void): () => void;
}

/** The key from "Authorization: Bearer <key>"; undefined when absent, null when malformed. */
export function bearerKey(header: unknown): string | null | undefined {
  if (header === undefined || header === null || header === '') return undefined;
  if (typeof header !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}
