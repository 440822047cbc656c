/**
 * Every mutation leaves an audit entry: who, which operation, on what, with which arguments
 * (secrets removed), how it ended, what the backend answered, and how long it took.
 */
import type { MiddlewareFn } from 'type-graphql';
import { BackendError, PatchbayError } from '../domain/errors';
import type { GraphQLContext } from './context';
import { inScope } from '../auth/principal';

function targetOf(args: Record<string, unknown>): string | null {
  const input = (args.input ?? {}) as Record<string, unknown>;
  const id = args.id ?? input.id ?? (Array.isArray(input.items) ? null : undefined);
  if (typeof id === 'string') return id;
  return typeof input.backend === 'string' ? input.backend : null;
}

/** Backend name and (for KAZOO account-scoped ids `<backend>:<account>/<id>`) the account. */
function placeOf(target: string | null): { backend: string | null; accountId: string | null } {
  if (!target) return { backend: null, accountId: null };
  const colon = target.indexOf(':');
  if (colon < 0) return { backend: target, accountId: null };
  const native = target.slice(colon + 1);
  const account = /^([0-9a-f]{32})\//.exec(native)?.[1] ?? null;
  return { backend: target.slice(0, colon), accountId: account };
}

/** A mutation refused before it ran (role check): audited with the refusal's code. */
export function recordRefusal(
  context: GraphQLContext,
  operation: string,
  args: Record<string, unknown>,
  code: string,
): void {
  const p = context.principal!;
  const target = targetOf(args);
  context.audit.record({
    principalId: p.id,
    principalName: p.name,
    role: p.role,
    operation,
    target,
    ...placeOf(target),
    arguments: args,
    resultCode: code,
    backendStatus: null,
    durationMs: 0,
  });
}

/** On every @Mutation (per field, not global: a global middleware would wrap every field of every query). */
export const auditMutations: MiddlewareFn<GraphQLContext> = async ({ context, info, args }, next) => {
  if (info.parentType.name !== 'Mutation' || !context.principal) return next();
  const started = performance.now();
  const target = targetOf(args);
  const record = async (resultCode: string, backendStatus: number | null) => {
    const p = context.principal!;
    const place = placeOf(target);
    // A KAZOO call's account is only in the channel itself; for account-scoped keys the access
    // check already loaded it (a cache hit), so their supervisors find these entries.
    if (target && place.backend && !place.accountId && !inScope(p, place.backend) && p.scope.accountIds.length > 0) {
      const channel = await context.loaders.channel.load(target).catch(() => null);
      place.accountId = channel?.kazoo?.accountId ?? null;
    }
    context.audit.record({
      principalId: p.id,
      principalName: p.name,
      role: p.role,
      operation: info.fieldName,
      target,
      ...place,
      arguments: args,
      resultCode,
      backendStatus,
      durationMs: Math.round(performance.now() - started),
    });
  };
  try {
    const result = await next();
    await record('OK', null);
    return result;
  } catch (e) {
    await record(
      e instanceof PatchbayError ? e.code : 'INTERNAL_SERVER_ERROR',
      e instanceof BackendError ? (e.backendStatus ?? null) : null,
    );
    throw e;
  }
};
