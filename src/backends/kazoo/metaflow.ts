/**
 * KAZOO's `metaflow` schema (crossbar priv/couchdb/schemas/metaflow.json), checked before
 * anything is sent: an object with `module` (required string, 1..64 chars), optional `data`
 * (object) and optional `children` (object whose every value is a metaflow; keys non-empty).
 * Messages follow kz_json_schema's wording so they read like KAZOO's own 400s.
 */
import { badInput, type PatchbayError } from '../../domain/errors';
import type { ValidationIssue } from './envelope';

const MAX_DEPTH = 32;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function check(node: unknown, path: string, depth: number, out: ValidationIssue[]): void {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (!isObject(node)) {
    out.push({
      field: path || '(root)',
      rule: 'type',
      message: `Value did not match type(s): object (got ${typeName(node)})`,
    });
    return;
  }
  if (depth > MAX_DEPTH) {
    out.push({ field: path, rule: 'maxDepth', message: `Metaflow nested deeper than ${MAX_DEPTH} levels` });
    return;
  }
  const module = node.module;
  if (module === undefined)
    out.push({ field: at('module'), rule: 'required', message: 'Field is required but missing' });
  else if (typeof module !== 'string')
    out.push({ field: at('module'), rule: 'type', message: 'Value did not match type(s): string' });
  else if (module.length < 1)
    out.push({ field: at('module'), rule: 'minLength', message: 'String must be at least 1 characters' });
  else if (module.length > 64)
    out.push({ field: at('module'), rule: 'maxLength', message: 'String must not be more than 64 characters' });

  if (node.data !== undefined && !isObject(node.data)) {
    out.push({ field: at('data'), rule: 'type', message: 'Value did not match type(s): object' });
  }
  if (node.children !== undefined) {
    if (!isObject(node.children)) {
      out.push({ field: at('children'), rule: 'type', message: 'Value did not match type(s): object' });
      return;
    }
    for (const [key, child] of Object.entries(node.children)) {
      if (key.length === 0) {
        out.push({ field: at('children'), rule: 'patternProperties', message: 'Child keys must not be empty' });
        continue;
      }
      // KAZOO escapes literal dots in a path segment as %2E.
      check(child, at(`children.${key.replace(/\./g, '%2E')}`), depth + 1, out);
    }
  }
}

/** Every schema violation of `m`; empty when valid. */
export function validateMetaflow(m: unknown): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  check(m, '', 0, out);
  return out;
}

/** BAD_USER_INPUT listing the issues, or null when valid. */
export function metaflowError(m: unknown): PatchbayError | null {
  const issues = validateMetaflow(m);
  if (issues.length === 0) return null;
  return badInput(`invalid metaflow: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, {
    validation: issues,
  });
}
