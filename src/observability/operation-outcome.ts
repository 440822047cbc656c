/**
 * What a GraphQL operation was and how it ended, for metrics and the request log: an Apollo
 * plugin for HTTP, and the same classification for graphql-ws results.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { OperationType, Outcome } from './metrics';
import { RequestObservation } from './request-log';
import { currentScope } from './scope';

/** partial: some top-level field has data despite errors; error: none has (or no data at all). */
export function outcomeOf(result: { data?: unknown; errors?: readonly unknown[] | null }): Outcome {
  if (!result.errors || result.errors.length === 0) return 'success';
  const data = result.data;
  if (data === null || typeof data !== 'object') return 'error';
  return Object.values(data).some((v) => v !== null && v !== undefined) ? 'partial' : 'error';
}

export function operationOf(
  document: DocumentNode | undefined,
  operationName: string | null | undefined,
): { name: string | null; type: OperationType } {
  const op = document ? getOperationAST(document, operationName ?? undefined) : null;
  return { name: operationName ?? op?.name?.value ?? null, type: op?.operation ?? 'unknown' };
}

function observation(): RequestObservation | null {
  const r = currentScope()?.request;
  return r instanceof RequestObservation ? r : null;
}

/**
 * Fills the request's observation. Must come after plugins that add errors in willSendResponse
 * (partial results), so the outcome counts them.
 */
export function operationObserverPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operationName, operation, request }) {
          const obs = observation();
          if (!obs) return;
          obs.operationName = operationName ?? request.operationName ?? null;
          obs.operationType = operation?.operation ?? 'unknown';
          obs.outcome = response.body.kind === 'single' ? outcomeOf(response.body.singleResult) : 'success';
        },
      };
    },
  };
}
