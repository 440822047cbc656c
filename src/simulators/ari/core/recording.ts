/** Live recordings on channels (`res/res_stasis_recording.c`). */
import type { AriEngine } from './engine';
import type { SimChannel } from './channel';
import { plainEvent } from './events';

export type RecordingState = 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';

export class LiveRecording {
  state: RecordingState = 'queued';
  muted = false;
  readonly timers = new Set<NodeJS.Timeout>();
  private startedAt = 0;
  duration: number | undefined;

  constructor(
    readonly name: string,
    readonly format: string,
    readonly targetUri: string,
    readonly channel: SimChannel,
    readonly maxDurationSeconds: number,
    readonly maxSilenceSeconds: number,
  ) {}

  markStarted(): void {
    this.startedAt = Date.now();
  }

  elapsedSeconds(): number {
    return Math.round((Date.now() - this.startedAt) / 1000);
  }

  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      format: this.format,
      target_uri: this.targetUri,
      state: this.state,
    };
    if (this.duration !== undefined) {
      json.duration = this.duration;
      if (this.maxSilenceSeconds > 0) {
        json.talking_duration = this.duration;
        json.silence_duration = 0;
      }
    }
    return json;
  }
}

export function publishRecording(engine: AriEngine, rec: LiveRecording, type: string): void {
  engine.publishChannel(plainEvent(type, { recording: rec.toJSON() }), rec.channel);
}

export function finishRecording(
  engine: AriEngine,
  rec: LiveRecording,
  state: 'done' | 'canceled',
  duration = rec.elapsedSeconds(),
): void {
  engine.scheduler.cancelOwned(rec);
  if (engine.recordings.get(rec.name) === rec) engine.recordings.delete(rec.name);
  rec.state = state;
  if (state === 'done') {
    rec.duration = duration;
    engine.storedRecordings.set(rec.name, rec.format);
  }
  publishRecording(engine, rec, 'RecordingFinished');
}

export function finishRecordingsOf(engine: AriEngine, ch: SimChannel): void {
  for (const rec of [...engine.recordings.values()]) {
    if (rec.channel !== ch) continue;
    if (rec.state === 'queued') {
      engine.scheduler.cancelOwned(rec);
      engine.recordings.delete(rec.name);
      continue;
    }
    finishRecording(engine, rec, 'done');
  }
}
