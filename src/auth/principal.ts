/**
 * Who is calling, and what they may see. Every request (HTTP or graphql-ws) carries one
 * Principal, resolved from its API key; resolvers ask it before touching any backend.
 */
export const ROLES = ['ADMIN', 'SUPERVISOR', 'AGENT', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

/** What part of the telephony estate a key reaches. `all` ignores the lists. */
export interface Scope {
  all: boolean;
  /** KAZOO account ids (32 hex). */
  accountIds: string[];
  /** Backend names (an ARI backend has no accounts: it is in scope as a whole or not). */
  backends: string[];
}

export interface Principal {
  /** The API key's id (never the secret). */
  id: string;
  name: string;
  role: Role;
  scope: Scope;
  /** For AGENT keys: the global recipient id `<backend>:<accountId>/<userId>` it acts as. */
  recipientId: string | null;
  /** When the key stops working (null: never). Absent on principals not made from a stored key. */
  expiresAt?: Date | null;
}

/** Is something of this backend (and, for KAZOO, this account) visible to the principal? */
export function inScope(p: Principal, backend: string, accountId?: string | null): boolean {
  if (p.scope.all) return true;
  if (p.scope.backends.includes(backend)) return true;
  return accountId !== undefined && accountId !== null && p.scope.accountIds.includes(accountId);
}
