import { MAX_NESTING, nestingTooDeep } from '../../../src/graphql/limits';

describe('nesting pre-check (before graphql-js recursion can overflow the stack)', () => {
  const nested = (n: number) => `{ ${'a { '.repeat(n)}b${' }'.repeat(n)} }`;
  it('lets ordinary documents through and refuses deep ones', () => {
    expect(nestingTooDeep(nested(20))).toBe(false);
    expect(nestingTooDeep(nested(MAX_NESTING))).toBe(true);
    expect(nestingTooDeep(`{ ${'['.repeat(5000)} }`)).toBe(true);
    expect(nestingTooDeep(undefined)).toBe(false);
  });
  it('ignores brackets inside strings, block strings and comments', () => {
    expect(nestingTooDeep(`{ a(s: "${'{'.repeat(500)}") }`)).toBe(false);
    expect(nestingTooDeep(`{ a(s: """${'('.repeat(500)}""") }`)).toBe(false);
    expect(nestingTooDeep(`# ${'['.repeat(500)}\n{ a }`)).toBe(false);
    expect(nestingTooDeep(`{ a(s: "\\"${'{'.repeat(500)}") }`)).toBe(false);
  });
});
