/** The stored shape of an API key as the rest of the code sees it (never the secret hash). */
import type { ApiKey as ApiKeyRow } from '../generated/prisma/client';
import { type Principal, type Role, type Scope } from './principal';

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  scope: Scope;
  recipientId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

export function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    // The CHECK constraint on api_key.role keeps this honest.
    role: row.role as Role,
    scope: { all: row.scopeAll, accountIds: row.accountIds ?? [], backends: row.backends ?? [] },
    recipientId: row.recipientId,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

export function principalOf(record: ApiKeyRecord): Principal {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    scope: { all: record.scope.all, accountIds: [...record.scope.accountIds], backends: [...record.scope.backends] },
    recipientId: record.recipientId,
    expiresAt: record.expiresAt,
  };
}

export function keyStatus(record: ApiKeyRecord, now: Date = new Date()): ApiKeyStatus {
  if (record.revokedAt) return 'revoked';
  if (record.expiresAt && record.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** Unique violation, however the driver adapter reports it. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as {
    code?: unknown;
    cause?: { code?: unknown };
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } };
  } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.code === 'P2002' || e.code === '23505' || e.cause?.code === '23505') return true;
  const adapterCause = e.meta?.driverAdapterError?.cause;
  return adapterCause?.originalCode === '23505' || adapterCause?.kind === 'UniqueConstraintViolation';
}
