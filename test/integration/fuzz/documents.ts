/**
 * GraphQL requests generated from the emitted schema: random root fields with random (often
 * wrong-typed, out-of-range, missing or extra) arguments given inline or through variables,
 * random selection sets with valid and invalid fields, fragments, directives, aliases; plus the
 * shapes that stress a server's limits (deep nesting, huge alias counts, fragment cycles,
 * deeply nested literals and variables) and plain garbage.
 */
import {
  getNamedType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { InputValues } from './inputs';
import type { Prng } from './prng';
import { deepList, deepObject, printLiteral, randomAscii, randomString, scrub, toJson, type IdPool } from './values';

export interface GeneratedRequest {
  /** What kind of input this is (for the summary and failure reports). */
  kind: string;
  query: string;
  variables?: unknown;
  operationName?: string;
  /** True when the document may run a mutation (the harness picks the key accordingly). */
  mutation: boolean;
}

type OpKind = 'query' | 'mutation' | 'subscription';

class Operation {
  readonly decls: string[] = [];
  readonly variables: Record<string, unknown> = {};
  readonly fragments: string[] = [];
  private n = 0;

  nextVar(): string {
    return `v${this.n++}`;
  }
}

export class DocumentGenerator {
  private readonly inputs: InputValues;
  private readonly typeNames: string[];

  constructor(
    private readonly rng: Prng,
    private readonly schema: GraphQLSchema,
    private readonly ids: IdPool,
  ) {
    this.inputs = new InputValues(rng, ids);
    this.typeNames = Object.keys(schema.getTypeMap()).filter((t) => !t.startsWith('__'));
  }

  next(): GeneratedRequest {
    const r = this.rng;
    const make = r.weighted<() => GeneratedRequest>([
      [
        50,
        () =>
          this.operation(
            r.weighted<OpKind>([
              [6, 'query'],
              [3, 'mutation'],
              [1, 'subscription'],
            ]),
          ),
      ],
      [4, () => this.deepIntrospection()],
      [3, () => this.nestedFragments()],
      [3, () => this.manyAliases()],
      [3, () => this.fragmentCycle()],
      [3, () => this.deepLiteral()],
      [2, () => this.deepVariables()],
      [3, () => this.severalOperations()],
      [8, () => this.garbage()],
    ]);
    const made = make();
    return {
      ...made,
      variables: scrub(made.variables, this.ids.protectedNative),
      query: scrub(made.query, this.ids.protectedNative),
    };
  }

  /** One operation over 1-3 root fields of the given kind. */
  operation(kind: OpKind): GeneratedRequest {
    const r = this.rng;
    const root =
      kind === 'query'
        ? this.schema.getQueryType()!
        : kind === 'mutation'
          ? this.schema.getMutationType()!
          : this.schema.getSubscriptionType()!;
    const op = new Operation();
    const fields = Object.values(root.getFields());
    const count =
      kind === 'subscription'
        ? r.weighted([
            [9, 1],
            [1, 2],
          ])
        : r.int(1, 3);
    const selections: string[] = [];
    const targetDepth = r.weighted([
      [8, r.int(1, 4)],
      [2, r.int(10, 16)],
    ]);
    for (let i = 0; i < count; i++)
      selections.push(this.field(op, r.pick(fields), 1, targetDepth, r.chance(0.2) ? `a${i}` : undefined));
    if (r.chance(0.05)) selections.push(`nope${r.int(0, 9)}`);
    const name = r.chance(0.5) ? `Op${r.int(0, 999)}` : '';
    const header = `${kind} ${name}${op.decls.length ? `(${op.decls.join(', ')})` : ''}${this.directives(op, 'operation')}`;
    const query = `${r.chance(0.1) && kind === 'query' && !name && !op.decls.length ? '' : header} { ${selections.join(' ')} }\n${op.fragments.join('\n')}`;
    const variables = r.weighted<unknown>([
      [8, op.variables],
      [1, undefined],
      [1, r.pick<unknown>([null, [], 'x', 5, {}])],
    ]);
    return {
      kind: `${kind} (generated)`,
      query,
      variables,
      operationName: name && r.chance(0.8) ? name : r.chance(0.1) ? 'Other' : undefined,
      mutation: kind === 'mutation',
    };
  }

  private field(
    op: Operation,
    f: GraphQLField<unknown, unknown>,
    depth: number,
    targetDepth: number,
    alias?: string,
  ): string {
    const args = this.args(op, f.args);
    const sub = this.selection(op, f.type, depth, targetDepth);
    return `${alias ? `${alias}: ` : ''}${f.name}${args}${this.directives(op, 'field')}${sub}`;
  }

  private args(op: Operation, defs: readonly GraphQLArgument[]): string {
    const r = this.rng;
    const parts: string[] = [];
    for (const a of defs) {
      const mode = r.weighted<'inline' | 'wrong' | 'variable' | 'omit'>([
        [5, 'inline'],
        [2, 'wrong'],
        [2, 'variable'],
        [1, 'omit'],
      ]);
      if (mode === 'omit') continue;
      if (mode === 'variable') parts.push(`${a.name}: ${this.variable(op, a.type, a.name)}`);
      else parts.push(`${a.name}: ${printLiteral(this.inputs.value(a.type, a.name, mode === 'wrong' ? 1 : 0.03))}`);
    }
    if (r.chance(0.05)) parts.push(`${r.pick(['extra', 'id', 'filter', '_'])}: ${printLiteral(randomString(r))}`);
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  /** Declares a variable (right type, or not), puts a value (right, wrong or none) in the variables. */
  private variable(op: Operation, type: GraphQLInputType, argName: string): string {
    const r = this.rng;
    if (r.chance(0.03)) return '$undeclared';
    const name = op.nextVar();
    const declared = r.weighted<string>([
      [8, String(type)],
      [1, r.pick(['String', 'Int!', '[ID!]!', 'Nope', 'Channel', 'Boolean'])],
      [1, String(type).replace(/!$/, '')],
    ]);
    const defaultValue = r.chance(0.05) ? ` = ${printLiteral(this.inputs.value(type, argName, 0.5))}` : '';
    op.decls.push(`$${name}: ${declared}${defaultValue}`);
    const value = r.weighted<() => unknown>([
      [7, () => this.inputs.value(type, argName, 0.05)],
      [2, () => this.inputs.wrong(type, 0)],
      [1, () => undefined],
    ])();
    if (value !== undefined) op.variables[name] = toJson(value);
    return `$${name}`;
  }

  private selection(op: Operation, type: GraphQLOutputType, depth: number, targetDepth: number): string {
    const r = this.rng;
    const named = getNamedType(type);
    if (isLeafType(named)) return r.chance(0.03) ? ' { id }' : '';
    if (r.chance(0.03)) return '';
    const parts: string[] = [];
    if (isUnionType(named)) {
      parts.push('__typename');
      for (const t of r.subset(named.getTypes(), 3))
        parts.push(`... on ${t.name} { ${this.fieldsOf(op, t, depth + 1, targetDepth)} }`);
    } else if (isObjectType(named) || isInterfaceType(named)) {
      parts.push(this.fieldsOf(op, named, depth + 1, targetDepth));
      if (isInterfaceType(named)) {
        for (const t of r.subset(this.schema.getPossibleTypes(named), 2))
          parts.push(`... on ${t.name} { ${this.fieldsOf(op, t, depth + 1, targetDepth)} }`);
      }
      if (r.chance(0.05)) parts.push(`... on ${r.pick(this.typeNames)} { __typename }`);
      if (r.chance(0.05)) parts.push(this.namedFragment(op, named));
    }
    return ` { ${parts.join(' ')} }`;
  }

  private fieldsOf(
    op: Operation,
    type: GraphQLObjectType | Extract<GraphQLNamedType, { getFields(): unknown }>,
    depth: number,
    targetDepth: number,
  ): string {
    const r = this.rng;
    const fields = Object.values((type as GraphQLObjectType).getFields());
    const deeper = fields.filter((f) => !isLeafType(getNamedType(f.type)));
    const pool =
      depth >= targetDepth
        ? fields.filter((f) => isLeafType(getNamedType(f.type)))
        : depth < targetDepth - 1 && deeper.length && r.chance(0.5)
          ? deeper
          : fields;
    const chosen = pool.length ? Array.from({ length: r.int(1, 4) }, () => r.pick(pool)) : [];
    const parts = chosen.map((f, i) =>
      this.field(op, f, depth, targetDepth, r.chance(0.1) || chosen.indexOf(f) !== i ? `x${i}` : undefined),
    );
    if (!parts.length || r.chance(0.2)) parts.push('__typename');
    if (r.chance(0.04))
      parts.push(r.pick(['bogus', 'id { x }', '__schema', `f${randomAscii(r, 5).replace(/\W/g, '')}`]));
    return parts.join(' ');
  }

  private namedFragment(op: Operation, on: GraphQLNamedType): string {
    const name = `F${op.fragments.length}`;
    const target = this.rng.chance(0.8) ? on.name : this.rng.pick(this.typeNames);
    op.fragments.push(`fragment ${name} on ${target} { __typename }`);
    return `...${name}`;
  }

  private directives(op: Operation, where: 'field' | 'operation'): string {
    const r = this.rng;
    if (!r.chance(0.06)) return '';
    return ` ${r.pick([
      '@include(if: true)',
      '@skip(if: false)',
      '@include(if: "yes")',
      '@include',
      '@skip(if: true) @skip(if: false)',
      '@deprecated',
      '@specifiedBy(url: "x")',
      '@nope',
      '@defer',
      '@stream(initialCount: 1)',
      where === 'field' ? `@include(if: $${op.nextVar()})` : '@include(if: true)',
    ])}`;
  }

  private deepIntrospection(): GeneratedRequest {
    const depth = this.rng.pick([5, 10, 20, 40, 200]);
    let inner = 'name';
    for (let i = 0; i < depth; i++) inner = `ofType { ${inner} }`;
    return {
      kind: 'deep introspection',
      query: `{ __schema { types { fields { type { ${inner} } } } } }`,
      mutation: false,
    };
  }

  private nestedFragments(): GeneratedRequest {
    const depth = this.rng.pick([10, 100, 1000, 5000]);
    const style = this.rng.pick(['inline', 'braces']);
    const query =
      style === 'inline'
        ? `${'{ ... on Query '.repeat(depth)}{ me { id } }${' }'.repeat(depth)}`
        : `{ me ${'{ id '.repeat(depth)}${'}'.repeat(depth)} }`;
    return { kind: `deep nesting (${style})`, query, mutation: false };
  }

  private manyAliases(): GeneratedRequest {
    const n = this.rng.pick([31, 100, 1000, 5000]);
    const field = this.rng.pick(['me { id }', 'backends { name }', 'channels { id }', '__typename']);
    return {
      kind: 'many aliases',
      query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`,
      mutation: false,
    };
  }

  private fragmentCycle(): GeneratedRequest {
    const query = this.rng.pick([
      '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
      '{ ...A } fragment A on Query { me { id } ...A }',
      '{ channels { ...C } } fragment C on Channel { id backend { name } ...D } fragment D on Channel { ...C }',
      '{ ...A } fragment A on Query { ...A ...A ...A }',
      `{ ...F0 } ${Array.from({ length: 50 }, (_, i) => `fragment F${i} on Query { ...F${(i + 1) % 50} ...F${(i + 7) % 50} }`).join(' ')}`,
    ]);
    return { kind: 'fragment cycle', query, mutation: false };
  }

  private deepLiteral(): GeneratedRequest {
    const depth = this.rng.pick([10, 100, 1000, 5000]);
    return {
      kind: 'deep list literal',
      query: `{ channels(filter: { states: ${'['.repeat(depth)}UP${']'.repeat(depth)} }) { id } }`,
      mutation: false,
    };
  }

  private deepVariables(): GeneratedRequest {
    // Deeper than ~2,000 and JSON.stringify itself runs out of stack in the test process.
    const depth = this.rng.pick([100, 500, 1500]);
    const query = this.rng.pick([
      ['query($f: ChannelFilter) { channels(filter: $f) { id } }', { f: { states: deepList(depth) } }],
      [
        'mutation($m: JSONObject!) { runMetaflow(input: { id: "pbx1:1.1", metaflow: $m }) { channel { id } } }',
        { m: deepObject(depth) },
      ],
    ] as const);
    return { kind: 'deep variables', query: query[0], variables: query[1], mutation: query[0].startsWith('mutation') };
  }

  private severalOperations(): GeneratedRequest {
    const a = this.operation('query');
    const b = this.operation(this.rng.pick<OpKind>(['query', 'mutation']));
    return {
      kind: 'several operations',
      query: `${a.query}\n${b.query}`,
      variables: a.variables,
      operationName: this.rng.pick([undefined, a.operationName, b.operationName, 'Missing']),
      mutation: b.mutation,
    };
  }

  private garbage(): GeneratedRequest {
    const r = this.rng;
    const valid = this.operation('query').query;
    const query = r.weighted<() => string>([
      [3, () => randomString(r)],
      [3, () => valid.slice(0, r.int(0, valid.length))],
      [
        2,
        () =>
          Array.from({ length: r.int(1, 60) }, () =>
            r.pick([
              '{',
              '}',
              '(',
              ')',
              '[',
              ']',
              ':',
              '$',
              '@',
              '...',
              '!',
              '=',
              '|',
              '&',
              'query',
              'on',
              'fragment',
              '"',
              '"""',
              '#',
              'a',
              '1',
              '-',
              '\n',
            ]),
          ).join(' '),
      ],
      [1, () => `{ me { id } } ${'#'.repeat(r.int(1, 5))}${randomString(r)}`],
      [1, () => `{ channel(id: """${randomString(r)}""") { id } }`],
      [1, () => `{ channel(id: "${'\\u'.repeat(r.int(1, 3))}${randomAscii(r, 4)}") { id } }`],
      [1, () => `query { me { id } }${'\u0000'.repeat(r.int(1, 3))}`],
      [1, () => `${'{'.repeat(r.int(1, 30000))}`],
    ])();
    return {
      kind: 'garbage document',
      query,
      variables: r.chance(0.3) ? { x: randomString(r) } : undefined,
      mutation: false,
    };
  }
}
