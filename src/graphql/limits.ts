/**
 * Query shape limits, one rule set for HTTP (Apollo validationRules) and graphql-ws (validate):
 * depth, aliases and cost (graphql-armor), and introspection where it is switched off.
 */
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from '../domain/errors';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  introspection: boolean;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 30, maxCost: 20_000, introspection: true };

/** armor reports "Syntax Error: ..." without a code; ours say QUERY_TOO_COMPLEX. */
function reject(context: ValidationContext | null, err: GraphQLError): void {
  context?.reportError(
    new GraphQLError(err.message.replace(/^Syntax Error: /, ''), { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } }),
  );
}

export function limitRules(l: QueryLimits): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false, onReject: [reject] };
  const rules: ValidationRule[] = [
    maxDepthRule({
      n: l.maxDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
      ...common,
    }) as unknown as ValidationRule,
    maxAliasesRule({ n: l.maxAliases, ...common }) as unknown as ValidationRule,
    costLimitRule({ maxCost: l.maxCost, ignoreIntrospection: true, ...common }) as unknown as ValidationRule,
  ];
  if (!l.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return rules;
}

/** graphql-ws's `validate`: the spec's rules plus ours. */
export function validateWithLimits(
  l: QueryLimits,
): (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[] {
  const rules = [...specifiedRules, ...limitRules(l)];
  return (schema, document) => validate(schema, document, rules);
}

/**
 * graphql-js parses and validates recursively: a document nested a few thousand levels deep
 * overflows the stack before any depth rule can report it. This scan (brackets outside string
 * literals and comments) refuses such documents first.
 */
export const MAX_NESTING = 100;

export function nestingTooDeep(query: unknown, limit = MAX_NESTING): boolean {
  if (typeof query !== 'string') return false;
  let depth = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '#') {
      while (i < query.length && query[i] !== '\n') i++;
    } else if (c === '"') {
      const block = query.startsWith('"""', i);
      i += block ? 3 : 1;
      while (i < query.length && !(block ? query.startsWith('"""', i) : query[i] === '"' || query[i] === '\n'))
        i += query[i] === '\\' ? 2 : 1;
      if (block) i += 2;
    } else if (c === '{' || c === '[' || c === '(') {
      if (++depth > limit) return true;
    } else if (c === '}' || c === ']' || c === ')') {
      depth = Math.max(0, depth - 1);
    }
  }
  return false;
}
