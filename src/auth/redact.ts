/**
 * Makes GraphQL arguments safe to store in the audit log: secret-looking keys lose their
 * values, at any depth, and the result is plain JSON whatever went in.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const REDACTED = '[redacted]';

/** Compared case-insensitively against whole key names. */
const SECRET_KEYS = new Set(['password', 'apikey', 'secret', 'token', 'authorization', 'credentials', 'key']);
const MAX_DEPTH = 32;

export function isSecretKey(name: string): boolean {
  return SECRET_KEYS.has(name.toLowerCase());
}

/**
 * A JSON copy of `args` with the value of every secret key replaced by "[redacted]". Dates
 * become ISO strings, bigints decimal strings, undefined and functions are dropped (as
 * JSON.stringify does), cycles and very deep nesting are cut.
 */
export function redactArguments(args: unknown): JsonValue {
  return copy(args, new Set(), 0) ?? null;
}

function copy(value: unknown, seen: Set<object>, depth: number): JsonValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const obj = value as object;
  if (seen.has(obj)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return obj.map((item) => copy(item, seen, depth + 1) ?? null);
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(obj)) {
      if (isSecretKey(key)) {
        out[key] = REDACTED;
        continue;
      }
      const copied = copy(item, seen, depth + 1);
      if (copied !== undefined) out[key] = copied;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}
