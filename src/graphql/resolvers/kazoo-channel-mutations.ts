/** KAZOO channel actions (Crossbar POST /channels/{id} and PUT metaflow). */
import { Authorized, Arg, Ctx, Mutation, Resolver, UseMiddleware } from 'type-graphql';
import type { KazooBackendLike, Metaflow } from '../../backends/kazoo/operations';
import { metaflowError } from '../../backends/kazoo/metaflow';
import type { CallContext } from '../../backends/types';
import type { Channel as DomainChannel } from '../../domain/channel';
import { parseGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';
import { cursorBeforeAction } from '../action-cursor';
import {
  InterceptChannelInput,
  RunMetaflowInput,
  SendChannelToCallflowInput,
  TransferChannelInput,
} from '../types/kazoo-inputs';
import { channelIdAction, channelPayload, type WithCursor } from '../types/payloads';
import { requireText } from '../validate';
import { checkAccountId } from '../../domain/scoped-ids';
import { reread } from './ari-target';
import { requireChannel, Roles } from '../authz';
import { auditMutations } from '../audit-middleware';

type Action = (k: KazooBackendLike, callId: string, call: CallContext) => Promise<void>;
type Reread = { channel: DomainChannel | null };

async function act(ctx: GraphQLContext, id: string, operation: string, action: Action): Promise<Reread> {
  const { backend, nativeId } = parseGlobalId(id, 'input.id');
  await requireChannel(ctx, id, 'input.id');
  const k = ctx.registry.kazoo(backend, operation, 'input.id');
  await action(k, nativeId, ctx.call);
  return { channel: await reread(ctx, id) };
}

const REREAD = 'Returns the channel re-read (null if it is gone). KAZOO only; fire-and-forget on the switch.';
const INPUT = 'What to do, and to which call.';

const TransferChannelPayload = channelPayload(
  'TransferChannelPayload',
  'The call after transferChannel, and where the events of the transfer begin.',
  { actionCursor: true },
);
const [BreakChannelInput, BreakChannelPayload] = channelIdAction(
  'BreakChannel',
  'Break a KAZOO call out of its callflow.',
);
const SendChannelToCallflowPayload = channelPayload(
  'SendChannelToCallflowPayload',
  'The call after sendChannelToCallflow.',
);
const InterceptChannelPayload = channelPayload('InterceptChannelPayload', 'The call after interceptChannel.');
const RunMetaflowPayload = channelPayload('RunMetaflowPayload', 'The call after runMetaflow.');

@Resolver()
export class KazooChannelMutations {
  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => TransferChannelPayload, { description: `Transfer a call. ${REREAD}` })
  async transferChannel(
    @Arg('input', { description: INPUT }) input: TransferChannelInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Reread & WithCursor> {
    requireText(input.target, 'target');
    const actionCursor = cursorBeforeAction(ctx);
    const done = await act(ctx, input.id, 'transferChannel', (k, id, c) =>
      k.transferChannel(id, { target: input.target, type: input.type, leg: input.leg, moh: input.moh }, c),
    );
    return { ...done, actionCursor };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => BreakChannelPayload, { description: `Break a call out of its current callflow. ${REREAD}` })
  breakChannel(
    @Arg('input', () => BreakChannelInput, { description: INPUT }) input: { id: string },
    @Ctx() ctx: GraphQLContext,
  ) {
    return act(ctx, input.id, 'breakChannel', (k, cid, c) => k.breakChannel(cid, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => SendChannelToCallflowPayload, { description: `Send a call to a callflow. ${REREAD}` })
  sendChannelToCallflow(
    @Arg('input', { description: INPUT }) input: SendChannelToCallflowInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    checkAccountId(input.callflowId, 'callflowId');
    return act(ctx, input.id, 'sendChannelToCallflow', (k, cid, c) => k.sendToCallflow(cid, input.callflowId, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => InterceptChannelPayload, { description: `Intercept a call to a device or user. ${REREAD}` })
  interceptChannel(@Arg('input', { description: INPUT }) input: InterceptChannelInput, @Ctx() ctx: GraphQLContext) {
    checkAccountId(input.targetId, 'targetId');
    return act(ctx, input.id, 'interceptChannel', (k, id, c) =>
      k.interceptChannel(
        id,
        { targetType: input.targetType, targetId: input.targetId, unbridgedOnly: input.unbridgedOnly },
        c,
      ),
    );
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => RunMetaflowPayload, {
    description: `Run a metaflow on a call: {module, data, children}, checked against KAZOO's metaflow rules before sending. ${REREAD}`,
  })
  runMetaflow(@Arg('input', { description: INPUT }) input: RunMetaflowInput, @Ctx() ctx: GraphQLContext) {
    const metaflow = input.metaflow as unknown as Metaflow;
    const problem = metaflowError(metaflow);
    if (problem) throw problem;
    return act(ctx, input.id, 'runMetaflow', (k, cid, c) => k.runMetaflow(cid, metaflow, c));
  }
}
