/**
 * Starting a live recording auto-answers the channel, so it lives apart from recording.ts: hangup
 * needs that module, and call progress (answering) needs hangup.
 */
import type { AriEngine } from './engine';
import { answerChannel } from './call-progress';
import { finishRecording, publishRecording, type LiveRecording } from './recording';

export function startRecording(engine: AriEngine, rec: LiveRecording): void {
  engine.recordings.set(rec.name, rec);
  engine.scheduler.after(
    0,
    () => {
      if (rec.channel.destroyed) return;
      answerChannel(engine, rec.channel); // recordings auto-answer
      rec.state = 'recording';
      rec.markStarted();
      publishRecording(engine, rec, 'RecordingStarted');
      if (rec.maxDurationSeconds > 0) {
        // Reaching maxDurationSeconds is simulated after `recordingMs` of wall time.
        engine.scheduler.after(
          engine.timing.recordingMs,
          () => finishRecording(engine, rec, 'done', rec.maxDurationSeconds),
          rec,
        );
      }
    },
    rec,
  );
}
