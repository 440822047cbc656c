/**
 * Hangup paths and their event order (docs/wire/ari.md §3.4, capture R26/R34/R41/S28/S32):
 * [RTP QoS varsets] → ChannelHangupRequest → [PlaybackFinished] → StasisEnd → STASISSTATUS →
 * [pbx: HangupRequest 16/soft] → [Local peer teardown] → ChannelDestroyed → device states.
 */
import type { AriEngine } from './engine';
import type { SimChannel } from './channel';
import { causeText, causeToSip } from './causes';
import { destroyedEvent, hangupRequestEvent } from './events';
import { leaveStasis } from './stasis';
import { abortPlaybacksOf } from './playback';
import { finishRecordingsOf } from './recording';

/** `DELETE /channels/{id}`: hangup cause set, then a soft hangup with AST_SOFTHANGUP_EXPLICIT (32). */
export function ariHangup(engine: AriEngine, ch: SimChannel, cause: number): void {
  if (ch.hangingUp || ch.destroyed) return;
  ch.hangupCause = cause;
  if (ch.rtp) for (const [name, value] of ch.rtp.qosVariables()) engine.setVariable(ch, name, value);
  ch.hangingUp = true;
  engine.publishChannel(hangupRequestEvent(ch, 32, true), ch);
  teardown(engine, ch);
}

/** Far end sent BYE (or the Local peer went away): a queued hangup with the Q.850 cause, no `soft`. */
export function remoteHangup(engine: AriEngine, ch: SimChannel, cause: number): void {
  if (ch.hangingUp || ch.destroyed) return;
  ch.hangupCause = cause;
  ch.hangingUp = true;
  engine.publishChannel(hangupRequestEvent(ch, cause, false), ch);
  teardown(engine, ch);
}

/** The dialplan ran out of priorities. */
export function hangupFromPbx(engine: AriEngine, ch: SimChannel, cause: number): void {
  if (ch.hangingUp || ch.destroyed) return;
  if (!ch.hangupCause) ch.hangupCause = cause;
  ch.hangingUp = true;
  teardown(engine, ch);
}

/** `ast_hangup` by the owning thread (failed dial, create'd channel leaving Stasis): no request event. */
export function internalHangup(engine: AriEngine, ch: SimChannel, cause: number): void {
  if (ch.hangingUp || ch.destroyed) return;
  if (!ch.hangupCause) ch.hangupCause = cause;
  ch.hangingUp = true;
  teardown(engine, ch);
}

function teardown(engine: AriEngine, ch: SimChannel, deferred: Array<() => void> = [], root = true): void {
  engine.scheduler.cancelOwned(ch);
  abortPlaybacksOf(engine, ch);
  finishRecordingsOf(engine, ch);
  if (ch.stasis) leaveStasis(engine, ch);
  if (ch.inPbx) engine.publishChannel(hangupRequestEvent(ch, 16, true), ch); // AST_SOFTHANGUP_APPUNLOAD
  for (const snoop of [...ch.snoops]) {
    if (snoop.hangingUp || snoop.destroyed) continue;
    snoop.hangupCause = 16;
    snoop.hangingUp = true;
    teardown(engine, snoop, deferred, false);
  }
  const peer = ch.localPeer;
  if (peer && !peer.hangingUp && !peer.destroyed) {
    peer.hangupCause = ch.hangupCause;
    peer.hangingUp = true;
    engine.publishChannel(hangupRequestEvent(peer, ch.hangupCause, false), peer);
    teardown(engine, peer, deferred, false);
  }
  destroy(engine, ch, deferred);
  if (root) for (const fn of deferred) fn();
}

function destroy(engine: AriEngine, ch: SimChannel, deferred: Array<() => void>): void {
  if (ch.inPbx) {
    // The PBX clears the app when it ends; an originated leg falls back to the dialing API's marker.
    ch.dialplan.appName = ch.outbound ? 'AppDial2' : '';
    ch.dialplan.appData = ch.outbound ? '(Outgoing Line)' : '';
  }
  const cause = ch.hangupCause;
  const techCause = ch.tech === 'PJSIP' ? causeToSip(cause) : 0;
  engine.publishChannel(destroyedEvent(ch, cause, causeText(cause), techCause), ch);
  ch.destroyed = true;
  engine.channels.delete(ch.id);
  engine.apps.forgetChannel(ch.id);
  for (const other of engine.channels.values()) other.snoops.delete(ch);
  const device = ch.deviceName;
  if (ch.tech === 'PJSIP' || ch.tech === 'Local') deferred.push(() => engine.deviceState(device, 'NOT_INUSE'));
  else if (ch.tech === 'UnicastRTP') deferred.push(() => engine.deviceState(device, 'UNKNOWN'));
}
