/** One mutation per ARI channel command that acts on an existing channel and returns it re-read. */
import { Authorized, Arg, Ctx, ID, Mutation, Resolver, UseMiddleware } from 'type-graphql';
import type { CallContext, AriBackendLike } from '../../backends/types';
import type { Channel as DomainChannel } from '../../domain/channel';
import type { GraphQLContext } from '../context';
import { Channel } from '../types/channel';
import { MuteDirectionEnum } from '../types/enums';
import { ChannelVariableInput, SendDtmfInput, SetChannelVariableInput } from '../types/inputs';
import { checkDtmf, checkRange, requireText, toVariables } from '../validate';
import { ariTarget, reread } from './ari-target';
import { requireChannel, Roles } from '../authz';
import { auditMutations } from '../audit-middleware';

type Command = (ari: AriBackendLike, nativeId: string, call: CallContext) => Promise<void>;

async function run(ctx: GraphQLContext, id: string, operation: string, command: Command): Promise<DomainChannel | null> {
  await requireChannel(ctx, id);
  const { ari, nativeId } = ariTarget(ctx, id, operation);
  await command(ari, nativeId, ctx.call);
  return reread(ctx, id);
}

const REREAD = 'Returns the channel re-read after the command (null if it is gone).';

@Resolver()
export class ChannelControlMutations {
  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Answer a channel. ${REREAD}` })
  answerChannel(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Ctx() ctx: GraphQLContext) {
    return run(ctx, id, 'answerChannel', (a, n, c) => a.answer(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Indicate ringing to a channel. ${REREAD}` })
  ringChannel(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Ctx() ctx: GraphQLContext) {
    return run(ctx, id, 'ringChannel', (a, n, c) => a.ring(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Stop ringing indication. ${REREAD}` })
  stopRinging(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Ctx() ctx: GraphQLContext) {
    return run(ctx, id, 'stopRinging', (a, n, c) => a.ringStop(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Indicate call progress (183). ${REREAD}` })
  indicateProgress(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Ctx() ctx: GraphQLContext) {
    return run(ctx, id, 'indicateProgress', (a, n, c) => a.progress(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Send DTMF digits to a channel. ${REREAD}` })
  sendDtmf(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: SendDtmfInput, @Ctx() ctx: GraphQLContext) {
    checkDtmf(input.dtmf);
    for (const k of ['beforeMs', 'betweenMs', 'durationMs', 'afterMs'] as const) checkRange(input[k], k, 0, 60_000);
    return run(ctx, input.id, 'sendDtmf', (a, n, c) =>
      a.sendDtmf(n, { dtmf: input.dtmf, beforeMs: input.beforeMs, betweenMs: input.betweenMs, durationMs: input.durationMs, afterMs: input.afterMs }, c),
    );
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Mute a channel. ${REREAD}` })
  muteChannel(
    @Arg('id', () => ID, { description: 'Global channel id.' }) id: string,
    @Arg('direction', () => MuteDirectionEnum, { defaultValue: MuteDirectionEnum.BOTH, description: 'Which audio: IN, OUT or BOTH (default).' }) direction: MuteDirectionEnum,
    @Ctx() ctx: GraphQLContext,
  ) {
    return run(ctx, id, 'muteChannel', (a, n, c) => a.mute(n, direction, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Unmute a channel. ${REREAD}` })
  unmuteChannel(
    @Arg('id', () => ID, { description: 'Global channel id.' }) id: string,
    @Arg('direction', () => MuteDirectionEnum, { defaultValue: MuteDirectionEnum.BOTH, description: 'Which audio: IN, OUT or BOTH (default).' }) direction: MuteDirectionEnum,
    @Ctx() ctx: GraphQLContext,
  ) {
    return run(ctx, id, 'unmuteChannel', (a, n, c) => a.unmute(n, direction, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Put a channel on hold (indicates hold to it). ${REREAD}` })
  holdChannel(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Ctx() ctx: GraphQLContext) {
    return run(ctx, id, 'holdChannel', (a, n, c) => a.hold(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Take a channel off hold. ${REREAD}` })
  unholdChannel(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Ctx() ctx: GraphQLContext) {
    return run(ctx, id, 'unholdChannel', (a, n, c) => a.unhold(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Play music on hold to a channel. ${REREAD}` })
  startMusicOnHold(
    @Arg('id', () => ID, { description: 'Global channel id.' }) id: string,
    @Arg('mohClass', () => String, { nullable: true, description: 'Music class (default: the channel\'s).' }) mohClass: string | undefined,
    @Ctx() ctx: GraphQLContext,
  ) {
    return run(ctx, id, 'startMusicOnHold', (a, n, c) => a.startMoh(n, mohClass ?? undefined, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Stop music on hold. ${REREAD}` })
  stopMusicOnHold(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Ctx() ctx: GraphQLContext) {
    return run(ctx, id, 'stopMusicOnHold', (a, n, c) => a.stopMoh(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Play silence to a channel. ${REREAD}` })
  startSilence(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Ctx() ctx: GraphQLContext) {
    return run(ctx, id, 'startSilence', (a, n, c) => a.startSilence(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Stop playing silence. ${REREAD}` })
  stopSilence(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Ctx() ctx: GraphQLContext) {
    return run(ctx, id, 'stopSilence', (a, n, c) => a.stopSilence(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Set a channel variable (unset it when value is omitted). ${REREAD}` })
  setChannelVariable(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: SetChannelVariableInput, @Ctx() ctx: GraphQLContext) {
    const name = requireText(input.name, 'name').trim();
    return run(ctx, input.id, 'setChannelVariable', (a, n, c) => a.setVariable(n, name, input.value ?? undefined, input.reportEvents ?? undefined, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: `Set several channel variables at once. ${REREAD}` })
  setChannelVariables(
    @Arg('id', () => ID, { description: 'Global channel id.' }) id: string,
    @Arg('variables', () => [ChannelVariableInput], { description: 'The variables to set, in order.' }) variables: ChannelVariableInput[],
    @Ctx() ctx: GraphQLContext,
  ) {
    const vars = toVariables(variables)!;
    if (Object.keys(vars).length === 0) requireText('', 'variables');
    return run(ctx, id, 'setChannelVariables', (a, n, c) => a.setVariables(n, vars, c));
  }
}
