/**
 * Parameter assembly as `ast_ari_callback` + the generated `res_ari_*.c` code do it: query string,
 * then form fields (query wins), then JSON body keys (JSON wins, typed by JSON type).
 */
import type { OperationSpec, ParamSpec } from './swagger-ops';
import { MAX_MULTI_VALUES, separateArgs } from './separate-args';

export type ParamValue = string | number | boolean | string[] | undefined;

export class ParamError extends Error {
  constructor(message: string) {
    super(message);
  }
}

/** `ast_true`. */
export function astTrue(v: string): boolean {
  return ['yes', 'true', 'y', 't', '1', 'on'].includes(v.trim().toLowerCase());
}

/** C `atoi`/`atol`: leading whitespace, optional sign, digits; anything else is 0. */
export function atoi(v: string): number {
  const m = /^\s*([+-]?\d+)/.exec(v);
  if (!m) return 0;
  const n = parseInt(m[1], 10);
  return Number.isFinite(n) ? Math.max(Math.min(n, 2147483647), -2147483648) : 0;
}

function fromString(spec: ParamSpec, raw: string): ParamValue {
  if (spec.allowMultiple) {
    const list = separateArgs(raw);
    if (list.length >= MAX_MULTI_VALUES) throw new ParamError(`Too many values for ${spec.name}`);
    return list;
  }
  switch (spec.dataType) {
    case 'int':
    case 'long':
      return atoi(raw);
    case 'boolean':
      return astTrue(raw);
    default:
      return raw;
  }
}

function fromJson(spec: ParamSpec, v: unknown): ParamValue {
  if (spec.allowMultiple) {
    if (typeof v === 'string') return [v];
    if (Array.isArray(v)) {
      const list = v.filter((x): x is string => typeof x === 'string');
      if (list.length >= MAX_MULTI_VALUES) throw new ParamError(`Too many values for ${spec.name}`);
      return list;
    }
    return undefined;
  }
  switch (spec.dataType) {
    case 'int':
    case 'long':
      return typeof v === 'number' && Number.isInteger(v) ? v : 0;
    case 'boolean':
      return v === true;
    default:
      return typeof v === 'string' ? v : undefined;
  }
}

export interface RequestInputs {
  query: Array<[string, string]>;
  form: Array<[string, string]>;
  json: unknown; // undefined when the body was not JSON
  pathParams: Record<string, string>;
}

export function buildParams(op: OperationSpec, input: RequestInputs): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  const merged = [...input.form, ...input.query];
  for (const spec of op.params) {
    if (spec.paramType === 'path') {
      out[spec.name] = input.pathParams[spec.name];
      continue;
    }
    if (spec.paramType === 'body') continue;
    let raw: string | undefined;
    for (const [name, value] of merged) if (name === spec.name) raw = value;
    out[spec.name] = raw === undefined ? defaultFor(spec) : fromString(spec, raw);
  }
  const json = input.json;
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const obj = json as Record<string, unknown>;
    for (const spec of op.params) {
      if (spec.paramType !== 'query' || !(spec.name in obj)) continue;
      out[spec.name] = fromJson(spec, obj[spec.name]);
    }
  }
  return out;
}

function defaultFor(spec: ParamSpec): ParamValue {
  if (spec.allowMultiple) return undefined;
  if (spec.dataType === 'int' || spec.dataType === 'long') return 0;
  if (spec.dataType === 'boolean') return false;
  return undefined;
}
