import { Authorized, Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root, UseMiddleware } from 'type-graphql';
import type { LiveRecording as DomainRecording, Playback as DomainPlayback } from '../../domain/channel';
import { parseGlobalId, toGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';
import { PlaybackOperationEnum } from '../types/enums';
import { PlayMediaInput, RecordChannelInput } from '../types/inputs';
import { LiveRecording, Playback } from '../types/media';
import { checkMedia, checkNativeId, checkRange, checkRecordingName, requireText } from '../validate';
import { ariTarget } from './ari-target';
import { requireChannel, requirePlaybackBackend, Roles } from '../authz';
import { auditMutations } from '../audit-middleware';

@Resolver(() => Playback)
export class MediaMutations {
  @FieldResolver(() => ID)
  id(@Root() p: DomainPlayback): string {
    return toGlobalId(p.backend, p.nativeId);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Playback, { description: 'Start playing media to a channel (state QUEUED at first).' })
  async playMedia(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: PlayMediaInput, @Ctx() ctx: GraphQLContext): Promise<DomainPlayback> {
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'playMedia', 'input.id');
    checkMedia(input.media);
    checkRange(input.offsetMs, 'offsetMs', 0, 86_400_000);
    checkRange(input.skipMs, 'skipMs', 0, 86_400_000);
    checkNativeId(input.playbackId, 'playbackId');
    return ari.play(nativeId, { media: input.media, lang: input.lang, offsetMs: input.offsetMs, skipMs: input.skipMs, playbackId: input.playbackId }, ctx.call);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => Playback, {
    nullable: true,
    description: 'Pause, unpause, restart, rewind or fast-forward a playing playback. Returns it re-read (null once finished).',
  })
  async controlPlayback(
    @Arg('id', () => ID, { description: 'Global playback id.' }) id: string,
    @Arg('operation', () => PlaybackOperationEnum, { description: 'What to do with the playback.' }) operation: PlaybackOperationEnum,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DomainPlayback | null> {
    const { backend, nativeId } = parseGlobalId(id);
    requirePlaybackBackend(ctx, backend);
    const ari = ctx.registry.ari(backend, 'controlPlayback');
    await ari.controlPlayback(nativeId, operation, ctx.call);
    return ari.getPlayback(nativeId, ctx.call);
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => ID, { description: 'Stop a playback. Returns its id.' })
  async stopPlayback(@Arg('id', () => ID, { description: 'Global playback id.' }) id: string, @Ctx() ctx: GraphQLContext): Promise<string> {
    const { backend, nativeId } = parseGlobalId(id);
    requirePlaybackBackend(ctx, backend);
    await ctx.registry.ari(backend, 'stopPlayback').stopPlayback(nativeId, ctx.call);
    return id;
  }

  @Authorized(Roles.CONTROLLERS)
  @UseMiddleware(auditMutations)
  @Mutation(() => LiveRecording, { description: 'Start recording a channel (state QUEUED at first).' })
  async recordChannel(@Arg('input', { description: 'What to do, and to which entity (see the input type).' }) input: RecordChannelInput, @Ctx() ctx: GraphQLContext): Promise<DomainRecording> {
    await requireChannel(ctx, input.id, 'input.id');
    const { ari, nativeId } = ariTarget(ctx, input.id, 'recordChannel', 'input.id');
    checkRecordingName(input.name);
    requireText(input.format, 'format');
    checkRange(input.maxDurationSeconds, 'maxDurationSeconds', 0, 86_400);
    checkRange(input.maxSilenceSeconds, 'maxSilenceSeconds', 0, 86_400);
    return ari.record(
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
  }
}
