/**
 * Queries over HTTP run as compiled JavaScript (graphql-jit) behind Apollo Server's gateway
 * executor hook; Apollo still parses, validates, builds the context and formats errors. A query
 * is compiled on its second execution, so one-off documents (GraphiQL typing, ad-hoc reads)
 * never pay the compile. Mutations, documents the compiler refuses, and requests whose
 * variables do not coerce run on graphql-js `execute`, whose results they then are exactly.
 * Subscriptions never come here: they run over graphql-ws on graphql-js (ws-server.ts).
 * Measured in bench/RESULTS.md ("executed" row of suite a).
 */
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  BREAK,
  execute,
  getNamedType,
  getVariableValues,
  GraphQLError,
  isAbstractType,
  isScalarType,
  isSpecifiedScalarType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

type GatewayInterface = ApolloServerOptionsWithGateway<Record<string, unknown>>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;
type ExecutorRequest = Parameters<GatewayExecutor>[0];

export interface CompiledExecutorOptions {
  /**
   * false: every operation on graphql-js. Default: on, unless PATCHBAY_COMPILED_QUERIES=0 (a way
   * out should the compiler ever answer differently, and the bench's A/B).
   */
  enabled?: boolean;
  /** Compiled documents kept (least recently used dropped first). */
  maxCompiled?: number;
  /** Executions of a document on graphql-js before it is compiled. */
  compileAfter?: number;
}

export const DEFAULT_COMPILED_EXECUTOR = { maxCompiled: 500, compileAfter: 1 };

/** A document graphql-jit refused: remembered, so it is not compiled again on every request. */
const NOT_COMPILABLE = 'not compilable' as const;

/**
 * Leaf serialisers for the compiled form: each custom scalar's own `serialize`, with a Date it
 * returns (graphql-scalars' DateTime does) turned into the text JSON.stringify would write for
 * it. Done while executing, JSON.stringify of the response stays on its fast path: a Date costs
 * it a call to toJSON from native code (measured: half of stringify's time for 100 channels).
 * The text of a Date is kept per Date and per instant (a channel's createdAt is read by every
 * listing; toISOString was a tenth of a request's CPU).
 */
function jsonReadySerializers(schema: GraphQLSchema): Record<string, (v: unknown) => unknown> {
  const out: Record<string, (v: unknown) => unknown> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isScalarType(type) || isSpecifiedScalarType(type)) continue;
    const texts = new WeakMap<Date, { time: number; text: unknown }>();
    const fresh = (v: unknown): unknown => {
      const serialized = type.serialize(v);
      return serialized instanceof Date ? serialized.toJSON() : serialized;
    };
    out[type.name] = (v) => {
      if (!(v instanceof Date)) return fresh(v);
      const time = v.getTime();
      const kept = texts.get(v);
      if (kept && kept.time === time) return kept.text;
      const text = fresh(v);
      texts.set(v, { time, text });
      return text;
    };
  }
  return out;
}

/** Compiled queries by document and operation, and how often each not yet compiled one ran. */
export class CompiledQueries {
  private readonly compiled: LRUCache<string, CompiledQuery | typeof NOT_COMPILABLE>;
  private readonly seen: LRUCache<string, number>;
  private readonly customSerializers: Record<string, (v: unknown) => unknown>;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly opts: { maxCompiled: number; compileAfter: number } = DEFAULT_COMPILED_EXECUTOR,
  ) {
    this.compiled = new LRUCache({ max: opts.maxCompiled });
    this.seen = new LRUCache({ max: opts.maxCompiled * 4 });
    this.customSerializers = jsonReadySerializers(schema);
  }

  /** The compiled form of the operation, or null while it should still run on graphql-js. */
  lookup(key: string, document: DocumentNode, operationName: string | null): CompiledQuery | null {
    const hit = this.compiled.get(key);
    if (hit !== undefined) return hit === NOT_COMPILABLE ? null : hit;
    const runs = (this.seen.get(key) ?? 0) + 1;
    if (runs <= this.opts.compileAfter) {
      this.seen.set(key, runs);
      return null;
    }
    this.seen.delete(key);
    const made = selectsAbstractType(this.schema, document)
      ? null
      : compileQuery(this.schema, document, operationName ?? undefined, { customSerializers: this.customSerializers });
    const entry = made && isCompiledQuery(made) ? made : NOT_COMPILABLE;
    this.compiled.set(key, entry);
    return entry === NOT_COMPILABLE ? null : entry;
  }

  get size(): number {
    return this.compiled.size;
  }
}

/**
 * type-graphql's resolveType functions are async, which graphql-jit does not await (its
 * abstract types must resolve synchronously): documents that select an interface or union (the
 * journal's events) stay on graphql-js.
 */
export function selectsAbstractType(schema: GraphQLSchema, document: DocumentNode): boolean {
  const types = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(types, {
      Field() {
        const type = types.getType();
        if (type && isAbstractType(getNamedType(type))) {
          found = true;
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  return found;
}

/** Whether graphql-js refuses these variables; its errors are then the answer, as execute gives them. */
function variableErrors(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown> | undefined,
): ExecutionResult | null {
  if (!operation.variableDefinitions?.length) return null;
  const coerced = getVariableValues(schema, operation.variableDefinitions, inputs ?? {}, { maxErrors: 50 });
  return coerced.errors ? { errors: coerced.errors } : null;
}

/**
 * graphql-jit's errors may lack `extensions` (graphql-js always sets an object), and Apollo reads
 * `extensions.code` unguarded: such an error would be answered as INTERNAL_SERVER_ERROR instead
 * of its own code. Each becomes a graphql-js GraphQLError with the same message, locations, path
 * and original error.
 */
export function withExtensions(e: GraphQLError): GraphQLError {
  if (e.extensions) return e;
  const copy = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined });
  (copy as { locations?: GraphQLError['locations'] }).locations = e.locations;
  return copy;
}

async function runCompiled(
  compiled: CompiledQuery,
  context: unknown,
  variables: Record<string, unknown>,
): Promise<ExecutionResult> {
  const result = await compiled.query(undefined, context, variables);
  return result.errors ? { ...result, errors: result.errors.map(withExtensions) } : result;
}

export function compiledExecutor(schema: GraphQLSchema, queries: CompiledQueries | null): GatewayExecutor {
  return async (rc: ExecutorRequest) => {
    const { document, operation, operationName, context } = rc;
    const variables = rc.request.variables;
    // No operation: the operationName names none in the document; graphql-js says so, Apollo answers 400.
    const compiled =
      queries && operation?.operation === 'query'
        ? queries.lookup(`${rc.queryHash}\u0000${operationName ?? ''}`, document, operationName)
        : null;
    if (compiled) {
      const refused = variableErrors(schema, operation, variables);
      if (refused) return refused;
      return runCompiled(compiled, context, variables ?? {});
    }
    return execute({
      schema,
      document,
      operationName: rc.request.operationName,
      contextValue: context,
      variableValues: variables,
    });
  };
}

/**
 * What `new ApolloServer({ gateway })` takes: the fixed schema, and the executor above. Apollo
 * validates against the schema given here, as it would against `schema`.
 */
export function compiledGateway(schema: GraphQLSchema, opts: CompiledExecutorOptions = {}): GatewayInterface {
  const { enabled = process.env.PATCHBAY_COMPILED_QUERIES !== '0', ...sizes } = opts;
  const queries = enabled ? new CompiledQueries(schema, { ...DEFAULT_COMPILED_EXECUTOR, ...sizes }) : null;
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async load() {
      return { executor: compiledExecutor(schema, queries) };
    },
    async stop() {},
  };
}
