/** /asterisk, /endpoints, /sounds, /deviceStates, /bridges (read-only parts) and /events/user. */
import { release } from 'node:os';
import { listSounds, soundExists } from '../core/sounds';
import { plainEvent } from '../core/events';
import { astTimestamp } from '../util/time';
import { err, noContent, ok, type AriResult } from '../http/respond';
import { list, str, type HandlerCtx } from './common';

export const ASTERISK_VERSION = '22.10.1';

export function getInfo(ctx: HandlerCtx): AriResult {
  const only = list(ctx, 'only');
  const want = (s: string) => !only || only.includes(s);
  const { engine } = ctx;
  const info: Record<string, unknown> = {};
  if (want('build')) {
    info.build = {
      os: 'Linux',
      kernel: release(),
      machine: 'x86_64',
      options: 'OPTIONAL_API',
      date: '2026-11-23 18:07:51 UTC',
      user: 'root',
    };
  }
  if (want('system')) info.system = { version: ASTERISK_VERSION, entity_id: engine.config.eid };
  if (want('config')) info.config = { name: '', default_language: 'en', setid: { user: '', group: '' } };
  if (want('status')) info.status = { startup_time: engine.startupTime, last_reload_time: engine.startupTime };
  return ok(info);
}

export function ping(ctx: HandlerCtx): AriResult {
  return ok({ ping: 'pong', timestamp: astTimestamp(), asterisk_id: ctx.engine.config.eid });
}

export function getGlobalVar(ctx: HandlerCtx): AriResult {
  const name = str(ctx, 'variable');
  if (!name) return err(400, 'Variable name is required');
  return ok({ value: ctx.engine.globals.get(name) ?? '' });
}

export function setGlobalVar(ctx: HandlerCtx): AriResult {
  const name = str(ctx, 'variable');
  if (!name) return err(400, 'Variable name is required');
  ctx.engine.setGlobal(name, typeof ctx.params.value === 'string' ? ctx.params.value : undefined);
  return noContent();
}

function endpointJson(ctx: HandlerCtx, resource: string) {
  const channelIds = [...ctx.engine.channels.values()]
    .filter((c) => c.tech === 'PJSIP' && c.resource === resource)
    .map((c) => c.id);
  return { technology: 'PJSIP', resource, state: 'online', channel_ids: channelIds };
}

export function listEndpoints(ctx: HandlerCtx): AriResult {
  return ok(ctx.engine.config.pjsipEndpoints.map((r) => endpointJson(ctx, r)));
}

export function listEndpointsByTech(ctx: HandlerCtx): AriResult {
  const tech = str(ctx, 'tech') ?? '';
  if (tech.toLowerCase() !== 'pjsip') return err(404, `No Endpoints found - invalid tech ${tech}`);
  return listEndpoints(ctx);
}

export function getEndpoint(ctx: HandlerCtx): AriResult {
  const tech = str(ctx, 'tech') ?? '';
  const resource = str(ctx, 'resource') ?? '';
  if (tech.toLowerCase() !== 'pjsip' || !ctx.engine.config.pjsipEndpoints.includes(resource)) {
    return err(404, 'Endpoint not found');
  }
  return ok(endpointJson(ctx, resource));
}

export function listSoundsHandler(): AriResult {
  return ok(listSounds().map((id) => ({ id, text: '', formats: [{ language: 'en', format: 'gsm' }] })));
}

export function getSound(ctx: HandlerCtx): AriResult {
  const id = str(ctx, 'soundId') ?? '';
  if (!soundExists(id)) return err(404, 'Sound not found');
  return ok({ id, text: '', formats: [{ language: 'en', format: 'gsm' }] });
}

export function emptyList(): AriResult {
  return ok([]);
}

/** `POST /events/user/{eventName}`: ChannelUserevent to one application. */
export function userEvent(ctx: HandlerCtx): AriResult {
  const application = str(ctx, 'application');
  if (!application) return err(400, 'Missing parameter application');
  const app = ctx.engine.apps.get(application);
  if (!app) return err(404, 'Application not found');
  const fields: Record<string, unknown> = { eventname: str(ctx, 'eventName') ?? '' };
  for (const src of list(ctx, 'source') ?? []) {
    const m = /^(channel|bridge|endpoint|deviceState):(.*)$/.exec(src);
    if (!m) return err(400, `Invalid scheme: ${src}`);
    if (m[1] !== 'channel') return err(422, `Unable to find event source: ${src}`);
    const ch = ctx.engine.findByIdOrName(m[2]);
    if (!ch) return err(422, `Unable to find event source: ${src}`);
    fields.channel = ch.toJSON();
  }
  const body = ctx.body as Record<string, unknown> | undefined;
  fields.userevent = body && typeof body.variables === 'object' && body.variables ? body.variables : {};
  ctx.engine.publish(plainEvent('ChannelUserevent', fields), { kind: 'app', app: application });
  return noContent();
}
