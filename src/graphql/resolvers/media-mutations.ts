import { Authorized, Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root, UseMiddleware } from 'type-graphql';
import type { Playback as DomainPlayback } from '../../domain/channel';
import { parseGlobalId, toGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';
import { cursorBeforeAction } from '../action-cursor';
import { ControlPlaybackInput, PlayMediaInput, RecordChannelInput } from '../types/inputs';
import { Playback } from '../types/media';
import {
  ControlPlaybackPayload,
  idInput,
  PLAYBACK_ID,
  PlayMediaPayload,
  RecordChannelPayload,
  StopPlaybackPayload,
} from '../types/payloads';
import { checkMedia, checkNativeId, checkRange, checkRecordingName, requireText } from '../validate';
import { ariTarget } from './ari-target';
import { requireChannel, requirePlaybackBackend, Roles } from '../authz';
import { auditMutations } from '../audit-middleware';

const INPUT = 'What to do, and to which channel or playback.';
const StopPlaybackInput = idInput('StopPlaybackInput', 'Stop a playback.', PLAYBACK_ID);

@Resolver(() => Playback)
export class MediaMutations {
  @FieldResolver(() => ID)
  id(@Root() p: DomainPlayback): string {
    return toGlobalId(p.backend, p.nativeId);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => PlayMediaPayload, { description: 'Start playing media to a channel (state QUEUED at first).' })
  async playMedia(
    @Arg('input', { description: INPUT }) input: PlayMediaInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PlayMediaPayload> {
    checkMedia(input.media);
    checkRange(input.offsetMs, 'offsetMs', 0, 86_400_000);
    checkRange(input.skipMs, 'skipMs', 0, 86_400_000);
    checkNativeId(input.playbackId, 'playbackId');
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'playMedia', 'input.id');
    const actionCursor = cursorBeforeAction(ctx);
    const playback = await ari.play(
      nativeId,
      {
        media: input.media,
        lang: input.lang,
        offsetMs: input.offsetMs,
        skipMs: input.skipMs,
        playbackId: input.playbackId,
      },
      ctx.call,
    );
    return { playback, actionCursor };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => ControlPlaybackPayload, {
    description:
      'Pause, unpause, restart, rewind or fast-forward a playing playback. Returns it re-read (null once finished).',
  })
  async controlPlayback(
    @Arg('input', { description: INPUT }) input: ControlPlaybackInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ControlPlaybackPayload> {
    const { backend, nativeId } = parseGlobalId(input.id, 'input.id');
    requirePlaybackBackend(ctx, backend);
    const ari = ctx.registry.ari(backend, 'controlPlayback', 'input.id');
    await ari.controlPlayback(nativeId, input.operation, ctx.call);
    return { playback: await ari.getPlayback(nativeId, ctx.call) };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => StopPlaybackPayload, {
    description: 'Stop a playback. Returns its id, to evict from a client cache.',
  })
  async stopPlayback(
    @Arg('input', () => StopPlaybackInput, { description: INPUT }) input: { id: string },
    @Ctx() ctx: GraphQLContext,
  ): Promise<StopPlaybackPayload> {
    const { backend, nativeId } = parseGlobalId(input.id, 'input.id');
    requirePlaybackBackend(ctx, backend);
    await ctx.registry.ari(backend, 'stopPlayback', 'input.id').stopPlayback(nativeId, ctx.call);
    return { stoppedPlaybackId: toGlobalId(backend, nativeId) };
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => RecordChannelPayload, { description: 'Start recording a channel (state QUEUED at first).' })
  async recordChannel(
    @Arg('input', { description: INPUT }) input: RecordChannelInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecordChannelPayload> {
    checkRecordingName(input.name);
    requireText(input.format, 'format');
    checkRange(input.maxDurationSeconds, 'maxDurationSeconds', 0, 86_400);
    checkRange(input.maxSilenceSeconds, 'maxSilenceSeconds', 0, 86_400);
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'recordChannel', 'input.id');
    const actionCursor = cursorBeforeAction(ctx);
    const recording = await ari.record(
      nativeId,
      {
        name: input.name,
        format: input.format,
        maxDurationSeconds: input.maxDurationSeconds,
        maxSilenceSeconds: input.maxSilenceSeconds,
        ifExists: input.ifExists,
        beep: input.beep,
        terminateOn: input.terminateOn,
      },
      ctx.call,
    );
    return { recording, actionCursor };
  }
}
