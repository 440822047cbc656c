/**
 * "No originate race": mutations that start something return, in their payload's `actionCursor`
 * (src/graphql/types/payloads.ts), the journal cursor taken just before the backend was asked, so a client that subscribes with `after: actionCursor` once the
 * mutation returned still sees the first event of what it started.
 */
import type { GraphQLContext } from './context';

/** The cursor to hand out: everything after it is still to be delivered on this instance. */
export function cursorBeforeAction(ctx: GraphQLContext): string {
  return ctx.events.dispatcher.lastCursor;
}
