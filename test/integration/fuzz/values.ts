/**
 * Values for the fuzz: strings that break things (unicode, control characters, very long),
 * ids that look right but match nothing, numbers out of GraphQL's ranges, arbitrary JSON, and
 * GraphQL literal printing for all of them. Every id the fuzz produces stays away from the
 * protected call (see `scrub`).
 */
import type { Prng } from './prng';

/** An enum value: printed bare in a document, as a string in variables. */
export class EnumValue {
  constructor(readonly name: string) {}
}

/** A literal printed exactly as given (numbers JSON cannot carry, `$undeclared`, ...). */
export class RawLiteral {
  constructor(readonly text: string) {}
}

/** Channel ids the fuzz may aim mutations at, and the native id it must never produce. */
export interface IdPool {
  real: string[];
  protectedNative: string;
}

const NASTY = [
  '',
  ' ',
  '\u0000',
  '\u0007\b\f',
  '💥',
  '👨‍👩‍👧‍👦',
  'ñ',
  'e\u0301',
  '\u202Ertl',
  '\uFEFFbom',
  '\uD800',
  '\uDFFF',
  '"',
  '\\',
  '\\u0000',
  '{',
  '}',
  '$',
  '...',
  '#',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'toString',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '%s%n%x',
  '../../etc/passwd',
  '\r\n',
  '\n\n\n',
  'pbx1:',
  ':',
  '::',
  'pbx1:/',
  'pbx1:a/b/c',
  'kazoo1:abc/def',
  'nope:123',
  'PBX1:1',
  ' pbx1:1 ',
  'pbx1:\u0000',
  '1e400',
  'NaN',
  '-0',
  'true',
  '[]',
  '{}',
  'query { me { id } }',
  'Bearer x',
  '𝕏'.repeat(50),
];

export function randomAscii(rng: Prng, max = 40): string {
  let s = '';
  const n = rng.int(0, max);
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(0x20, 0x7e));
  return s;
}

function randomUnicode(rng: Prng, max = 30): string {
  let s = '';
  const n = rng.int(1, max);
  for (let i = 0; i < n; i++) {
    const cp = rng.weighted<number>([
      [4, rng.int(0, 0x1f)],
      [4, rng.int(0x80, 0x7ff)],
      [4, rng.int(0x800, 0xd7ff)],
      [1, rng.int(0xd800, 0xdfff)],
      [3, rng.int(0x10000, 0x10ffff)],
    ]);
    s += cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
  }
  return s;
}

export function randomString(rng: Prng): string {
  return rng.weighted<() => string>([
    [5, () => rng.pick(NASTY)],
    [4, () => randomAscii(rng)],
    [3, () => randomUnicode(rng)],
    [1, () => rng.pick(['a', '💥', 'x\u0000']).repeat(rng.pick([1_000, 10_000, 100_000]))],
  ])();
}

/** Something shaped like a global id (or not), never the protected call's. */
export function randomId(rng: Prng, ids: IdPool): string {
  return scrubString(
    rng.weighted<() => string>([
      [4, () => `pbx1:${rng.int(1_000_000_000, 1_999_999_999)}.${rng.int(0, 999)}`],
      [3, () => (ids.real.length ? rng.pick(ids.real) : 'pbx1:1')],
      [1, () => `${rng.pick(['pbx1', 'pbx2', 'kz', 'kazoo1'])}:${'0123456789abcdef'.repeat(2)}/${rng.int(0, 1e9)}`],
      [1, () => `pbx1:${randomAscii(rng, 20)}`],
      [2, () => randomString(rng)],
    ])(),
    ids.protectedNative,
  );
}

function scrubString(s: string, protectedNative: string): string {
  return protectedNative && s.includes(protectedNative) ? s.split(protectedNative).join('0000000000.0') : s;
}

/**
 * Copy of JSON-shaped data (variables, documents) with every mention of the protected call's
 * native id rewritten. Through JSON, not recursion: some variables are nested 5,000 deep.
 */
export function scrub<T>(value: T, protectedNative: string): T {
  if (value === undefined || !protectedNative) return value;
  if (typeof value === 'string') return scrubString(value, protectedNative) as T;
  const text = JSON.stringify(value);
  return text.includes(protectedNative) ? (JSON.parse(scrubString(text, protectedNative)) as T) : value;
}

export function wrongNumber(rng: Prng): number | RawLiteral {
  return rng.pick<number | RawLiteral>([
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 1,
    -1,
    0,
    1.5,
    1e308,
    -1e308,
    Number.MIN_VALUE,
    new RawLiteral('1e400'),
    new RawLiteral('99999999999999999999999999'),
    new RawLiteral('-0.0e-0'),
  ]);
}

export function randomJson(rng: Prng, depth = 0): unknown {
  const leaf = (): unknown =>
    rng.pick<() => unknown>([
      () => null,
      () => rng.chance(0.5),
      () => rng.int(-1e9, 1e9),
      () => rng.next() * 1e6,
      () => randomString(rng),
      () => wrongNumber(rng),
    ])();
  if (depth > 3 || rng.chance(0.4)) {
    const v = leaf();
    return v instanceof RawLiteral ? 1 : v;
  }
  if (rng.chance(0.5)) return Array.from({ length: rng.int(0, 4) }, () => randomJson(rng, depth + 1));
  return Object.fromEntries(
    Array.from({ length: rng.int(0, 4) }, () => [
      rng.pick(['a', 'id', '__proto__', '', 'x'.repeat(50), randomAscii(rng, 8)]),
      randomJson(rng, depth + 1),
    ]),
  );
}

/** [[[...]]] nested `depth` times: arrays for variables, a literal for documents. */
export function deepList(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

export function deepObject(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** A GraphQL literal for a value built by the generators. */
export function printLiteral(v: unknown): string {
  if (v instanceof EnumValue) return v.name;
  if (v instanceof RawLiteral) return v.text;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '0';
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(printLiteral).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(k) ? k : 'bad_key'}: ${printLiteral(x)}`)
    .join(', ')}}`;
}

/** The same value as JSON for the variables object (enums as strings, raw numbers as near misses). */
export function toJson(v: unknown): unknown {
  if (v instanceof EnumValue) return v.name;
  if (v instanceof RawLiteral) return /^-?[\d.e+-]+$/i.test(v.text) ? Number(v.text) : v.text;
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}
