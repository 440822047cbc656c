/** The compiled executor answers exactly as graphql-js execute does, and compiles only what it may. */
import {
  buildSchema,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { CompiledQueries, compiledExecutor, compiledGateway, selectsAbstractType } from '../../../src/graphql/executor';

class DomainError extends Error {
  readonly code = 'NOT_FOUND';
}

const CREATED = new Date('2026-12-07T10:00:00.000Z');

function testSchema(): GraphQLSchema {
  const schema = buildSchema(`
    scalar DateTime
    interface Item { id: ID! }
    type Leg implements Item { id: ID! name: String! createdAt: DateTime! tags: [String!]! }
    type Query {
      legs(prefix: String!): [Leg!]!
      failing: String
      strictLegs: [Leg!]!
      items: [Item!]!
    }
    type Mutation { touch: Int! }
  `);
  Object.assign(schema.getType('DateTime')!, {
    serialize: GraphQLDateTime.serialize,
    parseValue: GraphQLDateTime.parseValue,
  });
  const fields = schema.getQueryType()!.getFields();
  const legs = [1, 2].map((i) => ({ id: `leg-${i}`, name: `Leg ${i}`, createdAt: CREATED, tags: ['a'] }));
  fields.legs.resolve = (_r, args: { prefix: string }) => legs.map((l) => ({ ...l, name: `${args.prefix}${l.name}` }));
  fields.failing.resolve = async () => {
    throw new DomainError('no such leg');
  };
  fields.strictLegs.resolve = () => [{ ...legs[0], name: null }];
  fields.items.resolve = () => legs;
  // Async, as type-graphql's resolveType is.
  (schema.getType('Item') as { resolveType?: unknown }).resolveType = async () => 'Leg';
  schema.getMutationType()!.getFields().touch.resolve = () => 1;
  return schema;
}

function requestFor(query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  const operation = getOperationAST(document)!;
  return {
    document,
    operation,
    operationName: operation.name?.value ?? null,
    queryHash: query,
    context: {},
    request: { query, variables },
  } as unknown as Parameters<ReturnType<typeof compiledExecutor>>[0];
}

function reference(schema: GraphQLSchema, query: string, variables?: Record<string, unknown>): ExecutionResult {
  return execute({ schema, document: parse(query), variableValues: variables }) as ExecutionResult;
}

/** As Apollo serialises them: the bodies clients get must be the same bytes. */
const asJson = (r: ExecutionResult): string =>
  JSON.stringify({ data: r.data, errors: r.errors?.map((e) => e.toJSON()) });

describe('compiled executor', () => {
  const schema = testSchema();

  it('runs a query on graphql-js first, compiled from its second execution, with the same answer', async () => {
    const queries = new CompiledQueries(schema);
    const run = compiledExecutor(schema, queries);
    const q = 'query Legs($p: String!) { legs(prefix: $p) { id name createdAt tags } }';
    const expected = asJson(await reference(schema, q, { p: 'x-' }));
    expect(asJson(await run(requestFor(q, { p: 'x-' })))).toBe(expected);
    expect(queries.size).toBe(0);
    const compiled = await run(requestFor(q, { p: 'x-' }));
    expect(queries.size).toBe(1);
    expect(asJson(compiled)).toBe(expected);
    // The DateTime leaf is already its JSON text, not a Date left for JSON.stringify.
    expect((compiled.data as { legs: Array<{ createdAt: unknown }> }).legs[0].createdAt).toBe(
      '2026-12-07T10:00:00.000Z',
    );
  });

  it('keeps errors as graphql-js gives them: extensions object, original error, path, locations', async () => {
    const run = compiledExecutor(schema, new CompiledQueries(schema, { maxCompiled: 10, compileAfter: 0 }));
    for (const q of ['{ failing }', '{ strictLegs { id name } }']) {
      const got = await run(requestFor(q));
      const want = await reference(schema, q);
      expect(asJson(got)).toBe(asJson(want));
      const [e] = got.errors!;
      expect(e).toBeInstanceOf(GraphQLError);
      expect(e.extensions).toEqual({});
      if (q === '{ failing }') expect(e.originalError).toBeInstanceOf(DomainError);
    }
  });

  it('answers variables that do not coerce with graphql-js errors and no data', async () => {
    const run = compiledExecutor(schema, new CompiledQueries(schema, { maxCompiled: 10, compileAfter: 0 }));
    const q = 'query Legs($p: String!) { legs(prefix: $p) { id } }';
    const got = await run(requestFor(q, { p: 42 }));
    expect(got.data).toBeUndefined();
    expect(asJson(got)).toBe(asJson(await reference(schema, q, { p: 42 })));
    expect(got.errors![0].message).toMatch(/^Variable "\$p" got invalid value 42/);
  });

  it('answers an operationName the document lacks as graphql-js does (Apollo resolves no operation)', async () => {
    const run = compiledExecutor(schema, new CompiledQueries(schema, { maxCompiled: 10, compileAfter: 0 }));
    const q = 'query Named { failing }';
    const request = {
      ...requestFor(q),
      operation: undefined as never,
      operationName: null,
      request: { query: q, operationName: 'Other' },
    };
    const got = await run(request);
    expect(got.errors?.map((e) => e.message)).toEqual(['Unknown operation named "Other".']);
    expect(got.data).toBeUndefined();
  });

  it('leaves interfaces and unions (async resolveType), and mutations, on graphql-js', async () => {
    const queries = new CompiledQueries(schema, { maxCompiled: 10, compileAfter: 0 });
    const run = compiledExecutor(schema, queries);
    const q = '{ items { id ... on Leg { name } } }';
    expect(selectsAbstractType(schema, parse(q))).toBe(true);
    expect(selectsAbstractType(schema, parse('{ legs(prefix: "") { id } }'))).toBe(false);
    expect(asJson(await run(requestFor(q)))).toBe(asJson(await reference(schema, q)));
    expect((await run(requestFor('mutation { touch }'))).data).toEqual({ touch: 1 });
    expect(queries.size).toBe(1); // the interface query, remembered as not compilable
    expect(asJson(await run(requestFor(q)))).toBe(asJson(await reference(schema, q)));
  });

  it('can be switched off: every operation then runs on graphql-js', async () => {
    const gateway = compiledGateway(schema, { enabled: false });
    let apiSchema: GraphQLSchema | undefined;
    gateway.onSchemaLoadOrUpdate((s) => (apiSchema = s.apiSchema));
    expect(apiSchema).toBe(schema);
    const { executor } = await gateway.load({ apollo: {} });
    const q = '{ legs(prefix: "") { createdAt } }';
    for (let i = 0; i < 3; i++) {
      const r = await executor!(requestFor(q));
      expect((r.data as { legs: Array<{ createdAt: unknown }> }).legs[0].createdAt).toBeInstanceOf(Date);
    }
  });
});
