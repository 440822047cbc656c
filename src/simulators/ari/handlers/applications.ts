/** /applications: list, get, subscription and event filter (`res/ari/resource_applications.c`). */
import { err, ok, type AriResult } from '../http/respond';
import { list, str, type HandlerCtx } from './common';
import type { StasisApp } from '../core/apps';

export function listApps(ctx: HandlerCtx): AriResult {
  return ok([...ctx.engine.apps.apps.values()].map((a) => a.toJSON()));
}

export function getApp(ctx: HandlerCtx): AriResult {
  const app = ctx.engine.apps.get(str(ctx, 'applicationName') ?? '');
  return app ? ok(app.toJSON()) : err(404, 'Application not found');
}

type Source = { kind: 'channel' | 'bridge' | 'endpoint' | 'deviceState'; id: string };

function parseSource(s: string): Source | undefined {
  const m = /^(channel|bridge|endpoint|deviceState):(.*)$/s.exec(s);
  return m ? { kind: m[1] as Source['kind'], id: m[2] } : undefined;
}

function bump(map: Map<string, number>, key: string, delta: number): void {
  const n = (map.get(key) ?? 0) + delta;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}

function change(ctx: HandlerCtx, subscribe: boolean): AriResult {
  const sources = list(ctx, 'eventSource')?.filter((s) => s !== '');
  if (!sources || sources.length === 0) return err(400, 'Missing parameter eventSource');
  const app = ctx.engine.apps.get(str(ctx, 'applicationName') ?? '');
  if (!app) return err(404, 'Application not found');
  for (const raw of sources) {
    const src = parseSource(raw);
    if (!src) return err(400, 'Invalid event source URI scheme');
    const res = subscribe ? add(ctx, app, src) : remove(ctx, app, src);
    if (res) return res;
  }
  return ok(app.toJSON());
}

function add(ctx: HandlerCtx, app: StasisApp, src: Source): AriResult | undefined {
  const { engine } = ctx;
  const missing = err(422, 'Event source does not exist');
  switch (src.kind) {
    case 'channel': {
      if (!src.id) return void (app.channelAll = true);
      const ch = engine.findByIdOrName(src.id);
      if (!ch) return missing;
      app.addInterest(ch.id);
      return undefined;
    }
    case 'bridge':
      if (!src.id) return void (app.bridgeAll = true);
      return missing; // the simulator has no bridges
    case 'endpoint': {
      if (!src.id) return void (app.endpointAll = true);
      const [tech, resource] = src.id.split('/');
      if (tech?.toLowerCase() !== 'pjsip' || (resource && !engine.config.pjsipEndpoints.includes(resource))) {
        return missing;
      }
      bump(app.endpointSubs, src.id, 1);
      return undefined;
    }
    case 'deviceState':
      if (!src.id) return void (app.deviceAll = true);
      bump(app.deviceSubs, src.id, 1);
      return undefined;
  }
}

function remove(ctx: HandlerCtx, app: StasisApp, src: Source): AriResult | undefined {
  const notSubscribed = err(422, 'Event source was not subscribed to');
  switch (src.kind) {
    case 'channel': {
      if (!src.id) return app.channelAll ? void (app.channelAll = false) : notSubscribed;
      const ch = ctx.engine.findByIdOrName(src.id);
      if (!ch) return err(422, 'Event source does not exist');
      if (!app.channelInterest.has(ch.id)) return notSubscribed;
      app.dropInterest(ch.id);
      return undefined;
    }
    case 'bridge':
      if (!src.id) return app.bridgeAll ? void (app.bridgeAll = false) : notSubscribed;
      return err(422, 'Event source does not exist');
    case 'endpoint':
      if (!src.id) return app.endpointAll ? void (app.endpointAll = false) : notSubscribed;
      if (!app.endpointSubs.has(src.id)) return notSubscribed;
      bump(app.endpointSubs, src.id, -1);
      return undefined;
    case 'deviceState':
      if (!src.id) return app.deviceAll ? void (app.deviceAll = false) : notSubscribed;
      if (!app.deviceSubs.has(src.id)) return notSubscribed;
      bump(app.deviceSubs, src.id, -1);
      return undefined;
  }
}

export const subscribe = (ctx: HandlerCtx) => change(ctx, true);
export const unsubscribe = (ctx: HandlerCtx) => change(ctx, false);

function parseFilterList(v: unknown): Array<{ type: string }> | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Array<{ type: string }> = [];
  for (const e of v) {
    if (!e || typeof e !== 'object' || typeof (e as { type?: unknown }).type !== 'string') return undefined;
    out.push({ type: (e as { type: string }).type });
  }
  return out;
}

export function filter(ctx: HandlerCtx): AriResult {
  const app = ctx.engine.apps.get(str(ctx, 'applicationName') ?? '');
  if (!app) return err(404, 'Application not found');
  const body = ctx.body;
  if (body === undefined || body === null || Object.keys(body as object).length === 0) {
    app.allowed = [];
    app.disallowed = [];
    return ok(app.toJSON());
  }
  if (typeof body !== 'object' || Array.isArray(body)) return err(400, 'Invalid format definition');
  const b = body as Record<string, unknown>;
  const allowed = 'allowed' in b ? parseFilterList(b.allowed) : app.allowed;
  const disallowed = 'disallowed' in b ? parseFilterList(b.disallowed) : app.disallowed;
  if (!allowed || !disallowed) return err(400, 'Invalid format definition');
  app.allowed = allowed;
  app.disallowed = disallowed;
  return ok(app.toJSON());
}
