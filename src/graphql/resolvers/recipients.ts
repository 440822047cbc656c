/** Call-center agents: queries, fields and actions (KAZOO Qubicle recipients). */
import {
  Authorized,
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  UseMiddleware,
} from 'type-graphql';
import type { Recipient as DomainRecipient, SetRecipientStatusItem } from '../../domain/recipient';
import { BackendError, PatchbayError, badInput } from '../../domain/errors';
import { checkAccountId, parseAccountScopedId, toAccountScopedId } from '../../domain/scoped-ids';
import type { KazooBackendLike } from '../../backends/kazoo/operations';
import type { CallContext } from '../../backends/types';
import type { GraphQLContext } from '../context';
import { cursorBeforeAction } from '../action-cursor';
import { toGraphQLError } from '../errors';
import { Backend } from '../types/backend';
import { Recipient, RecipientConfig, RecipientStatus, SetRecipientStatusResult } from '../types/recipient';
import { MonitorRecipientInput, SetRecipientStatusInput, SetRecipientStatusesInput } from '../types/recipient-inputs';
import { recipientIdAction, recipientPayload, type WithCursor } from '../types/payloads';
import { itemBackend, recipientId } from '../plain-resolvers';
import { statusView } from './recipient-view';
import { requireText } from '../validate';
import { requireRecipient, Roles } from '../authz';
import { auditMutations } from '../audit-middleware';
import { perKazooAccount } from './kazoo-accounts';

type Action = (k: KazooBackendLike, accountId: string, userId: string, call: CallContext) => Promise<void>;

type Reread = { recipient: DomainRecipient | null };

async function act(ctx: GraphQLContext, id: string, operation: string, action: Action): Promise<Reread> {
  const { backend, accountId, objectId } = parseAccountScopedId(id, 'input.id');
  requireRecipient(ctx, id, 'input.id');
  const k = ctx.registry.kazoo(backend, operation, 'input.id');
  await action(k, accountId, objectId, ctx.call);
  ctx.loaders.recipient.clear(id);
  return { recipient: await ctx.loaders.recipient.load(id) };
}

const REREAD = 'Returns the agent re-read (null if unknown).';
const INPUT = 'What to do, and to which agent.';
type IdOnly = { id: string };

const [LoginRecipientInput, LoginRecipientPayload] = recipientIdAction('LoginRecipient', 'Log an agent in.');
const [LogoutRecipientInput, LogoutRecipientPayload] = recipientIdAction('LogoutRecipient', 'Log an agent out.');
const [ExtendWrapupInput, ExtendWrapupPayload] = recipientIdAction('ExtendWrapup', 'Give an agent more wrap-up time.');
const [CancelWrapupInput, CancelWrapupPayload] = recipientIdAction('CancelWrapup', "End an agent's wrap-up now.");
const SetRecipientStatusPayload = recipientPayload('SetRecipientStatusPayload', 'The agent after setRecipientStatus.');
const MonitorRecipientPayload = recipientPayload(
  'MonitorRecipientPayload',
  'The supervisor after monitorRecipient, and where the events of the monitoring begin.',
  { actionCursor: true },
);

@ObjectType({ description: 'What setRecipientStatuses did, line by line.' })
class SetRecipientStatusesPayload {
  @Field(() => [SetRecipientStatusResult], {
    description: 'One result per input line, in order: partial success is normal here.',
  })
  results!: SetRecipientStatusResult[];
}

@Resolver(() => Recipient)
export class RecipientResolver {
  @Authorized(Roles.READERS)
  @Query(() => [Recipient], {
    description:
      "Agents of an account (default: each KAZOO backend's configured account). Statuses cost one batch request per account. A failing backend adds one error; the others answer.",
  })
  async recipients(
    @Ctx() ctx: GraphQLContext,
    @Arg('accountId', () => String, {
      nullable: true,
      description: "KAZOO account (32 hex); default: each KAZOO backend's configured account.",
    })
    accountId?: string,
    @Arg('backend', () => String, { nullable: true, description: 'Only this KAZOO backend.' }) backend?: string,
  ): Promise<DomainRecipient[]> {
    return perKazooAccount(ctx, 'recipients', { backend, accountId }, async (k, account) => {
      const list = await k.listRecipients(account, ctx.call);
      for (const r of list) ctx.loaders.recipient.prime(toAccountScopedId(r.backend, r.accountId, r.nativeId), r);
      return list;
    });
  }

  @Authorized(Roles.ANYONE)
  @Query(() => Recipient, {
    nullable: true,
    description: 'One agent by global id `<backend>:<accountId>/<userId>`; null when unknown.',
  })
  recipient(
    @Arg('id', () => ID, { description: 'Global recipient id `<backend>:<accountId>/<userId>`.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DomainRecipient | null> {
    const { backend } = parseAccountScopedId(id);
    // Scope first: an out-of-scope id answers null without saying what its backend is.
    try {
      requireRecipient(ctx, id);
    } catch {
      return Promise.resolve(null);
    }
    ctx.registry.kazoo(backend, 'recipient');
    return ctx.loaders.recipient.load(id);
  }

  @FieldResolver(() => ID)
  id(@Root() r: DomainRecipient): string {
    return recipientId(r);
  }

  @FieldResolver(() => Backend, { description: 'The KAZOO backend the agent lives on.' })
  backend(@Root() r: DomainRecipient, @Ctx() ctx: GraphQLContext): Backend {
    return itemBackend(r, {}, ctx);
  }

  @FieldResolver(() => RecipientStatus, { description: 'Live state, read in one batch for all agents of the request.' })
  status(@Root() r: DomainRecipient): RecipientStatus {
    return statusView(r.backend, r.accountId, r.status);
  }

  // A listed agent's first config read costs one GET of its user document (KAZOO has no batch read
  // of them); the backend keeps it while Blackhole would report an edit.
  @FieldResolver(() => RecipientConfig, { nullable: true, description: 'Call-center settings from the user document.' })
  async config(@Root() r: DomainRecipient, @Ctx() ctx: GraphQLContext): Promise<RecipientConfig | null> {
    if (r.config) return r.config;
    return ctx.loaders.recipientConfig.load(toAccountScopedId(r.backend, r.accountId, r.nativeId));
  }

  @Authorized(Roles.AGENTS)
  @UseMiddleware(auditMutations)
  @Mutation(() => LoginRecipientPayload, { description: `Log an agent in. ${REREAD}` })
  loginRecipient(
    @Arg('input', () => LoginRecipientInput, { description: INPUT }) input: IdOnly,
    @Ctx() ctx: GraphQLContext,
  ) {
    return act(ctx, input.id, 'loginRecipient', (k, a, u, c) => k.loginRecipient(a, u, c));
  }

  @Authorized(Roles.AGENTS)
  @UseMiddleware(auditMutations)
  @Mutation(() => LogoutRecipientPayload, { description: `Log an agent out. ${REREAD}` })
  logoutRecipient(
    @Arg('input', () => LogoutRecipientInput, { description: INPUT }) input: IdOnly,
    @Ctx() ctx: GraphQLContext,
  ) {
    return act(ctx, input.id, 'logoutRecipient', (k, a, u, c) => k.logoutRecipient(a, u, c));
  }

  @Authorized(Roles.AGENTS)
  @UseMiddleware(auditMutations)
  @Mutation(() => SetRecipientStatusPayload, {
    description: `Set an agent READY or AWAY, globally or in one queue. ${REREAD}`,
  })
  setRecipientStatus(@Arg('input', { description: INPUT }) input: SetRecipientStatusInput, @Ctx() ctx: GraphQLContext) {
    if (input.queueId != null) checkAccountId(input.queueId, 'queueId');
    return act(ctx, input.id, 'setRecipientStatus', (k, a, u, c) =>
      k.setRecipientStatus(a, u, input.status, c, input.queueId ?? undefined),
    );
  }

  @Authorized(Roles.AGENTS)
  @UseMiddleware(auditMutations)
  @Mutation(() => SetRecipientStatusesPayload, {
    description:
      'Set several agents (and queues) at once; one result per line, in order, because partial success is normal here. An account whose request fails marks its lines not ok and adds one error.',
  })
  async setRecipientStatuses(
    @Arg('input', { description: 'The lines to set.' }) input: SetRecipientStatusesInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SetRecipientStatusesPayload> {
    const items = input.items;
    if (items.length === 0) requireText('', 'items');
    const groups = new Map<
      string,
      {
        k: KazooBackendLike;
        backend: string;
        accountId: string;
        lines: Array<{ index: number; item: SetRecipientStatusItem }>;
      }
    >();
    const slots = new Set<string>();
    items.forEach((it, index) => {
      const { backend, accountId, objectId } = parseAccountScopedId(it.id, `input.items[${index}].id`);
      requireRecipient(ctx, it.id, `input.items[${index}].id`);
      if (it.queueId != null) checkAccountId(it.queueId, `input.items[${index}].queueId`);
      // Checked here, not per account in the backend: by then other accounts' lines may be sent.
      const slot = `${it.id}/${it.queueId ?? 'global'}`;
      if (slots.has(slot)) {
        throw badInput(
          `input.items[${index}] repeats the ${it.queueId ? `queue ${it.queueId}` : 'global'} status of ${it.id}`,
          { argumentName: `input.items[${index}]` },
        );
      }
      slots.add(slot);
      const key = `${backend}/${accountId}`;
      const g = groups.get(key) ?? {
        k: ctx.registry.kazoo(backend, 'setRecipientStatuses', `input.items[${index}].id`),
        backend,
        accountId,
        lines: [],
      };
      g.lines.push({ index, item: { userId: objectId, status: it.status, queueId: it.queueId ?? undefined } });
      groups.set(key, g);
    });
    const out: SetRecipientStatusResult[] = new Array(items.length);
    await Promise.all(
      [...groups.values()].map(async (g) => {
        let results: Awaited<ReturnType<KazooBackendLike['setRecipientStatuses']>>;
        try {
          results = await g.k.setRecipientStatuses(
            g.accountId,
            g.lines.map((l) => l.item),
            ctx.call,
          );
        } catch (e) {
          // Other accounts' lines may already be applied: report this account's lines as failed, not the whole batch.
          if (!(e instanceof BackendError)) throw e;
          ctx.partialErrors.push(toGraphQLError(e, ['setRecipientStatuses']));
          results = g.lines.map((l) => ({
            userId: l.item.userId,
            queueId: l.item.queueId ?? null,
            status: l.item.status,
            ok: false,
            error: e.message,
          }));
        }
        g.lines.forEach((l, i) => {
          const r = results[i];
          out[l.index] = {
            recipientId: toAccountScopedId(g.backend, g.accountId, l.item.userId),
            queueId: r.queueId,
            status: r.status as never,
            ok: r.ok,
            error: r.error,
          };
        });
      }),
    );
    return { results: out };
  }

  @Authorized(Roles.AGENTS)
  @UseMiddleware(auditMutations)
  @Mutation(() => ExtendWrapupPayload, { description: `Give an agent more wrap-up time. ${REREAD}` })
  extendWrapup(
    @Arg('input', () => ExtendWrapupInput, { description: INPUT }) input: IdOnly,
    @Ctx() ctx: GraphQLContext,
  ) {
    return act(ctx, input.id, 'extendWrapup', (k, a, u, c) => k.extendWrapup(a, u, c));
  }

  @Authorized(Roles.AGENTS)
  @UseMiddleware(auditMutations)
  @Mutation(() => CancelWrapupPayload, { description: `End an agent's wrap-up now. ${REREAD}` })
  cancelWrapup(
    @Arg('input', () => CancelWrapupInput, { description: INPUT }) input: IdOnly,
    @Ctx() ctx: GraphQLContext,
  ) {
    return act(ctx, input.id, 'cancelWrapup', (k, a, u, c) => k.cancelWrapup(a, u, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => MonitorRecipientPayload, {
    description: `A supervisor (id) starts monitoring an agent (target) in a mode. Returns the supervisor re-read; the outcome arrives as events after actionCursor.`,
  })
  async monitorRecipient(
    @Arg('input', { description: INPUT }) input: MonitorRecipientInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Reread & WithCursor> {
    const target = parseAccountScopedId(input.target, 'input.target');
    requireRecipient(ctx, input.target, 'input.target');
    // Scope before comparing the two: another tenant's supervisor id is "not found", like any other.
    requireRecipient(ctx, input.id, 'input.id');
    const supervisor = parseAccountScopedId(input.id, 'input.id');
    if (target.backend !== supervisor.backend || target.accountId !== supervisor.accountId) {
      throw new PatchbayError(
        'BAD_USER_INPUT',
        'input.target must be an agent of the same backend and account as the supervisor',
        { argumentName: 'input.target' },
      );
    }
    const cursor = cursorBeforeAction(ctx);
    const supervisorNow = await act(ctx, input.id, 'monitorRecipient', (k, a, u, c) =>
      k.monitorRecipient(a, u, { target: target.objectId, mode: input.mode }, c),
    );
    return { ...supervisorNow, actionCursor: cursor };
  }
}
