/**
 * How ARI wants its parameters (docs/wire/ari.md §1.1, §1.4): Asterisk decodes path segments, query
 * names and values with the "legacy" rule where `+` means space, so a literal `+` (E.164 numbers)
 * must travel as %2B; list parameters are one comma-joined value (repeating the name keeps only
 * the last); `variables` only exists as a JSON body.
 */
import type { Variables } from '../types';

/**
 * Strict RFC 3986 percent-encoding: only ALPHA / DIGIT / "-" / "." / "_" / "~" stay literal.
 * encodeURIComponent already turns `+` into %2B and space into %20; we also encode ! ' ( ) *
 * so nothing the server could read specially is left bare.
 */
export function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** One path segment (ids may contain `/`, `;`, spaces: Asterisk splits on `/` before decoding). */
export function pathSegment(value: string): string {
  return encodeComponent(value);
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Record<string, QueryValue>;

/**
 * Builds `?a=1&b=x%2By` (or "" when empty). Arrays become ONE comma-joined value; each item is
 * encoded on its own so commas inside an item (e.g. `CHANNEL(pjsip,call-id)`) travel as %2C,
 * while the separators stay literal commas. Asterisk decodes first and then splits with
 * ast_app_separate_args, which keeps commas inside (...) together either way.
 */
export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const encoded = Array.isArray(value)
      ? (value as readonly string[]).map(encodeComponent).join(',')
      : encodeComponent(String(value));
    parts.push(`${encodeComponent(name)}=${encoded}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Wire form of a `variables` entry: a bare string, or `{value, report_events}` when asked. */
export type WireVariableValue = string | { value: string; report_events: boolean };
export type WireVariables = Record<string, WireVariableValue>;

/** Domain variables → the object that goes under `"variables"` in the JSON body. */
export function toWireVariables(vars: Variables): WireVariables {
  const out: WireVariables = {};
  for (const [name, v] of Object.entries(vars)) {
    if (typeof v === 'string') out[name] = v;
    else if (v.reportEvents === undefined) out[name] = v.value;
    else out[name] = { value: v.value, report_events: v.reportEvents };
  }
  return out;
}

/** HTTP Basic credentials header value; kept here so nothing else ever formats the secret. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
