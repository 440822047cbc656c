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
  context?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, ''), { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } }));
}

export function limitRules(l: QueryLimits): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false, onReject: [reject] };
  const rules: ValidationRule[] = [
    maxDepthRule({ n: l.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...common }) as unknown as ValidationRule,
    maxAliasesRule({ n: l.maxAliases, ...common }) as unknown as ValidationRule,
    costLimitRule({ maxCost: l.maxCost, ignoreIntrospection: true, ...common }) as unknown as ValidationRule,
  ];
  if (!l.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return rules;
}

/** graphql-ws's `validate`: the spec's rules plus ours. */
export function validateWithLimits(l: QueryLimits): (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[] {
  const rules = [...specifiedRules, ...limitRules(l)];
  return (schema, document) => validate(schema, document, rules);
}
