/** Playbacks on channels (`res/res_stasis_playback.c`): lifecycle events and the control operations. */
import type { AriEngine } from './engine';
import type { SimChannel } from './channel';
import { plainEvent } from './events';
import { soundExists } from './sounds';

export type PlaybackState = 'queued' | 'playing' | 'paused' | 'continuing' | 'done' | 'failed';

export class Playback {
  state: PlaybackState = 'queued';
  index = 0;
  readonly timers = new Set<NodeJS.Timeout>();
  remainingMs = 0;
  startedAt = 0;

  constructor(
    readonly id: string,
    readonly media: string[],
    readonly targetUri: string,
    readonly language: string,
    readonly channel: SimChannel,
  ) {}

  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { id: this.id, media_uri: this.media[this.index] };
    if (this.index < this.media.length - 1) json.next_media_uri = this.media[this.index + 1];
    json.target_uri = this.targetUri;
    json.language = this.language;
    json.state = this.state;
    return json;
  }
}

/** What happens to one media URI: plays, fails (missing file), or is skipped silently (bad URI). */
function mediaOutcome(engine: AriEngine, uri: string): 'play' | 'fail' | 'skip' {
  const colon = uri.indexOf(':');
  const scheme = colon < 0 ? '' : uri.slice(0, colon);
  const rest = colon < 0 ? '' : uri.slice(colon + 1);
  switch (scheme) {
    case 'sound':
      return soundExists(rest) ? 'play' : 'fail';
    case 'recording':
      return engine.storedRecordings.has(rest) ? 'play' : 'skip';
    case 'number':
      return /^-?\d+$/.test(rest) ? 'play' : 'skip';
    case 'digits':
    case 'characters':
    case 'tone':
      return 'play';
    default:
      return 'skip';
  }
}

function publish(engine: AriEngine, pb: Playback, type: string): void {
  engine.publishChannel(plainEvent(type, { playback: pb.toJSON() }), pb.channel);
}

/** Playbacks of one channel run one after another (the control queue is serialised). */
const queues = new WeakMap<SimChannel, Playback[]>();

function remove(engine: AriEngine, pb: Playback): void {
  engine.scheduler.cancelOwned(pb);
  if (engine.playbacks.get(pb.id) === pb) engine.playbacks.delete(pb.id);
  const queue = queues.get(pb.channel);
  if (!queue) return;
  const wasHead = queue[0] === pb;
  const i = queue.indexOf(pb);
  if (i >= 0) queue.splice(i, 1);
  const next = queue[0];
  if (wasHead && next && !pb.channel.destroyed) engine.scheduler.after(0, () => playCurrent(engine, next), next);
}

export function startPlayback(engine: AriEngine, pb: Playback): void {
  engine.playbacks.set(pb.id, pb);
  const queue = queues.get(pb.channel) ?? [];
  queues.set(pb.channel, queue);
  queue.push(pb);
  if (queue.length === 1) engine.scheduler.after(0, () => playCurrent(engine, pb), pb);
}

function playCurrent(engine: AriEngine, pb: Playback): void {
  if (pb.channel.destroyed) return;
  pb.state = 'playing';
  publish(engine, pb, 'PlaybackStarted');
  const outcome = mediaOutcome(engine, pb.media[pb.index]);
  if (outcome === 'skip') {
    // Asterisk logs and drops the URI; when it was the last one no PlaybackFinished follows.
    if (pb.index < pb.media.length - 1) advance(engine, pb, 'continue');
    else remove(engine, pb);
    return;
  }
  if (outcome === 'fail') {
    advance(engine, pb, 'failed');
    return;
  }
  pb.remainingMs = engine.timing.playbackMs;
  schedule(engine, pb);
}

function schedule(engine: AriEngine, pb: Playback): void {
  pb.startedAt = Date.now();
  engine.scheduler.after(pb.remainingMs, () => advance(engine, pb, 'done'), pb);
}

function advance(engine: AriEngine, pb: Playback, how: 'done' | 'failed' | 'continue'): void {
  if (pb.index < pb.media.length - 1) {
    pb.state = 'continuing';
    publish(engine, pb, 'PlaybackContinuing');
    pb.index++;
    playCurrent(engine, pb);
    return;
  }
  pb.state = how === 'failed' ? 'failed' : 'done';
  publish(engine, pb, 'PlaybackFinished');
  remove(engine, pb);
}

export type ControlResult = 'ok' | 'not-playing';

export function controlPlayback(engine: AriEngine, pb: Playback, op: string): ControlResult {
  if (pb.state !== 'playing' && pb.state !== 'paused') return 'not-playing';
  switch (op) {
    case 'pause':
      if (pb.state === 'playing') {
        engine.scheduler.cancelOwned(pb);
        pb.remainingMs = Math.max(0, pb.remainingMs - (Date.now() - pb.startedAt));
        pb.state = 'paused';
      }
      return 'ok';
    case 'unpause':
      if (pb.state === 'paused') {
        pb.state = 'playing';
        schedule(engine, pb);
      }
      return 'ok';
    case 'restart':
      engine.scheduler.cancelOwned(pb);
      pb.remainingMs = engine.timing.playbackMs;
      if (pb.state === 'playing') schedule(engine, pb);
      return 'ok';
    default:
      // reverse / forward: skip within the file; the simulated file has no timeline to move in.
      return 'ok';
  }
}

/** `DELETE /playbacks/{id}`: stopped playbacks finish as "done". */
export function stopPlayback(engine: AriEngine, pb: Playback): void {
  engine.scheduler.cancelOwned(pb);
  if (pb.state === 'queued') {
    remove(engine, pb);
    return;
  }
  pb.state = 'done';
  publish(engine, pb, 'PlaybackFinished');
  remove(engine, pb);
}

/** Hangup interrupts the stream: the final state is "failed". */
export function abortPlaybacksOf(engine: AriEngine, ch: SimChannel): void {
  for (const pb of [...engine.playbacks.values()]) {
    if (pb.channel !== ch) continue;
    engine.scheduler.cancelOwned(pb);
    if (pb.state === 'playing' || pb.state === 'paused' || pb.state === 'continuing') {
      pb.state = 'failed';
      publish(engine, pb, 'PlaybackFinished');
    }
    remove(engine, pb);
  }
}
