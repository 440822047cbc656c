/** KAZOO channel actions (Crossbar POST /channels/{id} and PUT metaflow). */
import { Authorized, Arg, Ctx, ID, Mutation, Resolver, UseMiddleware } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { KazooBackendLike, Metaflow } from '../../backends/kazoo/operations';
import { metaflowError } from '../../backends/kazoo/metaflow';
import type { CallContext } from '../../backends/types';
import type { Channel as DomainChannel } from '../../domain/channel';
import { parseGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';
import { cursorBeforeAction, withActionCursor } from '../action-cursor';
import { Channel } from '../types/channel';
import { InterceptChannelInput, TransferChannelInput } from '../types/kazoo-inputs';
import { requireText } from '../validate';
import { checkAccountId } from '../../domain/scoped-ids';
import { reread } from './ari-target';
import { requireChannel, Roles } from '../authz';
import { auditMutations } from '../audit-middleware';

type Action = (k: KazooBackendLike, callId: string, call: CallContext) => Promise<void>;

async function act(ctx: GraphQLContext, id: string, operation: string, action: Action, argName = 'id'): Promise<DomainChannel | null> {
  const { backend, nativeId } = parseGlobalId(id, argName);
  await requireChannel(ctx, id, argName);
  const k = ctx.registry.kazoo(backend, operation, argName);
  await action(k, nativeId, ctx.call);
  return reread(ctx, id);
}

const REREAD = 'Returns the channel re-read (null if it is gone). KAZOO only; fire-and-forget on the switch.';

@Resolver()
export class KazooChannelMutations {
  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Transfer a call. ${REREAD}` })
  async transferChannel(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: TransferChannelInput, @Ctx() ctx: GraphQLContext) {
    requireText(input.target, 'target');
    const cursor = cursorBeforeAction(ctx);
    return withActionCursor(await act(ctx, input.id, 'transferChannel', (k, id, c) => k.transferChannel(id, { target: input.target, type: input.type, leg: input.leg, moh: input.moh }, c), 'input.id'), cursor);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Break a call out of its current callflow. ${REREAD}` })
  breakChannel(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Ctx() ctx: GraphQLContext) {
    return act(ctx, id, 'breakChannel', (k, cid, c) => k.breakChannel(cid, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Send a call to a callflow. ${REREAD}` })
  sendChannelToCallflow(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Arg('callflowId', { description: 'Id of the callflow document (32 hex).' }) callflowId: string, @Ctx() ctx: GraphQLContext) {
    checkAccountId(callflowId, 'callflowId');
    return act(ctx, id, 'sendChannelToCallflow', (k, cid, c) => k.sendToCallflow(cid, callflowId, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Intercept a call to a device or user. ${REREAD}` })
  interceptChannel(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: InterceptChannelInput, @Ctx() ctx: GraphQLContext) {
    checkAccountId(input.targetId, 'targetId');
    return act(
      ctx,
      input.id,
      'interceptChannel',
      (k, id, c) => k.interceptChannel(id, { targetType: input.targetType, targetId: input.targetId, unbridgedOnly: input.unbridgedOnly }, c),
      'input.id',
    );
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, {
    nullable: true,
    description: `Run a metaflow on a call: {module, data, children}, checked against KAZOO's metaflow rules before sending. ${REREAD}`,
  })
  runMetaflow(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Arg('metaflow', () => GraphQLJSONObject, { description: 'The metaflow action as KAZOO takes it, e.g. {"module": "hangup"}.' }) metaflow: Record<string, unknown>, @Ctx() ctx: GraphQLContext) {
    const problem = metaflowError(metaflow as unknown as Metaflow);
    if (problem) throw problem;
    return act(ctx, id, 'runMetaflow', (k, cid, c) => k.runMetaflow(cid, metaflow as unknown as Metaflow, c));
  }
}
