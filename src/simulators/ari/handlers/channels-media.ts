/** play / playWithId / record on channels. */
import { posix } from 'node:path';
import { Playback, startPlayback } from '../core/playback';
import { LiveRecording } from '../core/recording';
import { startRecording } from '../core/recording-start';
import { formatKnown } from '../core/sounds';
import { uuidV4 } from '../util/ids';
import { created, err, type AriResult } from '../http/respond';
import { findControl, int, list, requireValidState, str, type HandlerCtx } from './common';

export function play(ctx: HandlerCtx): AriResult {
  const { engine } = ctx;
  const channelId = str(ctx, 'channelId') ?? '';
  const ch = findControl(engine, channelId);
  requireValidState(ch);
  if (int(ctx, 'skipms') < 0) return err(400, 'skipms cannot be negative');
  if (int(ctx, 'offsetms') < 0) return err(400, 'offsetms cannot be negative');
  const media = list(ctx, 'media');
  if (!media || media.length === 0 || media.every((m) => m === '')) {
    return err(500, 'Failed to queue media for playback');
  }
  const id = str(ctx, 'playbackId') ?? uuidV4();
  const pb = new Playback(id, media, `channel:${channelId}`, str(ctx, 'lang') ?? ch.language, ch);
  const body = pb.toJSON();
  startPlayback(engine, pb);
  return created(`/playbacks/${id}`, body);
}

const TERMINATE_ON = ['none', 'any', '*', '#'];
const IF_EXISTS = ['fail', 'overwrite', 'append'];

/** A name whose directory part leaves the recordings directory fails `ast_safe_mkdir` (EPERM). */
function nameEscapes(name: string): boolean {
  const norm = posix.normalize(`/recordings/${name}`);
  return !norm.startsWith('/recordings/');
}

export function record(ctx: HandlerCtx): AriResult {
  const { engine } = ctx;
  if (int(ctx, 'maxDurationSeconds') < 0) return err(400, 'max_duration_seconds cannot be negative');
  if (int(ctx, 'maxSilenceSeconds') < 0) return err(400, 'max_silence_seconds cannot be negative');
  const channelId = str(ctx, 'channelId') ?? '';
  const ch = findControl(engine, channelId);
  const terminateOn = str(ctx, 'terminateOn') ?? 'none';
  if (!TERMINATE_ON.includes(terminateOn)) return err(400, 'terminateOn invalid');
  const ifExists = str(ctx, 'ifExists') ?? 'fail';
  if (!IF_EXISTS.includes(ifExists)) return err(400, 'ifExists invalid');
  const format = str(ctx, 'format') ?? '';
  if (!formatKnown(format)) return err(422, 'specified format is unknown on this system');
  const name = str(ctx, 'name');
  if (!name) return err(500, 'Error parsing request');
  if (engine.recordings.has(name) || (ifExists === 'fail' && engine.storedRecordings.has(name))) {
    return err(409, `Recording '${name}' already exists and can not be overwritten`);
  }
  if (nameEscapes(name)) return err(400, 'Recording name invalid');
  const rec = new LiveRecording(
    name,
    format,
    `channel:${channelId}`,
    ch,
    int(ctx, 'maxDurationSeconds'),
    int(ctx, 'maxSilenceSeconds'),
  );
  const body = rec.toJSON();
  startRecording(engine, rec);
  return created(`/recordings/live/${encodeURIComponent(name)}`, body);
}
