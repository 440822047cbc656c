import { Authorized, Arg, Ctx, Mutation, Resolver, UseMiddleware } from 'type-graphql';
import type { Channel as DomainChannel } from '../../domain/channel';
import { badInput } from '../../domain/errors';
import { parseGlobalId, toGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';
import { cursorBeforeAction } from '../action-cursor';
import { channelPayload, HangupChannelPayload, type WithCursor } from '../types/payloads';
import {
  ContinueInDialplanInput,
  CreateChannelInput,
  CreateExternalMediaInput,
  DialChannelInput,
  HangupChannelInput,
  MoveChannelInput,
  OriginateInput,
  RedirectChannelInput,
  ReportTransferProgressInput,
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

type Created = { channel: DomainChannel } & WithCursor;
type Reread = { channel: DomainChannel | null };
const INPUT = 'What to do, and to which channel or backend (see the input type).';
const STARTS = { created: true, actionCursor: true };

const OriginatePayload = channelPayload(
  'OriginatePayload',
  'The channel originate created, and where its events begin.',
  STARTS,
);
const CreateChannelPayload = channelPayload(
  'CreateChannelPayload',
  'The channel createChannel created, and where its events begin.',
  STARTS,
);
const DialChannelPayload = channelPayload(
  'DialChannelPayload',
  'The channel after dialChannel, and where the events of the dial begin.',
  { actionCursor: true },
);
const ContinueInDialplanPayload = channelPayload('ContinueInDialplanPayload', 'The channel after continueInDialplan.');
const MoveChannelPayload = channelPayload('MoveChannelPayload', 'The channel after moveChannel.');
const RedirectChannelPayload = channelPayload('RedirectChannelPayload', 'The channel after redirectChannel.');
const SnoopChannelPayload = channelPayload(
  'SnoopChannelPayload',
  'The snoop channel snoopChannel created, and where its events begin.',
  STARTS,
);
const CreateExternalMediaPayload = channelPayload(
  'CreateExternalMediaPayload',
  'The channel createExternalMedia created, and where its events begin.',
  STARTS,
);
const ReportTransferProgressPayload = channelPayload(
  'ReportTransferProgressPayload',
  'The channel after reportTransferProgress.',
);

@Resolver()
export class ChannelLifecycleMutations {
  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => OriginatePayload, {
    description:
      'Originate a call (ARI POST /channels). Returns the channel as created, before dialing (state DOWN), and the actionCursor to follow it with channelEvents.',
  })
  async originate(
    @Arg('input', { description: INPUT }) input: OriginateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Created> {
    requireBackendInScope(ctx, input.backend, 'input.backend');
    const ari = ctx.registry.ari(input.backend, 'originate', 'input.backend');
    checkNewChannel(input);
    checkOriginateTarget(input);
    if (input.timeoutSeconds !== undefined && input.timeoutSeconds !== -1)
      checkRange(input.timeoutSeconds, 'timeoutSeconds', 1, 86_400);
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
    return { channel, actionCursor: cursor };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => CreateChannelPayload, {
    description: 'Create a channel in a Stasis application without dialing it (state DOWN); then dialChannel.',
  })
  async createChannel(
    @Arg('input', { description: INPUT }) input: CreateChannelInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Created> {
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
    return { channel, actionCursor: cursor };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => DialChannelPayload, {
    description: 'Dial a channel made by createChannel. Returns it re-read (null if it is gone).',
  })
  async dialChannel(
    @Arg('input', { description: INPUT }) input: DialChannelInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Reread & WithCursor> {
    checkRange(input.timeoutSeconds, 'timeoutSeconds', 0, 86_400);
    const caller = sameBackendNativeId(input.caller, parseGlobalId(input.id, 'input.id').backend, 'caller');
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'dialChannel', 'input.id');
    const actionCursor = cursorBeforeAction(ctx);
    await ari.dial(nativeId, { caller, timeout: input.timeoutSeconds }, ctx.call);
    return { channel: await reread(ctx, input.id), actionCursor };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => HangupChannelPayload, {
    description:
      'Hang up a channel of any backend (ARI: in Stasis or not). Returns its id, to evict from a client cache, and its last snapshot.',
  })
  async hangupChannel(
    @Arg('input', { description: INPUT }) input: HangupChannelInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<HangupChannelPayload> {
    const { backend, nativeId } = parseGlobalId(input.id, 'input.id');
    const b = ctx.registry.require(backend, 'input.id');
    checkExclusive(input.reason, 'reason', input.reasonCode, 'reasonCode');
    if (b.kind !== 'ari' && (input.reason != null || input.reasonCode != null)) {
      throw badInput(`backend "${backend}" (${b.kind}) hangs up without a reason; omit reason and reasonCode`, {
        argumentName: 'input.reason',
      });
    }
    checkRange(input.reasonCode, 'reasonCode', 0, 255);
    // Input is checked above, before requireChannel may ask the backend for the channel.
    await requireChannel(ctx, input.id, 'input.id');
    const last = await ctx.loaders.channel.load(input.id).catch(() => null);
    await b.hangupChannel(nativeId, { reason: input.reason, reasonCode: input.reasonCode }, ctx.call);
    ctx.loaders.channel.clear(input.id);
    return { hungUpChannelId: toGlobalId(backend, nativeId), channel: last };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => ContinueInDialplanPayload, {
    description: 'Leave Stasis and continue in the dialplan. Returns the channel re-read (null if it is gone).',
  })
  async continueInDialplan(
    @Arg('input', { description: INPUT }) input: ContinueInDialplanInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Reread> {
    checkRange(input.priority, 'priority', 1, 1_000_000);
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'continueInDialplan', 'input.id');
    await ari.continueInDialplan(
      nativeId,
      { context: input.context, extension: input.extension, priority: input.priority, label: input.label },
      ctx.call,
    );
    return { channel: await reread(ctx, input.id) };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => MoveChannelPayload, {
    description: 'Move a channel to another Stasis application. Returns the channel re-read (null if it is gone).',
  })
  async moveChannel(
    @Arg('input', { description: INPUT }) input: MoveChannelInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Reread> {
    requireText(input.app, 'app');
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'moveChannel', 'input.id');
    await ari.move(nativeId, { app: input.app, appArgs: input.appArgs }, ctx.call);
    return { channel: await reread(ctx, input.id) };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => RedirectChannelPayload, {
    description:
      'Redirect a channel to another endpoint of the same technology (e.g. SIP 302/REFER). Returns the channel re-read (null if it is gone).',
  })
  async redirectChannel(
    @Arg('input', { description: INPUT }) input: RedirectChannelInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Reread> {
    checkEndpoint(input.endpoint);
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'redirectChannel', 'input.id');
    await ari.redirect(nativeId, input.endpoint, ctx.call);
    return { channel: await reread(ctx, input.id) };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => SnoopChannelPayload, {
    description: 'Start snooping: a new channel (in `app`) that spies on and/or whispers to this one.',
  })
  async snoopChannel(
    @Arg('input', { description: INPUT }) input: SnoopChannelInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Created> {
    requireText(input.app, 'app');
    checkNativeId(input.snoopId, 'snoopId');
    if ((input.spy ?? 'none') === 'none' && (input.whisper ?? 'none') === 'none') {
      throw badInput('spy or whisper must be given (not both NONE)', { argumentName: 'input.spy' });
    }
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'snoopChannel', 'input.id');
    const cursor = cursorBeforeAction(ctx);
    const channel = await ari.snoop(
      nativeId,
      { app: input.app, appArgs: input.appArgs, spy: input.spy, whisper: input.whisper, snoopId: input.snoopId },
      ctx.call,
    );
    return { channel, actionCursor: cursor };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => CreateExternalMediaPayload, {
    description: 'Create a channel streaming media to/from an external host (ARI externalMedia).',
  })
  async createExternalMedia(
    @Arg('input', { description: INPUT }) input: CreateExternalMediaInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Created> {
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
    return { channel, actionCursor: cursor };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => ReportTransferProgressPayload, {
    description:
      'Report the progress of a transfer to the transferee. Returns the channel re-read (null if it is gone).',
  })
  async reportTransferProgress(
    @Arg('input', { description: INPUT }) input: ReportTransferProgressInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Reread> {
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'reportTransferProgress', 'input.id');
    await ari.transferProgress(nativeId, input.state, ctx.call);
    return { channel: await reread(ctx, input.id) };
  }
}

/** What originate and createChannel both check before asking the backend. */
function checkNewChannel(i: {
  endpoint: string;
  channelId?: string;
  otherChannelId?: string;
  originator?: string;
  formats?: string[];
}): void {
  checkEndpoint(i.endpoint);
  checkNativeId(i.channelId, 'channelId');
  checkNativeId(i.otherChannelId, 'otherChannelId');
  checkExclusive(i.originator, 'originator', i.formats, 'formats');
}
