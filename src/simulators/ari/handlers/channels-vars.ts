/** Channel variables (§2.3, §3.7). */
import { readVariable, writeVariable } from '../core/variables';
import { err, noContent, ok, type AriResult } from '../http/respond';
import { bool, findControl, HttpError, list, parseVariables, str, type HandlerCtx } from './common';
import type { AriEngine } from '../core/engine';
import type { SimChannel } from '../core/channel';

function lookup(engine: AriEngine, id: string | undefined): SimChannel {
  const ch = engine.findByIdOrName(id);
  if (!ch || ch.destroyed) throw new HttpError(err(404, 'Provided channel was not found', 'Channel Not Found'));
  return ch;
}

function read(engine: AriEngine, ch: SimChannel, name: string): string {
  const r = readVariable(engine, ch, name);
  if (r.ok) return r.value;
  if (r.error === 'function') throw new HttpError(err(500, 'Unable to read provided function', 'Error With Function'));
  throw new HttpError(err(404, 'Provided variable was not found', 'Variable Not Found'));
}

export function getChannelVar(ctx: HandlerCtx): AriResult {
  const variable = str(ctx, 'variable');
  if (!variable) return err(400, 'Variable name is required');
  const ch = lookup(ctx.engine, str(ctx, 'channelId'));
  return ok({ value: read(ctx.engine, ch, variable) });
}

export function getChannelVars(ctx: HandlerCtx): AriResult {
  const names = list(ctx, 'variables');
  if (!names || names.length === 0) return err(400, 'At least one variable name is required');
  const ch = lookup(ctx.engine, str(ctx, 'channelId'));
  const variables: Record<string, string> = {};
  for (const raw of names) {
    const name = raw.trim();
    if (!name) return err(400, 'Variable names are required');
    variables[name] = read(ctx.engine, ch, name);
  }
  return ok({ variables });
}

export function setChannelVar(ctx: HandlerCtx): AriResult {
  const variable = str(ctx, 'variable');
  if (!variable) return err(400, 'Variable name is required');
  const ch = findControl(ctx.engine, str(ctx, 'channelId'));
  if (bool(ctx, 'report_events')) ch.reportedVars.add(variable);
  else ch.reportedVars.delete(variable);
  const value = typeof ctx.params.value === 'string' ? ctx.params.value : undefined;
  if (!writeVariable(ctx.engine, ch, variable, value)) return err(400, 'Failed to execute function');
  return noContent();
}

export function setChannelVars(ctx: HandlerCtx): AriResult {
  const body = ctx.body;
  if (body === undefined || body === null) return err(400, "The 'variables' field is required");
  const ch = ctx.engine.findByIdOrName(str(ctx, 'channelId'));
  if (!ch || ch.destroyed) return err(404, 'Provided channel was not found');
  if (!ch.stasis) return err(409, 'Channel not in Stasis application');
  const vars =
    typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).variables : undefined;
  if (!vars || typeof vars !== 'object' || Array.isArray(vars)) {
    return err(400, "The 'variables' field must be a JSON object");
  }
  const entries = parseVariables(vars, true);
  for (const v of entries) {
    if (v.reportEvents) ch.reportedVars.add(v.name);
    if (!writeVariable(ctx.engine, ch, v.name, v.value)) return err(400, 'Failed to execute function');
  }
  return noContent();
}
