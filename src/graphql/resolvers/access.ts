/** The caller's own identity and the audit trail of mutations. */
import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { auditScopeFilter, MAX_AUDIT_PAGE } from '../../auth/audit';
import type { GraphQLContext } from '../context';
import { principalOf, Roles } from '../authz';
import { AuditConnection, AuditFilterInput, Me } from '../types/audit';
import type { RoleEnum } from '../types/enums';

@Resolver()
export class AccessResolver {
  @Authorized(Roles.ANYONE)
  @Query(() => Me, { description: 'Who you are to patchbay: your key, role and scope.' })
  me(@Ctx() ctx: GraphQLContext): Me {
    const p = principalOf(ctx);
    return {
      id: p.id,
      name: p.name,
      role: p.role as RoleEnum,
      allScope: p.scope.all,
      accountIds: p.scope.accountIds,
      backends: p.scope.backends,
      recipientId: p.recipientId,
    };
  }

  @Authorized(Roles.CONTROLLERS)
  @Query(() => AuditConnection, {
    description: 'Mutations carried out, oldest first. ADMIN sees all; SUPERVISOR its accounts and backends.',
  })
  async auditLog(
    @Ctx() ctx: GraphQLContext,
    @Arg('after', () => String, {
      nullable: true,
      description: "An edge's opaque cursor: the page starts right after it. Omit for the oldest.",
    })
    after?: string,
    @Arg('filter', () => AuditFilterInput, { nullable: true, description: 'Only entries matching this.' })
    filter?: AuditFilterInput,
    @Arg('first', () => Int, { defaultValue: 100, description: `1 to ${MAX_AUDIT_PAGE}.` }) first = 100,
  ): Promise<AuditConnection> {
    const p = principalOf(ctx);
    const scoped = p.role === 'ADMIN' && p.scope.all ? {} : auditScopeFilter(p);
    const page = await ctx.audit.query({ after: after ?? undefined, first, filter: { ...filter, ...scoped } });
    const edges = page.entries.map((e) => ({ cursor: e.seq, node: { ...e, id: e.seq, role: e.role as RoleEnum } }));
    return {
      edges,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        endCursor: edges.length ? edges[edges.length - 1].cursor : (after ?? null),
      },
    };
  }
}
