/** Shared handler plumbing: typed parameter access and the lookups every channel operation uses. */
import type { AriEngine } from '../core/engine';
import type { SimChannel } from '../core/channel';
import type { ParamValue } from '../http/params';
import { err, type AriResult } from '../http/respond';

export interface HandlerCtx {
  engine: AriEngine;
  params: Record<string, ParamValue>;
  /** The parsed JSON body (Swagger body parameters), undefined when none was sent. */
  body: unknown;
  host: string | undefined;
}

export type Handler = (ctx: HandlerCtx) => AriResult;

/** A string parameter; '' is returned as undefined, like `ast_strlen_zero` treats it. */
export function str(ctx: HandlerCtx, name: string): string | undefined {
  const v = ctx.params[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function int(ctx: HandlerCtx, name: string): number {
  const v = ctx.params[name];
  return typeof v === 'number' ? v : 0;
}

export function bool(ctx: HandlerCtx, name: string): boolean {
  return ctx.params[name] === true;
}

export function list(ctx: HandlerCtx, name: string): string[] | undefined {
  const v = ctx.params[name];
  return Array.isArray(v) ? v : undefined;
}

export class HttpError extends Error {
  constructor(readonly result: AriResult) {
    super(typeof result.body === 'object' ? JSON.stringify(result.body) : String(result.status));
  }
}

/** `find_control`: 404 when the channel does not exist, 409 when it is not in Stasis. */
export function findControl(engine: AriEngine, id: string | undefined): SimChannel {
  const ch = engine.findByIdOrName(id);
  if (!ch || ch.destroyed) throw new HttpError(err(404, 'Channel not found'));
  if (!ch.stasis) throw new HttpError(err(409, 'Channel not in Stasis application'));
  return ch;
}

/** `channel_state_invalid`: Down, Rsrvd and Ringing are refused with 412. */
export function requireValidState(ch: SimChannel): void {
  if (ch.state === 'Down' || ch.state === 'Rsrvd' || ch.state === 'Ringing') {
    throw new HttpError(err(412, 'Channel in invalid state', 'Precondition Failed'));
  }
}

export interface VariableEntry {
  name: string;
  value: string;
  reportEvents: boolean;
}

/** `json_to_ast_variables` (master, with report_events objects). Empty keys are skipped. */
export function parseVariables(json: unknown, trimNames = false): VariableEntry[] {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return [];
  const out: VariableEntry[] = [];
  for (const [rawName, v] of Object.entries(json as Record<string, unknown>)) {
    const name = trimNames ? rawName.trim() : rawName;
    if (!name) continue;
    if (typeof v === 'string') {
      out.push({ name, value: v, reportEvents: false });
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.value !== 'string') {
        throw new HttpError(err(400, "Each object value in 'variables' must include string field 'value'"));
      }
      if ('report_events' in o && typeof o.report_events !== 'boolean') {
        throw new HttpError(err(400, "Field 'report_events' in 'variables' entries must be boolean"));
      }
      out.push({ name, value: o.value, reportEvents: o.report_events === true });
    } else {
      throw new HttpError(
        err(400, "Each value in 'variables' must be a string or an object with 'value' and optional 'report_events'"),
      );
    }
  }
  return out;
}

/** The `variables` key of the JSON body, if any. */
export function bodyVariables(ctx: HandlerCtx): VariableEntry[] {
  const body = ctx.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  return parseVariables((body as Record<string, unknown>).variables);
}
