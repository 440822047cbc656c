/** originate / originateWithId / externalMedia (`ari_channels_handle_originate_with_id`). */
import type { SimChannel } from '../core/channel';
import { codecKnown } from '../core/sounds';
import { findLabel } from '../core/dialplan-contexts';
import { requestChannel } from '../core/request';
import { startDial, type DialTarget } from '../core/call-progress';
import { writeVariable } from '../core/variables';
import { allocFailed, err, ok, type AriResult } from '../http/respond';
import { bodyVariables, HttpError, int, str, type HandlerCtx, type VariableEntry } from './common';

const MAX_PUBLIC_UNIQUEID = 149;

export interface OriginateArgs {
  endpoint?: string;
  extension?: string;
  context?: string;
  priority: number;
  label?: string;
  app?: string;
  appArgs?: string;
  callerId?: string;
  timeout: number;
  channelId?: string;
  otherChannelId?: string;
  originator?: string;
  formats?: string;
  /** Overrides the Dial event's dialstring (externalMedia's chan_rtp adds `/c(<format>)`). */
  dialstring?: string;
}

/** `ast_callerid_parse` + `ast_shrink_phone_number` for the common shapes. */
export function parseCallerId(s: string): { name: string; number: string } {
  let name = '';
  let number = '';
  const m = /^\s*(?:"([^"]*)"|([^<]*?))\s*<([^>]*)>\s*$/.exec(s);
  if (m) {
    name = (m[1] ?? m[2] ?? '').trim();
    number = m[3].trim();
  } else if (/^[\d\s()+*#.-]+$/.test(s.trim())) {
    number = s.trim();
  } else {
    name = s.trim();
  }
  if (/^[\d\s()+.-]+$/.test(number)) number = number.replace(/[\s().-]/g, '');
  return { name, number };
}

export function applyVariables(ctx: HandlerCtx, ch: SimChannel, vars: VariableEntry[]): void {
  for (const v of vars) {
    if (v.reportEvents) ch.reportedVars.add(v.name);
    writeVariable(ctx.engine, ch, v.name, v.value);
  }
}

export function originateChannel(
  ctx: HandlerCtx,
  a: OriginateArgs,
  vars: VariableEntry[],
): { ch: SimChannel } | AriResult {
  const { engine } = ctx;
  if ((a.channelId?.length ?? 0) > MAX_PUBLIC_UNIQUEID || (a.otherChannelId?.length ?? 0) > MAX_PUBLIC_UNIQUEID) {
    return err(400, `Uniqueid length exceeds maximum of ${MAX_PUBLIC_UNIQUEID}`);
  }
  if (!a.endpoint) return err(400, 'Endpoint must be specified');
  if (a.originator && a.formats) return err(400, "Originator and formats can't both be specified");
  const slash = a.endpoint.indexOf('/');
  const tech = slash < 0 ? a.endpoint : a.endpoint.slice(0, slash);
  const resource = slash < 0 ? '' : a.endpoint.slice(slash + 1);
  if (!tech || !resource) return err(400, 'Invalid endpoint specified');

  let target: DialTarget;
  if (a.app) {
    target = { kind: 'app', app: a.app, appArgs: a.appArgs ?? '' };
  } else if (a.extension) {
    const context = a.context ?? 'default';
    let priority = a.priority || 1;
    if (a.label) {
      const numeric = /^\s*[+-]?\d+/.exec(a.label);
      priority = numeric ? parseInt(numeric[0], 10) : findLabel(engine, context, a.extension, a.label);
      if (priority === -1) return err(404, 'Requested label can not be found');
      if (priority === 0) return err(400, 'Requested priority is illegal');
    }
    target = { kind: 'exten', context, exten: a.extension, priority };
  } else {
    return err(400, 'Application or extension must be specified');
  }

  const cid = a.callerId ? parseCallerId(a.callerId) : undefined;
  if (a.originator && !engine.findByIdOrName(a.originator)) {
    return err(400, 'Provided originator channel was not found');
  }
  if (a.formats) {
    for (const f of a.formats.split(',').map((x) => x.trim())) {
      if (!codecKnown(f)) return err(400, `Provided format (${f}) was not found`);
    }
  }
  const res = requestChannel(engine, tech, resource, { id: a.channelId, otherId: a.otherChannelId });
  if (!res.ok) return res.conflict ? err(409, 'Channel with given unique ID already exists') : allocFailed();
  const ch = res.ch;
  ch.outbound = true;
  // begin_dial_prerun marks the outgoing leg.
  engine.setDialplan(ch, { appName: 'AppDial2', appData: '(Outgoing Line)' });
  if (cid && (cid.name || cid.number)) {
    engine.setCaller(ch, cid.name, cid.number);
    engine.setConnected(ch, cid.name, cid.number);
  }
  applyVariables(ctx, ch, vars);
  if (a.app) {
    // Subscribed after creation: ChannelCreated and the variables above are not seen by the app.
    const app = engine.apps.get(a.app);
    if (app) {
      app.addInterest(ch.id);
      if (ch.localPeer) app.addInterest(ch.localPeer.id);
    }
  }
  const timeoutMs = a.timeout > 0 ? a.timeout * 1000 : a.timeout === -1 ? null : 30000;
  const dialstring = a.dialstring ?? resource;
  engine.scheduler.after(0, () => startDial(engine, ch, dialstring, target, timeoutMs), ch);
  return { ch };
}

function argsFrom(ctx: HandlerCtx, channelId: string | undefined): OriginateArgs {
  return {
    endpoint: str(ctx, 'endpoint'),
    extension: str(ctx, 'extension'),
    context: str(ctx, 'context'),
    priority: int(ctx, 'priority'),
    label: str(ctx, 'label'),
    app: str(ctx, 'app'),
    appArgs: str(ctx, 'appArgs'),
    callerId: str(ctx, 'callerId'),
    timeout: int(ctx, 'timeout'),
    channelId,
    otherChannelId: str(ctx, 'otherChannelId'),
    originator: str(ctx, 'originator'),
    formats: str(ctx, 'formats'),
  };
}

function respond(r: { ch: SimChannel } | AriResult): AriResult {
  return 'ch' in r ? ok(r.ch.toJSON()) : r;
}

export function originate(ctx: HandlerCtx): AriResult {
  const vars = bodyVariables(ctx);
  return respond(originateChannel(ctx, argsFrom(ctx, str(ctx, 'channelId')), vars));
}

export function originateWithId(ctx: HandlerCtx): AriResult {
  const vars = bodyVariables(ctx);
  return respond(originateChannel(ctx, argsFrom(ctx, str(ctx, 'channelId')), vars));
}

export function externalMedia(ctx: HandlerCtx): AriResult {
  const vars = bodyVariables(ctx);
  const app = str(ctx, 'app');
  if (!app) return err(400, 'app cannot be empty');
  const host = str(ctx, 'external_host');
  if (!host) return err(400, 'external_host cannot be empty');
  if (!/^(\[[0-9a-fA-F:]+\]|[^:/\s]+):\d+$/.test(host)) return err(400, 'external_host must be <host>:<port>');
  const format = str(ctx, 'format');
  if (!format) return err(400, 'format cannot be empty');
  const encapsulation = (str(ctx, 'encapsulation') ?? 'rtp').toLowerCase();
  const transport = (str(ctx, 'transport') ?? 'udp').toLowerCase();
  if (encapsulation === 'audiosocket' && transport === 'tcp') {
    if (!str(ctx, 'data')) return err(400, 'data can not be empty');
    return allocFailed(); // chan_audiosocket is not part of the simulated system
  }
  if (encapsulation !== 'rtp' || transport !== 'udp') {
    return err(501, 'The encapsulation and/or transport is not supported');
  }
  const r = originateChannel(
    ctx,
    {
      endpoint: `UnicastRTP/${host}`,
      priority: 0,
      app,
      appArgs: str(ctx, 'data'),
      timeout: 0,
      channelId: str(ctx, 'channelId'),
      formats: format,
      dialstring: `${host}/c(${format})`,
    },
    vars,
  );
  if (!('ch' in r)) return r;
  const json: Record<string, unknown> = { ...r.ch.toJSON() };
  // ast_json_channel_vars walks the variable list newest first.
  const channelvars: Record<string, string> = {};
  for (const [k, v] of [...r.ch.vars.entries()].reverse()) channelvars[k] = v;
  if (Object.keys(channelvars).length > 0) json.channelvars = channelvars;
  return ok(json);
}

export { HttpError };
