/** What the far end and the dialplan do on their own: inbound calls, ringing, answer, BYE, DTMF, hold. */
import type { AriEngine } from './core/engine';
import type { SimChannel } from './core/channel';
import { channelEvent } from './core/events';
import { RtpSession } from './core/rtp';
import { answerChannel, failDial, farEndRinging, isDialing, runPbx } from './core/call-progress';
import { setProgram, type Step } from './core/dialplan-contexts';
import { remoteHangup } from './core/hangup';
import { uuidV4 } from './util/ids';

export interface InboundCallOptions {
  endpoint: string;
  exten: string;
  context?: string;
  app: string;
  appArgs?: string[];
  callerId?: { name: string; number: string };
  answered?: boolean;
}

function channel(engine: AriEngine, id: string): SimChannel {
  const ch = engine.channels.get(id);
  if (!ch || ch.destroyed) throw new Error(`no such channel: ${id}`);
  return ch;
}

/**
 * A SIP INVITE from a configured PJSIP endpoint into a dialplan of `[Answer(),] Stasis(app,args)`,
 * with the event sequence of capture §6c.
 */
export function inboundCall(engine: AriEngine, o: InboundCallOptions): string {
  const [tech, resource] = o.endpoint.split('/');
  if (tech?.toUpperCase() !== 'PJSIP' || !resource || !engine.config.pjsipEndpoints.includes(resource)) {
    throw new Error(`unknown PJSIP endpoint: ${o.endpoint}`);
  }
  const ch = engine.addChannel({
    tech: 'PJSIP',
    resource,
    name: `PJSIP/${resource}-${engine.suffixes.next('PJSIP')}`,
    context: o.context ?? engine.config.pjsipContext,
    exten: o.exten,
    state: 'Ring',
    caller: o.callerId ?? { name: '', number: resource },
  });
  ch.protocolId = uuidV4();
  ch.rtp = new RtpSession();
  engine.setVariable(ch, 'SIPDOMAIN', '127.0.0.1');
  const steps: Step[] = [];
  if (o.answered) steps.push({ app: 'Answer', data: '' });
  steps.push({ app: 'Stasis', data: [o.app, ...(o.appArgs ?? [])].join(',') });
  setProgram(ch, steps);
  runPbx(engine, ch, ch.dialplan.context, ch.dialplan.exten, 1);
  return ch.id;
}

export function farEndRingingHook(engine: AriEngine, id: string): void {
  farEndRinging(engine, channel(engine, id));
}

export function farEndAnswerHook(engine: AriEngine, id: string): void {
  const ch = channel(engine, id);
  if (!isDialing(ch)) throw new Error(`channel ${id} is not an outbound call waiting for an answer`);
  answerChannel(engine, ch);
}

/** BYE (or a final error response while the outbound leg is still ringing). */
export function farEndHangupHook(engine: AriEngine, id: string, cause = 16): void {
  const ch = channel(engine, id);
  if (isDialing(ch) && ch.state !== 'Up') failDial(engine, ch, cause);
  else remoteHangup(engine, ch, cause);
}

export function farEndDtmfHook(engine: AriEngine, id: string, digit: string, durationMs = 100): void {
  const ch = channel(engine, id);
  engine.publishChannel(channelEvent('ChannelDtmfReceived', ch, { digit, duration_ms: durationMs }), ch);
}

export function farEndHoldHook(engine: AriEngine, id: string, musicClass?: string): void {
  const ch = channel(engine, id);
  engine.publishChannel(channelEvent('ChannelHold', ch, { musicclass: musicClass ?? 'default' }), ch);
}

export function farEndUnholdHook(engine: AriEngine, id: string): void {
  const ch = channel(engine, id);
  engine.publishChannel(channelEvent('ChannelUnhold', ch), ch);
}
