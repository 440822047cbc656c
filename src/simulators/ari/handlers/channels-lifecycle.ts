/** list / get / create / dial / hangup / snoop / rtp_statistics. */
import { HANGUP_REASONS } from '../core/causes';
import { codecKnown } from '../core/sounds';
import { requestChannel } from '../core/request';
import { startDial } from '../core/call-progress';
import { ariHangup, internalHangup } from '../core/hangup';
import { enterStasis } from '../core/stasis';
import { allocFailed, err, noContent, ok, type AriResult } from '../http/respond';
import { bodyVariables, findControl, int, str, type HandlerCtx } from './common';
import { applyVariables } from './originate';

export function list(ctx: HandlerCtx): AriResult {
  return ok(ctx.engine.listSnapshots());
}

/** Snapshot cache lookup: uniqueid only (not the name). */
export function get(ctx: HandlerCtx): AriResult {
  const ch = ctx.engine.channels.get(str(ctx, 'channelId') ?? '');
  return ch ? ok(ch.toJSON()) : err(404, 'Channel not found');
}

export function create(ctx: HandlerCtx): AriResult {
  const { engine } = ctx;
  const vars = bodyVariables(ctx);
  const originatorId = str(ctx, 'originator');
  const formats = str(ctx, 'formats');
  if (originatorId && formats) return err(400, "Originator and formats can't both be specified");
  const endpoint = str(ctx, 'endpoint');
  if (!endpoint) return err(400, 'Endpoint must be specified');
  const appName = str(ctx, 'app') ?? '';
  const appArgs = str(ctx, 'appArgs');
  const slash = endpoint.indexOf('/');
  const tech = slash < 0 ? endpoint : endpoint.slice(0, slash);
  const resource = slash < 0 ? '' : endpoint.slice(slash + 1);
  if (!tech || !resource) return err(400, 'Invalid endpoint specified');
  const originator = engine.findByIdOrName(originatorId);
  if (originator) {
    if (appName) engine.apps.get(appName)?.addInterest(originator.id);
  } else if (formats) {
    for (const f of formats.split(',').map((x) => x.trim())) {
      if (!codecKnown(f)) return err(400, `Provided format (${f}) was not found`);
    }
  }
  const res = requestChannel(engine, tech, resource, {
    id: str(ctx, 'channelId'),
    otherId: str(ctx, 'otherChannelId'),
  });
  if (!res.ok) return res.conflict ? err(409, 'Channel with given unique ID already exists') : allocFailed();
  const ch = res.ch;
  // Subscribed before the variables are set, so their ChannelVarset events reach the app.
  if (appName) engine.apps.get(appName)?.addInterest(ch.id);
  applyVariables(ctx, ch, vars);
  ch.ariDialString = resource;
  const body = ch.toJSON();
  const args = appArgs ? appArgs.split(',') : [];
  engine.scheduler.after(
    0,
    () => {
      if (ch.destroyed || ch.hangingUp) return;
      if (!enterStasis(engine, ch, appName, args)) internalHangup(engine, ch, 0);
    },
    ch,
  );
  return ok(body);
}

export function dial(ctx: HandlerCtx): AriResult {
  const { engine } = ctx;
  const ch = findControl(engine, str(ctx, 'channelId'));
  const caller = engine.findByIdOrName(str(ctx, 'caller'));
  if (ch.destroyed) return err(404, 'Callee not found');
  if (ch.state !== 'Down' && ch.state !== 'Rsrvd') return err(409, "Channel is not in the 'Down' state");
  if (!ch.ariDialString) return err(409, 'Dialing a channel not created by ARI');
  if (caller) {
    ch.language = caller.language;
    engine.setConnected(ch, caller.caller.name, caller.caller.number);
  }
  const timeout = int(ctx, 'timeout');
  const dialstring = ch.ariDialString;
  engine.scheduler.after(
    0,
    () => startDial(engine, ch, dialstring, { kind: 'none' }, timeout > 0 ? timeout * 1000 : null),
    ch,
  );
  return noContent();
}

export function hangup(ctx: HandlerCtx): AriResult {
  const { engine } = ctx;
  const ch = engine.findByIdOrName(str(ctx, 'channelId'));
  if (!ch || ch.destroyed) return err(404, 'Channel not found');
  const reason = str(ctx, 'reason');
  const reasonCode = str(ctx, 'reason_code');
  if (reason && reasonCode) return err(400, "The reason and reason_code can't both be specified");
  let cause = 16;
  if (reasonCode) {
    const m = /^\s*[+-]?\d+/.exec(reasonCode);
    if (!m) return err(400, 'Invalid reason for hangup reason code provided', 'Invalid Reason Code');
    cause = parseInt(m[0], 10);
  } else if (reason) {
    if (!(reason in HANGUP_REASONS)) return err(400, 'Invalid reason for hangup reason provided', 'Invalid Reason');
    cause = HANGUP_REASONS[reason];
  }
  // The soft hangup is handled by the channel's own thread, after this 204 went out.
  engine.scheduler.after(0, () => ariHangup(engine, ch, cause));
  return noContent();
}

const SNOOP_DIRECTIONS = ['none', 'both', 'out', 'in'];

export function snoop(ctx: HandlerCtx): AriResult {
  const { engine } = ctx;
  const spy = str(ctx, 'spy') ?? 'none';
  const whisper = str(ctx, 'whisper') ?? 'none';
  if (!SNOOP_DIRECTIONS.includes(spy)) return err(400, 'Invalid direction specified for spy');
  if (!SNOOP_DIRECTIONS.includes(whisper)) return err(400, 'Invalid direction specified for whisper');
  if (spy === 'none' && whisper === 'none') {
    return err(400, 'Direction must be specified for at least spy or whisper');
  }
  const appName = str(ctx, 'app');
  if (!appName) return err(400, 'Application name is required');
  const spied = engine.findByIdOrName(str(ctx, 'channelId'));
  if (!spied || spied.destroyed) return err(404, 'Provided channel was not found', 'Channel Not Found');
  const snoopId = str(ctx, 'snoopId');
  if (snoopId && engine.idInUse(snoopId)) return err(500, 'Snoop channel could not be created', 'Internal error');
  const ch = engine.addChannel({
    id: snoopId,
    tech: 'Snoop',
    resource: spied.id,
    name: `Snoop/${spied.id}-${engine.suffixes.next('Snoop')}`,
    context: 'default',
    exten: 's',
    state: 'Up',
  });
  spied.snoops.add(ch);
  const appArgs = str(ctx, 'appArgs');
  const args = appArgs ? appArgs.split(',') : [];
  // The snoop thread runs stasis_app_exec directly (no dialplan app) and may lag the response.
  engine.scheduler.after(
    0,
    () => {
      if (ch.destroyed || ch.hangingUp) return;
      if (!enterStasis(engine, ch, appName, args, { setDialplanApp: false })) internalHangup(engine, ch, 0);
    },
    ch,
  );
  return ok(ch.toJSON());
}

export function rtpstatistics(ctx: HandlerCtx): AriResult {
  const ch = ctx.engine.findByIdOrName(str(ctx, 'channelId'));
  if (!ch || ch.destroyed) return err(404, 'Channel not found');
  if (ch.tech === 'Local' || ch.tech === 'Snoop') return err(403, 'Unsupported channel type');
  if (!ch.rtp) {
    // chan_rtp: without the `g` option there is no RTP glue instance; with it, RTCP is off.
    const glue = ch.tech === 'UnicastRTP' && /\/[^/]*\)?g[^/]*$/.test(ch.dialString);
    return err(404, glue ? 'Statistics not found' : 'RTP info not found');
  }
  return ok(ch.rtp.toJSON(ch.id));
}
