/**
 * Argument and variable values for a schema input type: mostly valid, often wrong (other
 * kinds, out of range, null for non-null, unknown enum values, missing or extra input fields).
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputObjectType,
  type GraphQLInputType,
} from 'graphql';
import type { Prng } from './prng';
import { EnumValue, RawLiteral, randomId, randomJson, randomString, wrongNumber, type IdPool } from './values';

/** Strings that make sense for an argument of this name, so some calls get past validation. */
function meaningfulString(rng: Prng, name: string, ids: IdPool): string {
  const n = name.toLowerCase();
  if (n === 'id' || n.endsWith('channelid') || n === 'originator' || n === 'after') return randomId(rng, ids);
  if (n === 'backend') return rng.pick(['pbx1', 'pbx1', 'pbx2', 'kz', '', 'PBX1']);
  if (n === 'endpoint')
    return rng.pick([
      'PJSIP/alice',
      'PJSIP/nobody',
      'Local/wait@ari-test',
      'Local/echo@ari-test',
      'SIP/x',
      'PJSIP/',
      '/',
    ]);
  if (n === 'app') return rng.pick(['patchbay', 'other', '']);
  if (n === 'accountid')
    return rng.pick(['0123456789abcdef0123456789abcdef', 'ffffffffffffffffffffffffffffffff', 'zz']);
  if (n === 'media' || n === 'uri') return rng.pick(['sound:tt-monkeys', 'sound:hello-world', 'tone:ring', 'nope:x']);
  if (n === 'dtmf') return rng.pick(['123#', 'abc', '']);
  return randomString(rng);
}

function validScalar(rng: Prng, type: string, argName: string, ids: IdPool): unknown {
  switch (type) {
    case 'Int':
      return rng.pick([0, 1, 5, 10, 100, rng.int(-5, 1000)]);
    case 'Float':
      return rng.next() * 100;
    case 'Boolean':
      return rng.chance(0.5);
    case 'ID':
      return randomId(rng, ids);
    case 'DateTime':
      return rng.pick([new Date(Date.now() - rng.int(0, 1e9)).toISOString(), '2026-01-01T00:00:00Z']);
    case 'JSONObject':
    case 'JSON':
      return rng.chance(0.7) ? { a: 1, nested: { b: [1, 2] } } : randomJson(rng);
    default:
      return meaningfulString(rng, argName, ids);
  }
}

export class InputValues {
  constructor(
    private readonly rng: Prng,
    private readonly ids: IdPool,
  ) {}

  /** Valid for the type except with probability `wrongness` at each level. */
  value(type: GraphQLInputType, argName: string, wrongness: number, depth = 0): unknown {
    if (this.rng.chance(wrongness)) return this.wrong(type, depth);
    if (isNonNullType(type)) return this.value(type.ofType, argName, wrongness, depth);
    if (depth > 6) return null;
    if (isListType(type)) {
      // A single value where a list is expected is valid input coercion.
      if (this.rng.chance(0.15)) return this.value(type.ofType, argName, wrongness, depth + 1);
      return Array.from({ length: this.rng.int(0, 3) }, () => this.value(type.ofType, argName, wrongness, depth + 1));
    }
    if (isEnumType(type)) return new EnumValue(this.rng.pick(type.getValues()).name);
    if (isInputObjectType(type)) {
      const out: Record<string, unknown> = {};
      for (const f of Object.values(type.getFields())) {
        if (isNonNullType(f.type) || this.rng.chance(0.5))
          out[f.name] = this.value(f.type, f.name, wrongness, depth + 1);
      }
      return out;
    }
    if (isScalarType(type)) return validScalar(this.rng, type.name, argName, this.ids);
    return null;
  }

  wrong(type: GraphQLInputType, depth: number): unknown {
    const named = getNamedType(type);
    const r = this.rng;
    return r.weighted<() => unknown>([
      [3, () => null],
      [2, () => randomString(r)],
      [2, () => wrongNumber(r)],
      [1, () => r.chance(0.5)],
      [1, () => new EnumValue(r.pick(['UP', 'NOPE', 'true', 'null_', 'ALL']))],
      [1, () => [randomString(r), 1, null]],
      [2, () => (isInputObjectType(named) ? this.objectWithProblems(named, depth) : { unexpected: randomString(r) })],
      [1, () => randomJson(r)],
      [1, () => new RawLiteral(r.pick(['$undeclared', '1.2.3', '"unterminated', '{', '[', '@', '0x10', 'Infinity']))],
    ])();
  }

  /** Required fields left out, unknown fields added, wrong values for known ones. */
  private objectWithProblems(type: GraphQLInputObjectType, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      if (this.rng.chance(0.3)) continue;
      out[f.name] = this.rng.chance(0.3) ? this.wrong(f.type, depth + 1) : this.value(f.type, f.name, 0.1, depth + 1);
    }
    if (this.rng.chance(0.5)) out[`extra${this.rng.int(0, 99)}`] = randomString(this.rng);
    return out;
  }
}
