/** /playbacks and /recordings resources. */
import { controlPlayback, stopPlayback } from '../core/playback';
import { finishRecording } from '../core/recording';
import { err, noContent, ok, type AriResult } from '../http/respond';
import { str, type HandlerCtx } from './common';

const OPERATIONS = ['restart', 'pause', 'unpause', 'reverse', 'forward'];

export function getPlayback(ctx: HandlerCtx): AriResult {
  const pb = ctx.engine.playbacks.get(str(ctx, 'playbackId') ?? '');
  return pb ? ok(pb.toJSON()) : err(404, 'Playback not found');
}

export function stopPlaybackHandler(ctx: HandlerCtx): AriResult {
  const pb = ctx.engine.playbacks.get(str(ctx, 'playbackId') ?? '');
  if (!pb) return err(404, 'Playback not found');
  stopPlayback(ctx.engine, pb);
  return noContent();
}

export function controlPlaybackHandler(ctx: HandlerCtx): AriResult {
  const pb = ctx.engine.playbacks.get(str(ctx, 'playbackId') ?? '');
  if (!pb) return err(404, 'Playback not found');
  const op = typeof ctx.params.operation === 'string' ? ctx.params.operation : undefined;
  if (op === undefined || !OPERATIONS.includes(op)) return err(400, `Invalid operation ${op ?? '(null)'}`);
  if (controlPlayback(ctx.engine, pb, op) === 'not-playing') {
    return err(409, `Can only ${op} while media is playing`);
  }
  return noContent();
}

function live(ctx: HandlerCtx) {
  return ctx.engine.recordings.get(str(ctx, 'recordingName') ?? '');
}

export function getLive(ctx: HandlerCtx): AriResult {
  const rec = live(ctx);
  return rec ? ok(rec.toJSON()) : err(404, 'Recording not found');
}

export function stopLive(ctx: HandlerCtx): AriResult {
  const rec = live(ctx);
  if (!rec) return err(404, 'Recording not found');
  finishRecording(ctx.engine, rec, 'done');
  return noContent();
}

export function cancelLive(ctx: HandlerCtx): AriResult {
  const rec = live(ctx);
  if (!rec) return err(404, 'Recording not found');
  finishRecording(ctx.engine, rec, 'canceled');
  return noContent();
}

function inSession(ctx: HandlerCtx, apply: (rec: NonNullable<ReturnType<typeof live>>) => void): AriResult {
  const rec = live(ctx);
  if (!rec) return err(404, 'Recording not found');
  if (rec.state !== 'recording' && rec.state !== 'paused') return err(409, 'Recording not in session');
  apply(rec);
  return noContent();
}

export const pauseLive = (ctx: HandlerCtx) => inSession(ctx, (r) => (r.state = 'paused'));
export const unpauseLive = (ctx: HandlerCtx) => inSession(ctx, (r) => (r.state = 'recording'));
export const muteLive = (ctx: HandlerCtx) => inSession(ctx, (r) => (r.muted = true));
export const unmuteLive = (ctx: HandlerCtx) => inSession(ctx, (r) => (r.muted = false));

export function listStored(ctx: HandlerCtx): AriResult {
  return ok([...ctx.engine.storedRecordings.entries()].map(([name, format]) => ({ name, format })));
}

export function getStored(ctx: HandlerCtx): AriResult {
  const name = str(ctx, 'recordingName') ?? '';
  const format = ctx.engine.storedRecordings.get(name);
  return format ? ok({ name, format }) : err(404, 'Recording not found');
}

export function deleteStored(ctx: HandlerCtx): AriResult {
  const name = str(ctx, 'recordingName') ?? '';
  if (!ctx.engine.storedRecordings.delete(name)) return err(404, 'Recording not found');
  return noContent();
}

export function copyStored(ctx: HandlerCtx): AriResult {
  const name = str(ctx, 'recordingName') ?? '';
  const dest = str(ctx, 'destinationRecordingName') ?? '';
  const format = ctx.engine.storedRecordings.get(name);
  if (!format) return err(404, 'Recording not found');
  if (ctx.engine.storedRecordings.has(dest)) {
    return err(409, 'A recording with the same name already exists on the system');
  }
  ctx.engine.storedRecordings.set(dest, format);
  return ok({ name: dest, format });
}
