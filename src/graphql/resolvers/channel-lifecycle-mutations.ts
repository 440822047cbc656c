import { Authorized, Arg, Ctx, ID, Mutation, Resolver, UseMiddleware } from 'type-graphql';
import type { Channel as DomainChannel } from '../../domain/channel';
import { badInput } from '../../domain/errors';
import { parseGlobalId, toGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';
import { cursorBeforeAction, withActionCursor } from '../action-cursor';
import { Channel } from '../types/channel';
import { TransferProgressStateEnum } from '../types/enums';
import {
  ContinueInDialplanInput,
  CreateChannelInput,
  CreateExternalMediaInput,
  DialChannelInput,
  HangupChannelInput,
  MoveChannelInput,
  OriginateInput,
  SnoopChannelInput,
} from '../types/inputs';
import {
  checkEndpoint,
  checkExclusive,
  checkHostPort,
  checkNativeId,
  checkOriginateTarget,
  checkRange,
  requireText,
  toVariables,
} from '../validate';
import { ariTarget, reread, sameBackendNativeId } from './ari-target';
import { requireBackendInScope, requireChannel, Roles } from '../authz';
import { auditMutations } from '../audit-middleware';

@Resolver()
export class ChannelLifecycleMutations {
  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, {
    description:
      'Originate a call (ARI POST /channels). Returns the channel as created, before dialing (state DOWN); follow it with channelEvents.',
  })
  async originate(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: OriginateInput, @Ctx() ctx: GraphQLContext): Promise<DomainChannel> {
    requireBackendInScope(ctx, input.backend, 'input.backend');
    const ari = ctx.registry.ari(input.backend, 'originate', 'input.backend');
    checkNewChannel(input);
    checkOriginateTarget(input);
    if (input.timeoutSeconds !== undefined && input.timeoutSeconds !== -1) checkRange(input.timeoutSeconds, 'timeoutSeconds', 1, 86_400);
    const cursor = cursorBeforeAction(ctx);
    const channel = await ari.originate(
      {
        endpoint: input.endpoint,
        app: input.app,
        appArgs: input.appArgs,
        extension: input.extension,
        context: input.context,
        priority: input.priority,
        label: input.label,
        callerId: input.callerId,
        timeout: input.timeoutSeconds,
        channelId: input.channelId,
        otherChannelId: input.otherChannelId,
        originator: sameBackendNativeId(input.originator, input.backend, 'originator'),
        formats: input.formats,
        variables: toVariables(input.variables),
      },
      ctx.call,
    );
    return withActionCursor(channel, cursor);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { description: 'Create a channel in a Stasis application without dialing it (state DOWN); then dialChannel.' })
  async createChannel(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: CreateChannelInput, @Ctx() ctx: GraphQLContext): Promise<DomainChannel> {
    requireBackendInScope(ctx, input.backend, 'input.backend');
    const ari = ctx.registry.ari(input.backend, 'createChannel', 'input.backend');
    checkNewChannel(input);
    requireText(input.app, 'app');
    const cursor = cursorBeforeAction(ctx);
    const channel = await ari.createChannel(
      {
        endpoint: input.endpoint,
        app: input.app,
        appArgs: input.appArgs,
        channelId: input.channelId,
        otherChannelId: input.otherChannelId,
        originator: sameBackendNativeId(input.originator, input.backend, 'originator'),
        formats: input.formats,
        variables: toVariables(input.variables),
      },
      ctx.call,
    );
    return withActionCursor(channel, cursor);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: 'Dial a channel made by createChannel. Returns it re-read.' })
  async dialChannel(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: DialChannelInput, @Ctx() ctx: GraphQLContext): Promise<DomainChannel | null> {
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'dialChannel', 'input.id');
    checkRange(input.timeoutSeconds, 'timeoutSeconds', 0, 86_400);
    const caller = sameBackendNativeId(input.caller, parseGlobalId(input.id).backend, 'caller');
    await ari.dial(nativeId, { caller, timeout: input.timeoutSeconds }, ctx.call);
    return reread(ctx, input.id);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => ID, { description: 'Hang up a channel of any backend (ARI: in Stasis or not). Returns its id.' })
  async hangupChannel(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: HangupChannelInput, @Ctx() ctx: GraphQLContext): Promise<string> {
    const { backend, nativeId } = parseGlobalId(input.id, 'input.id');
    await requireChannel(ctx, input.id, 'input.id');
    const b = ctx.registry.require(backend, 'input.id');
    checkExclusive(input.reason, 'reason', input.reasonCode, 'reasonCode');
    if (b.kind !== 'ari' && (input.reason != null || input.reasonCode != null)) {
      throw badInput(`backend "${backend}" (${b.kind}) hangs up without a reason; omit reason and reasonCode`, { argumentName: 'input.reason' });
    }
    checkRange(input.reasonCode, 'reasonCode', 0, 255);
    await b.hangupChannel(nativeId, { reason: input.reason, reasonCode: input.reasonCode }, ctx.call);
    ctx.loaders.channel.clear(input.id);
    return toGlobalId(backend, nativeId);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: 'Leave Stasis and continue in the dialplan. Returns the channel re-read.' })
  async continueInDialplan(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: ContinueInDialplanInput, @Ctx() ctx: GraphQLContext): Promise<DomainChannel | null> {
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'continueInDialplan', 'input.id');
    checkRange(input.priority, 'priority', 1, 1_000_000);
    await ari.continueInDialplan(nativeId, { context: input.context, extension: input.extension, priority: input.priority, label: input.label }, ctx.call);
    return reread(ctx, input.id);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: 'Move a channel to another Stasis application.' })
  async moveChannel(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: MoveChannelInput, @Ctx() ctx: GraphQLContext): Promise<DomainChannel | null> {
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'moveChannel', 'input.id');
    requireText(input.app, 'app');
    await ari.move(nativeId, { app: input.app, appArgs: input.appArgs }, ctx.call);
    return reread(ctx, input.id);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: 'Redirect a channel to another endpoint of the same technology (e.g. SIP 302/REFER).' })
  async redirectChannel(@Arg('id', () => ID, { description: 'Global channel id.' }) id: string, @Arg('endpoint', { description: 'Endpoint to redirect to, e.g. "PJSIP/bob" (same technology).' }) endpoint: string, @Ctx() ctx: GraphQLContext): Promise<DomainChannel | null> {
    await requireChannel(ctx, id);
    const { ari, nativeId } = ariTarget(ctx, id, 'redirectChannel');
    checkEndpoint(endpoint);
    await ari.redirect(nativeId, endpoint, ctx.call);
    return reread(ctx, id);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { description: 'Start snooping: a new channel (in `app`) that spies on and/or whispers to this one.' })
  async snoopChannel(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: SnoopChannelInput, @Ctx() ctx: GraphQLContext): Promise<DomainChannel> {
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'snoopChannel', 'input.id');
    requireText(input.app, 'app');
    checkNativeId(input.snoopId, 'snoopId');
    if ((input.spy ?? 'none') === 'none' && (input.whisper ?? 'none') === 'none') {
      throw badInput('spy or whisper must be given (not both NONE)', { argumentName: 'input.spy' });
    }
    const cursor = cursorBeforeAction(ctx);
    const channel = await ari.snoop(nativeId, { app: input.app, appArgs: input.appArgs, spy: input.spy, whisper: input.whisper, snoopId: input.snoopId }, ctx.call);
    return withActionCursor(channel, cursor);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { description: 'Create a channel streaming media to/from an external host (ARI externalMedia).' })
  async createExternalMedia(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: CreateExternalMediaInput, @Ctx() ctx: GraphQLContext): Promise<DomainChannel> {
    requireBackendInScope(ctx, input.backend, 'input.backend');
    const ari = ctx.registry.ari(input.backend, 'createExternalMedia', 'input.backend');
    requireText(input.app, 'app');
    requireText(input.format, 'format');
    checkNativeId(input.channelId, 'channelId');
    const websocketServer = input.transport === 'websocket' && input.connectionType === 'server';
    if (!websocketServer) {
      requireText(input.externalHost, 'externalHost');
      if (input.transport !== 'websocket') checkHostPort(input.externalHost!, 'externalHost');
    }
    const cursor = cursorBeforeAction(ctx);
    const channel = await ari.externalMedia(
      {
        app: input.app,
        externalHost: input.externalHost,
        format: input.format,
        channelId: input.channelId,
        encapsulation: input.encapsulation,
        transport: input.transport,
        connectionType: input.connectionType,
        direction: input.direction,
        data: input.data,
        transportData: input.transportData,
        variables: toVariables(input.variables),
      },
      ctx.call,
    );
    return withActionCursor(channel, cursor);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Channel, { nullable: true, description: 'Report the progress of a transfer to the transferee.' })
  async reportTransferProgress(
    @Arg('id', () => ID, { description: 'Global channel id.' }) id: string,
    @Arg('state', () => TransferProgressStateEnum, { description: 'The progress to report.' }) state: TransferProgressStateEnum,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DomainChannel | null> {
    await requireChannel(ctx, id);
    const { ari, nativeId } = ariTarget(ctx, id, 'reportTransferProgress');
    await ari.transferProgress(nativeId, state, ctx.call);
    return reread(ctx, id);
  }
}

/** What originate and createChannel both check before asking the backend. */
function checkNewChannel(i: { endpoint: string; channelId?: string; otherChannelId?: string; originator?: string; formats?: string[] }): void {
  checkEndpoint(i.endpoint);
  checkNativeId(i.channelId, 'channelId');
  checkNativeId(i.otherChannelId, 'otherChannelId');
  checkExclusive(i.originator, 'originator', i.formats, 'formats');
}
