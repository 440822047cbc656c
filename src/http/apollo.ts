/**
 * The Apollo Server the HTTP adapter executes through, built in one place (an executor or
 * other engine option goes here). Its plugins: partial backend errors after Apollo's own, and
 * the operation's name, type and outcome for metrics and the request log.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { FormattedExecutionResult, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { SecurityConfig } from '../config';
import type { GraphQLContext } from '../graphql/context';
import { formatError } from '../graphql/errors';
import { compiledGateway } from '../graphql/executor';
import { limitRules } from '../graphql/limits';
import { operationObserverPlugin } from '../observability/operation-outcome';

/** Backend failures of partial results travel beside the data, after Apollo's own errors. */
const partialErrorsPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single' || contextValue.partialErrors.length === 0) return;
        const extra = contextValue.partialErrors.map((e) => e.toJSON());
        const result = response.body.singleResult;
        result.errors = [...(result.errors ?? []), ...extra];
      },
    };
  },
};

/**
 * Apollo's own serialisation (JSON and a newline), after which the result's data is let go.
 * Apollo hands the gateway executor a request context with a `status` accessor; V8 keeps
 * accessor pairs in the old generation, so the whole request (its result included) stays
 * reachable from old space until the next full collection, and every result tree got promoted:
 * ~37 KB of old space per `channels` request, measured (bench/RESULTS.md, the 22:02 reading). Once
 * the text exists nothing reads the data again, so its root fields are dropped and the tree dies
 * young.
 */
function stringifyAndRelease(value: FormattedExecutionResult): string {
  const text = `${JSON.stringify(value)}\n`;
  const data = value.data as Record<string, unknown> | null | undefined;
  if (data) for (const field of Object.keys(data)) data[field] = null;
  return text;
}

/**
 * CSRF prevention stays on for requests without a key (a browser's "simple request" can carry
 * no Authorization header); one that sends Authorization was preflighted, so it is safe.
 */
const CSRF_SAFE_HEADERS = ['authorization', 'x-apollo-operation-name', 'apollo-require-preflight'];

export async function startApollo(
  schema: GraphQLSchema,
  security: SecurityConfig,
): Promise<ApolloServer<GraphQLContext>> {
  const apollo = new ApolloServer<GraphQLContext>({
    // Queries compiled by graphql-jit; Apollo still validates against this schema (executor.ts).
    gateway: compiledGateway(schema),
    introspection: security.introspection,
    validationRules: limitRules({
      maxDepth: security.maxDepth,
      maxAliases: security.maxAliases,
      maxCost: security.maxCost,
      introspection: security.introspection,
    }),
    includeStacktraceInErrorResponses: false,
    stringifyResult: stringifyAndRelease,
    csrfPrevention: { requestHeaders: CSRF_SAFE_HEADERS },
    formatError: (formatted: GraphQLFormattedError, error: unknown) => formatError(formatted, error),
    // Cache-control hints are unused here, and the plugin wraps every field resolver: off.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      partialErrorsPlugin,
      operationObserverPlugin<GraphQLContext>(),
    ],
  });
  await apollo.start();
  return apollo;
}
