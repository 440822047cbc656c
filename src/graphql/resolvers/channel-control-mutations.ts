/** One mutation per ARI channel command that acts on an existing channel and returns it re-read. */
import { Authorized, Arg, Ctx, Mutation, Resolver, UseMiddleware } from 'type-graphql';
import type { CallContext, AriBackendLike } from '../../backends/types';
import type { Channel as DomainChannel } from '../../domain/channel';
import type { GraphQLContext } from '../context';
import { MuteDirectionEnum } from '../types/enums';
import {
  SendDtmfInput,
  SetChannelVariableInput,
  SetChannelVariablesInput,
  StartMusicOnHoldInput,
} from '../types/inputs';
import { channelIdAction, channelPayload, muteInput } from '../types/payloads';
import { checkDtmf, checkRange, requireText, toVariables } from '../validate';
import { ariTarget, reread } from './ari-target';
import { requireChannel, Roles } from '../authz';
import { auditMutations } from '../audit-middleware';

type Command = (ari: AriBackendLike, nativeId: string, call: CallContext) => Promise<void>;

async function run(
  ctx: GraphQLContext,
  id: string,
  operation: string,
  command: Command,
): Promise<{ channel: DomainChannel | null }> {
  await requireChannel(ctx, id, 'input.id');
  const { ari, nativeId } = ariTarget(ctx, id, operation, 'input.id');
  await command(ari, nativeId, ctx.call);
  return { channel: await reread(ctx, id) };
}

const REREAD = 'Returns the channel re-read after the command (null if it is gone).';
const INPUT = 'What to do, and to which channel.';
type IdOnly = { id: string };

const [AnswerChannelInput, AnswerChannelPayload] = channelIdAction('AnswerChannel', 'Answer a channel.');
const [RingChannelInput, RingChannelPayload] = channelIdAction('RingChannel', 'Indicate ringing to a channel.');
const [StopRingingInput, StopRingingPayload] = channelIdAction('StopRinging', 'Stop indicating ringing to a channel.');
const [IndicateProgressInput, IndicateProgressPayload] = channelIdAction(
  'IndicateProgress',
  'Indicate call progress (183) to a channel.',
);
const [HoldChannelInput, HoldChannelPayload] = channelIdAction('HoldChannel', 'Put a channel on hold.');
const [UnholdChannelInput, UnholdChannelPayload] = channelIdAction('UnholdChannel', 'Take a channel off hold.');
const [StopMusicOnHoldInput, StopMusicOnHoldPayload] = channelIdAction(
  'StopMusicOnHold',
  'Stop music on hold on a channel.',
);
const [StartSilenceInput, StartSilencePayload] = channelIdAction('StartSilence', 'Play silence to a channel.');
const [StopSilenceInput, StopSilencePayload] = channelIdAction('StopSilence', 'Stop playing silence to a channel.');
const MuteChannelInput = muteInput('MuteChannelInput', 'Mute a channel.');
const MuteChannelPayload = channelPayload('MuteChannelPayload', 'The channel after muteChannel.');
const UnmuteChannelInput = muteInput('UnmuteChannelInput', 'Unmute a channel.');
const UnmuteChannelPayload = channelPayload('UnmuteChannelPayload', 'The channel after unmuteChannel.');
const SendDtmfPayload = channelPayload('SendDtmfPayload', 'The channel after sendDtmf.');
const StartMusicOnHoldPayload = channelPayload('StartMusicOnHoldPayload', 'The channel after startMusicOnHold.');
const SetChannelVariablePayload = channelPayload('SetChannelVariablePayload', 'The channel after setChannelVariable.');
const SetChannelVariablesPayload = channelPayload(
  'SetChannelVariablesPayload',
  'The channel after setChannelVariables.',
);

@Resolver()
export class ChannelControlMutations {
  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => AnswerChannelPayload, { description: `Answer a channel. ${REREAD}` })
  answerChannel(
    @Arg('input', () => AnswerChannelInput, { description: INPUT }) input: IdOnly,
    @Ctx() ctx: GraphQLContext,
  ) {
    return run(ctx, input.id, 'answerChannel', (a, n, c) => a.answer(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => RingChannelPayload, { description: `Indicate ringing to a channel. ${REREAD}` })
  ringChannel(@Arg('input', () => RingChannelInput, { description: INPUT }) input: IdOnly, @Ctx() ctx: GraphQLContext) {
    return run(ctx, input.id, 'ringChannel', (a, n, c) => a.ring(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => StopRingingPayload, { description: `Stop ringing indication. ${REREAD}` })
  stopRinging(@Arg('input', () => StopRingingInput, { description: INPUT }) input: IdOnly, @Ctx() ctx: GraphQLContext) {
    return run(ctx, input.id, 'stopRinging', (a, n, c) => a.ringStop(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => IndicateProgressPayload, { description: `Indicate call progress (183). ${REREAD}` })
  indicateProgress(
    @Arg('input', () => IndicateProgressInput, { description: INPUT }) input: IdOnly,
    @Ctx() ctx: GraphQLContext,
  ) {
    return run(ctx, input.id, 'indicateProgress', (a, n, c) => a.progress(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => SendDtmfPayload, { description: `Send DTMF digits to a channel. ${REREAD}` })
  sendDtmf(@Arg('input', { description: INPUT }) input: SendDtmfInput, @Ctx() ctx: GraphQLContext) {
    checkDtmf(input.dtmf);
    for (const k of ['beforeMs', 'betweenMs', 'durationMs', 'afterMs'] as const) checkRange(input[k], k, 0, 60_000);
    return run(ctx, input.id, 'sendDtmf', (a, n, c) =>
      a.sendDtmf(
        n,
        {
          dtmf: input.dtmf,
          beforeMs: input.beforeMs,
          betweenMs: input.betweenMs,
          durationMs: input.durationMs,
          afterMs: input.afterMs,
        },
        c,
      ),
    );
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => MuteChannelPayload, { description: `Mute a channel. ${REREAD}` })
  muteChannel(
    @Arg('input', () => MuteChannelInput, { description: INPUT }) input: { id: string; direction: MuteDirectionEnum },
    @Ctx() ctx: GraphQLContext,
  ) {
    return run(ctx, input.id, 'muteChannel', (a, n, c) => a.mute(n, input.direction, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => UnmuteChannelPayload, { description: `Unmute a channel. ${REREAD}` })
  unmuteChannel(
    @Arg('input', () => UnmuteChannelInput, { description: INPUT }) input: { id: string; direction: MuteDirectionEnum },
    @Ctx() ctx: GraphQLContext,
  ) {
    return run(ctx, input.id, 'unmuteChannel', (a, n, c) => a.unmute(n, input.direction, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => HoldChannelPayload, { description: `Put a channel on hold (indicates hold to it). ${REREAD}` })
  holdChannel(@Arg('input', () => HoldChannelInput, { description: INPUT }) input: IdOnly, @Ctx() ctx: GraphQLContext) {
    return run(ctx, input.id, 'holdChannel', (a, n, c) => a.hold(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => UnholdChannelPayload, { description: `Take a channel off hold. ${REREAD}` })
  unholdChannel(
    @Arg('input', () => UnholdChannelInput, { description: INPUT }) input: IdOnly,
    @Ctx() ctx: GraphQLContext,
  ) {
    return run(ctx, input.id, 'unholdChannel', (a, n, c) => a.unhold(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => StartMusicOnHoldPayload, { description: `Play music on hold to a channel. ${REREAD}` })
  startMusicOnHold(@Arg('input', { description: INPUT }) input: StartMusicOnHoldInput, @Ctx() ctx: GraphQLContext) {
    return run(ctx, input.id, 'startMusicOnHold', (a, n, c) => a.startMoh(n, input.mohClass ?? undefined, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => StopMusicOnHoldPayload, { description: `Stop music on hold. ${REREAD}` })
  stopMusicOnHold(
    @Arg('input', () => StopMusicOnHoldInput, { description: INPUT }) input: IdOnly,
    @Ctx() ctx: GraphQLContext,
  ) {
    return run(ctx, input.id, 'stopMusicOnHold', (a, n, c) => a.stopMoh(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => StartSilencePayload, { description: `Play silence to a channel. ${REREAD}` })
  startSilence(
    @Arg('input', () => StartSilenceInput, { description: INPUT }) input: IdOnly,
    @Ctx() ctx: GraphQLContext,
  ) {
    return run(ctx, input.id, 'startSilence', (a, n, c) => a.startSilence(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => StopSilencePayload, { description: `Stop playing silence. ${REREAD}` })
  stopSilence(@Arg('input', () => StopSilenceInput, { description: INPUT }) input: IdOnly, @Ctx() ctx: GraphQLContext) {
    return run(ctx, input.id, 'stopSilence', (a, n, c) => a.stopSilence(n, c));
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => SetChannelVariablePayload, {
    description: `Set a channel variable (unset it when value is omitted). ${REREAD}`,
  })
  setChannelVariable(@Arg('input', { description: INPUT }) input: SetChannelVariableInput, @Ctx() ctx: GraphQLContext) {
    const name = requireText(input.name, 'name').trim();
    return run(ctx, input.id, 'setChannelVariable', (a, n, c) =>
      a.setVariable(n, name, input.value ?? undefined, input.reportEvents ?? undefined, c),
    );
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => SetChannelVariablesPayload, { description: `Set several channel variables at once. ${REREAD}` })
  setChannelVariables(
    @Arg('input', { description: INPUT }) input: SetChannelVariablesInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    const vars = toVariables(input.variables)!;
    if (Object.keys(vars).length === 0) requireText('', 'variables');
    return run(ctx, input.id, 'setChannelVariables', (a, n, c) => a.setVariables(n, vars, c));
  }
}
