/**
 * Lists read per KAZOO account: from one named backend or every KAZOO backend, in the asked
 * account or each backend's own, within the key's scope; a failing backend adds one partial
 * error while the others answer.
 */
import { inScope } from '../../auth/principal';
import type { KazooBackendLike } from '../../backends/kazoo/operations';
import { PatchbayError } from '../../domain/errors';
import { checkAccountId } from '../../domain/scoped-ids';
import { principalOf, requireAccount, requireBackendInScope } from '../authz';
import type { GraphQLContext } from '../context';
import { toGraphQLError } from '../errors';

export async function perKazooAccount<T>(
  ctx: GraphQLContext,
  field: string,
  o: { backend?: string; accountId?: string },
  read: (k: KazooBackendLike, accountId: string) => Promise<T[]>,
): Promise<T[]> {
  if (o.accountId) checkAccountId(o.accountId);
  const p = principalOf(ctx);
  if (o.backend) requireBackendInScope(ctx, o.backend, 'backend');
  const backends = o.backend
    ? [ctx.registry.kazoo(o.backend, field, 'backend')]
    : (ctx.registry.byKind('kazoo') as unknown as KazooBackendLike[]);
  const lists = await Promise.all(
    backends.map(async (k) => {
      try {
        const account = o.accountId ?? k.accountId;
        if (!inScope(p, k.name, account)) {
          if (o.accountId) requireAccount(ctx, k.name, account);
          return [];
        }
        return await read(k, account);
      } catch (e) {
        if (!(e instanceof PatchbayError)) throw e;
        ctx.partialErrors.push(toGraphQLError(e, [field]));
        return [];
      }
    }),
  );
  return lists.flat();
}
