/** Channel operations that need Stasis (and mostly a non-Down state): §2.1 rows 7–22 and 35. */
import { answerChannel, farEndRinging, runPbx } from '../core/call-progress';
import { findLabel } from '../core/dialplan-contexts';
import { internalHangup, remoteHangup } from '../core/hangup';
import { leaveStasis, moveStasis } from '../core/stasis';
import { channelEvent } from '../core/events';
import { err, noContent, type AriResult } from '../http/respond';
import { findControl, int, requireValidState, str, type HandlerCtx } from './common';
import type { SimChannel } from '../core/channel';

function controlled(ctx: HandlerCtx, checkState = true): SimChannel {
  const ch = findControl(ctx.engine, str(ctx, 'channelId'));
  if (checkState) requireValidState(ch);
  return ch;
}

export function continueInDialplan(ctx: HandlerCtx): AriResult {
  const { engine } = ctx;
  const ch = controlled(ctx);
  const ctxParam = str(ctx, 'context');
  const extParam = str(ctx, 'extension');
  const context = ctxParam ?? ch.dialplan.context;
  const exten = ctxParam ? (extParam ?? 's') : (extParam ?? ch.dialplan.exten);
  const label = str(ctx, 'label');
  let priority: number;
  if (label) {
    const numeric = /^\s*[+-]?\d+/.exec(label);
    priority = numeric ? parseInt(numeric[0], 10) : findLabel(engine, context, exten, label);
    if (priority === -1) return err(404, 'Requested label can not be found');
    if (priority === 0) return err(400, 'Requested priority is illegal');
  } else if (int(ctx, 'priority')) {
    priority = int(ctx, 'priority');
  } else if (!ctxParam && !extParam) {
    priority = ch.dialplan.priority + 1;
  } else {
    priority = 1;
  }
  engine.scheduler.after(0, () => {
    if (!ch.stasis || ch.hangingUp) return;
    const inPbx = ch.inPbx;
    leaveStasis(engine, ch);
    // Channels that were not running the dialplan (originated into an app, create'd, snoops) are
    // hung up by their owning thread once Stasis returns.
    if (inPbx) runPbx(engine, ch, context, exten, priority);
    else internalHangup(engine, ch, 0);
  });
  return noContent();
}

export function move(ctx: HandlerCtx): AriResult {
  const { engine } = ctx;
  const ch = controlled(ctx, false);
  const dest = str(ctx, 'app') ?? '';
  const args = (str(ctx, 'appArgs') ?? '').split(',').filter((a) => a !== '');
  engine.scheduler.after(0, () => moveStasis(engine, ch, dest, args));
  return noContent();
}

export function redirect(ctx: HandlerCtx): AriResult {
  const { engine } = ctx;
  const ch = controlled(ctx);
  const endpoint = str(ctx, 'endpoint');
  if (!endpoint) return err(400, "Required parameter 'endpoint' not provided.", 'Not Found');
  const slash = endpoint.indexOf('/');
  if (slash <= 0) return err(422, `Endpoint parameter '${endpoint}' does not contain tech/resource`);
  const tech = endpoint.slice(0, slash);
  if (!endpoint.slice(slash + 1)) return err(422, `No resource provided in endpoint parameter '${endpoint}'`);
  if (ch.tech.toLowerCase().slice(0, tech.length) !== tech.toLowerCase() || tech.length > ch.tech.length) {
    return err(422, `Endpoint technology '${tech}' does not match channel technology '${ch.tech}'`);
  }
  if (ch.tech === 'PJSIP') {
    // 302 / REFER accepted by the far end: it leaves the call.
    engine.scheduler.after(engine.timing.answerMs, () => remoteHangup(engine, ch, 16), ch);
  }
  return noContent();
}

export function answer(ctx: HandlerCtx): AriResult {
  const ch = controlled(ctx);
  answerChannel(ctx.engine, ch);
  return noContent();
}

export function ring(ctx: HandlerCtx): AriResult {
  const ch = controlled(ctx);
  // Ringing indicated on a Local `;2` is what its `;1` caller leg sees as 180.
  if (ch.tech === 'Local' && ch.localHalf === 2 && ch.localPeer) farEndRinging(ctx.engine, ch.localPeer);
  return noContent();
}

export function simpleIndication(ctx: HandlerCtx): AriResult {
  controlled(ctx);
  return noContent();
}

const DTMF_DIGITS = /^[0-9A-Da-d*#]$/;

export function sendDTMF(ctx: HandlerCtx): AriResult {
  const { engine } = ctx;
  const ch = controlled(ctx);
  const dtmf = str(ctx, 'dtmf');
  if (!dtmf) return err(400, 'DTMF is required');
  const duration = int(ctx, 'duration') > 0 ? int(ctx, 'duration') : 100;
  const between = int(ctx, 'between') > 0 ? int(ctx, 'between') : 100;
  // Only the other half of a Local pair *receives* what we send; a SIP far end gets RFC 4733.
  const receiver = ch.tech === 'Local' ? ch.localPeer : null;
  let at = Math.max(0, int(ctx, 'before'));
  for (const digit of dtmf) {
    if (digit === 'w') at += 500;
    else if (digit === 'W') at += 1000;
    if (!DTMF_DIGITS.test(digit)) continue;
    const end = at + duration;
    if (receiver) {
      engine.scheduler.after(
        end,
        () => {
          if (receiver.destroyed) return;
          engine.publishChannel(
            channelEvent('ChannelDtmfReceived', receiver, { digit: digit.toUpperCase(), duration_ms: duration }),
            receiver,
          );
        },
        receiver,
      );
    }
    at = end + between;
  }
  return noContent();
}

function direction(ctx: HandlerCtx): string | AriResult {
  const d = str(ctx, 'direction');
  if (!d) return err(400, 'Direction is required');
  if (d !== 'in' && d !== 'out' && d !== 'both') return err(400, 'Invalid direction specified');
  return d;
}

export function mute(ctx: HandlerCtx): AriResult {
  const ch = controlled(ctx);
  const d = direction(ctx);
  if (typeof d !== 'string') return d;
  for (const x of d === 'both' ? ['in', 'out'] : [d]) ch.muted.add(x);
  return noContent();
}

export function unmute(ctx: HandlerCtx): AriResult {
  const ch = controlled(ctx);
  const d = direction(ctx);
  if (typeof d !== 'string') return d;
  for (const x of d === 'both' ? ['in', 'out'] : [d]) ch.muted.delete(x);
  return noContent();
}

export function hold(ctx: HandlerCtx): AriResult {
  const ch = controlled(ctx);
  ch.held = true;
  // chan_pjsip starts local MOH; only the endpoint's device state shows it (capture S17).
  if (ch.tech === 'PJSIP') ctx.engine.deviceState(ch.deviceName, 'ONHOLD');
  return noContent();
}

export function unhold(ctx: HandlerCtx): AriResult {
  const ch = controlled(ctx);
  ch.held = false;
  if (ch.tech === 'PJSIP') ctx.engine.deviceState(ch.deviceName, 'INUSE');
  return noContent();
}

export function startMoh(ctx: HandlerCtx): AriResult {
  const ch = controlled(ctx);
  ch.moh = str(ctx, 'mohClass') ?? 'default';
  return noContent();
}

export function stopMoh(ctx: HandlerCtx): AriResult {
  controlled(ctx).moh = null;
  return noContent();
}

export function startSilence(ctx: HandlerCtx): AriResult {
  controlled(ctx).silence = true;
  return noContent();
}

export function stopSilence(ctx: HandlerCtx): AriResult {
  controlled(ctx).silence = false;
  return noContent();
}

const TRANSFER_STATES = ['channel_progress', 'channel_answered', 'channel_unavailable', 'channel_declined'];

export function transferProgress(ctx: HandlerCtx): AriResult {
  controlled(ctx, false);
  const states = str(ctx, 'states');
  if (!states) return err(400, 'states must not be empty');
  if (!TRANSFER_STATES.includes(states.toLowerCase())) return err(400, 'Invalid states value');
  return noContent();
}
