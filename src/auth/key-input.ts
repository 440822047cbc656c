/**
 * Checks what a caller (CLI, GraphQL admin mutation) asks a new key to be, before anything is
 * hashed or stored. Every problem is a PatchbayError BAD_USER_INPUT naming the field.
 */
import { badInput } from '../domain/errors';
import { parseAccountScopedId } from '../domain/scoped-ids';
import { ROLES, type Role, type Scope } from './principal';

/** What a new key may reach. Omitted lists are empty; `all: true` takes no lists. */
export interface ScopeInput {
  all: boolean;
  accountIds?: readonly string[];
  backends?: readonly string[];
}

export interface NewApiKeyInput {
  name: string;
  role: Role;
  scope: ScopeInput;
  /** Required for AGENT keys (the global recipient id `<backend>:<accountId>/<userId>`), refused for others. */
  recipientId?: string | null;
  /** Absent: never expires. Must lie in the future. */
  expiresAt?: Date | null;
}

export interface ValidKeyInput {
  name: string;
  role: Role;
  scope: Scope;
  recipientId: string | null;
  expiresAt: Date | null;
}

const ACCOUNT_ID = /^[0-9a-f]{32}$/;
/** Same rule as config backend names (src/config.ts). */
const BACKEND_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const MAX_NAME_LENGTH = 200;
const SCOPE_KEYS = ['all', 'accountIds', 'backends'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function validateScope(scope: unknown): Scope {
  if (scope === null || typeof scope !== 'object' || Array.isArray(scope)) {
    throw badInput('scope must be an object { all, accountIds?, backends? }', { argumentName: 'scope' });
  }
  const s = scope as Record<string, unknown>;
  const unknown = Object.keys(s).filter((k) => !SCOPE_KEYS.includes(k));
  if (unknown.length > 0) {
    throw badInput(`scope has unknown field(s) ${unknown.join(', ')} (expected all, accountIds, backends)`, {
      argumentName: 'scope',
    });
  }
  if (typeof s.all !== 'boolean') throw badInput('scope.all must be true or false', { argumentName: 'scope.all' });
  const accountIds = stringList(s.accountIds, 'scope.accountIds');
  const backends = stringList(s.backends, 'scope.backends');
  for (const id of accountIds) {
    if (!ACCOUNT_ID.test(id))
      throw badInput(`scope.accountIds: ${JSON.stringify(id)} is not an account id (32 lowercase hex characters)`, {
        argumentName: 'scope.accountIds',
      });
  }
  for (const name of backends) {
    if (!BACKEND_NAME.test(name))
      throw badInput(`scope.backends: ${JSON.stringify(name)} is not a backend name`, {
        argumentName: 'scope.backends',
      });
  }
  if (s.all && (accountIds.length > 0 || backends.length > 0)) {
    throw badInput('scope.all reaches everything: give no accountIds or backends with it', { argumentName: 'scope' });
  }
  return { all: s.all, accountIds: [...new Set(accountIds)], backends: [...new Set(backends)] };
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw badInput(`${field} must be a list of strings`, { argumentName: field });
  }
  return value as string[];
}

export function validateKeyInput(input: NewApiKeyInput, now: Date = new Date()): ValidKeyInput {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw badInput(`name must be 1 to ${MAX_NAME_LENGTH} characters`, { argumentName: 'name' });
  }
  if (!isRole(input.role)) {
    throw badInput(`role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(input.role)}`, {
      argumentName: 'role',
    });
  }
  const scope = validateScope(input.scope);
  const recipientId = input.recipientId ?? null;
  if (input.role === 'AGENT') {
    if (recipientId === null || recipientId === '') {
      throw badInput('an AGENT key needs recipientId (the global recipient id "<backend>:<accountId>/<userId>")', {
        argumentName: 'recipientId',
      });
    }
    parseAccountScopedId(recipientId, 'recipientId');
  } else if (recipientId !== null) {
    throw badInput(`recipientId is only for AGENT keys, not ${input.role}`, { argumentName: 'recipientId' });
  }
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null) {
    if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) {
      throw badInput('expiresAt must be a valid date', { argumentName: 'expiresAt' });
    }
    if (expiresAt.getTime() <= now.getTime()) {
      throw badInput(`expiresAt must be in the future, got ${expiresAt.toISOString()}`, { argumentName: 'expiresAt' });
    }
  }
  return { name, role: input.role, scope, recipientId, expiresAt };
}
