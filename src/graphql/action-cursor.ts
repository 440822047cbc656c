/**
 * "No originate race": mutations that start something return the journal cursor taken just
 * before the backend was asked, so a client that subscribes with `after: actionCursor` once the
 * mutation returned still sees the first event of what it started.
 */
import type { GraphQLContext } from './context';

export type WithActionCursor<T> = T & { actionCursor?: string };

/** The cursor to hand out: everything after it is still to be delivered on this instance. */
export function cursorBeforeAction(ctx: GraphQLContext): string {
  return ctx.events.dispatcher.lastCursor;
}

export function withActionCursor<T extends object>(value: T, cursor: string): WithActionCursor<T>;
export function withActionCursor<T extends object>(value: T | null, cursor: string): WithActionCursor<T> | null;
export function withActionCursor<T extends object>(value: T | null, cursor: string): WithActionCursor<T> | null {
  return value === null ? null : { ...value, actionCursor: cursor };
}
