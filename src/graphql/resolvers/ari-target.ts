import type { AriBackendLike } from '../../backends/types';
import type { Channel } from '../../domain/channel';
import { badInput } from '../../domain/errors';
import { parseGlobalId } from '../../domain/ids';
import type { GraphQLContext } from '../context';

export interface AriTarget {
  ari: AriBackendLike;
  nativeId: string;
}

/** Resolves a global channel id to its ARI backend; refuses other kinds before any call. */
export function ariTarget(ctx: GraphQLContext, id: string, operation: string, argName = 'id'): AriTarget {
  const { backend, nativeId } = parseGlobalId(id, argName);
  return { ari: ctx.registry.ari(backend, operation, argName), nativeId };
}

/** A channel id that must live on the same backend as the operation (originator, caller). */
export function sameBackendNativeId(
  globalId: string | undefined,
  backend: string,
  argName: string,
): string | undefined {
  if (globalId === undefined || globalId === null) return undefined;
  const parsed = parseGlobalId(globalId, argName);
  if (parsed.backend !== backend) {
    throw badInput(`${argName} must be a channel of backend "${backend}", got one of "${parsed.backend}"`, {
      argumentName: argName,
    });
  }
  return parsed.nativeId;
}

/**
 * The channel as the backend sees it after an action; null when it is gone. Always asked of the
 * backend: the live view may not have the action's own event yet.
 */
export async function reread(ctx: GraphQLContext, id: string): Promise<Channel | null> {
  const { backend, nativeId } = parseGlobalId(id);
  const fresh = await ctx.registry.require(backend).getChannel(nativeId, ctx.call);
  ctx.loaders.channel.clear(id).prime(id, fresh);
  return fresh;
}
