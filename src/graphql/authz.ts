/**
 * Authorization: who may call a root field (roles, via type-graphql @Authorized and this
 * authChecker), and what data they may reach (scope, via the helpers below). Out-of-scope
 * objects are reported exactly like missing ones, so nothing leaks through errors.
 */
import type { AuthChecker } from 'type-graphql';
import { inScope, ROLES, type Principal, type Role } from '../auth/principal';
import type { Channel } from '../domain/channel';
import type { NormalizedEvent } from '../domain/events';
import { ErrorCode, PatchbayError } from '../domain/errors';
import { parseGlobalId } from '../domain/ids';
import { parseAccountScopedId } from '../domain/scoped-ids';
import type { GraphQLContext } from './context';
import { recordRefusal } from './audit-middleware';

/** Role groups, one per kind of root field. */
export const Roles = {
  ANYONE: [...ROLES] as Role[],
  READERS: ['ADMIN', 'SUPERVISOR', 'VIEWER'] as Role[],
  CONTROLLERS: ['ADMIN', 'SUPERVISOR'] as Role[],
  /** Agent actions: an AGENT key on its own recipient only (checked by requireRecipient). */
  AGENTS: ['ADMIN', 'SUPERVISOR', 'AGENT'] as Role[],
  ADMINS: ['ADMIN'] as Role[],
};

/** UNAUTHENTICATED without a key, FORBIDDEN when its role is not among `roles`. */
export function checkRoles(ctx: GraphQLContext, roles: readonly Role[]): Principal {
  const p = ctx.principal;
  if (!p) {
    throw new PatchbayError(
      ErrorCode.UNAUTHENTICATED,
      'an API key is required: send "Authorization: Bearer <key>" (graphql-ws: connectionParams.authorization)',
    );
  }
  if (roles.length > 0 && !roles.includes(p.role)) {
    throw new PatchbayError(ErrorCode.FORBIDDEN, `a ${p.role} key may not use this field`);
  }
  return p;
}

/**
 * type-graphql runs this before any field middleware, so a mutation refused here is audited
 * here (the audit middleware never sees it).
 */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context, info, args }, roles) => {
  try {
    checkRoles(context, roles);
  } catch (e) {
    if (info.parentType.name === 'Mutation' && context.principal)
      recordRefusal(context, info.fieldName, args, (e as PatchbayError).code);
    throw e;
  }
  return true;
};

export function principalOf(ctx: GraphQLContext): Principal {
  if (!ctx.principal) throw new PatchbayError(ErrorCode.UNAUTHENTICATED, 'an API key is required');
  return ctx.principal;
}

function notFound(what: string): PatchbayError {
  return new PatchbayError(ErrorCode.NOT_FOUND, `${what} not found`);
}

export function canSeeChannel(p: Principal, c: Channel): boolean {
  return inScope(p, c.backend, c.kazoo?.accountId ?? null);
}

export function canSeeBackend(p: Principal, backend: string, kind: string): boolean {
  // A key scoped to KAZOO accounts may need any KAZOO backend (the account lives on one of them).
  return inScope(p, backend) || (kind === 'kazoo' && p.scope.accountIds.length > 0);
}

/** A backend named by the caller (originate, createChannel, ...): refused as unknown when out of scope. */
export function requireBackendInScope(ctx: GraphQLContext, backend: string, argName: string): void {
  const p = principalOf(ctx);
  const b = ctx.registry.get(backend);
  if (!b || !canSeeBackend(p, b.name, b.kind)) {
    throw new PatchbayError(ErrorCode.BAD_USER_INPUT, `unknown backend "${backend}"`, { argumentName: argName });
  }
}

/**
 * Whether the backend a global id names exists and is within the caller's reach. An id naming
 * another tenant's backend, or none at all, is answered like a missing object (null or
 * NOT_FOUND), so ids never tell a scoped key which backends exist.
 */
export function reachesBackendOfId(ctx: GraphQLContext, backend: string): boolean {
  const b = ctx.registry.get(backend);
  return b !== undefined && canSeeBackend(principalOf(ctx), b.name, b.kind);
}

/** A channel the caller wants to act on or read: NOT_FOUND unless it is theirs to see. */
export async function requireChannel(ctx: GraphQLContext, id: string, argName = 'id'): Promise<void> {
  const p = principalOf(ctx);
  const { backend } = parseGlobalId(id, argName);
  if (!reachesBackendOfId(ctx, backend)) throw notFound('channel');
  if (inScope(p, backend)) return;
  // Scoped by account: only the channel itself says which account it belongs to.
  const c = await ctx.loaders.channel.load(id);
  if (!c || !canSeeChannel(p, c)) throw notFound('channel');
}

/** A recipient the caller wants to read or act on. AGENT keys reach only their own. */
export function requireRecipient(ctx: GraphQLContext, id: string, argName = 'id'): void {
  const p = principalOf(ctx);
  const r = parseAccountScopedId(id, argName);
  if (!ctx.registry.get(r.backend)) throw notFound('recipient');
  if (p.role === 'AGENT') {
    if (id !== p.recipientId) throw notFound('recipient');
    return;
  }
  if (!inScope(p, r.backend, r.accountId)) throw notFound('recipient');
}

/** Playbacks live on an ARI backend, which a key reaches as a whole or not at all. */
export function requirePlaybackBackend(ctx: GraphQLContext, backend: string): void {
  if (!ctx.registry.get(backend) || !inScope(principalOf(ctx), backend)) throw notFound('playback');
}

export function requireAccount(ctx: GraphQLContext, backend: string, accountId: string): void {
  if (!inScope(principalOf(ctx), backend, accountId)) throw notFound('account');
}

/** Live and replayed events pass through this before a subscriber sees them. */
export function eventVisibleTo(p: Principal, e: NormalizedEvent): boolean {
  if (p.role === 'AGENT') {
    if (e.category !== 'agent' || !p.recipientId) return false;
    const own = parseAccountScopedId(p.recipientId);
    return e.backend === own.backend && e.ids.accountId === own.accountId && e.ids.recipientId === own.objectId;
  }
  return inScope(p, e.backend, e.ids.accountId ?? null);
}
