import type { Backend as DomainBackend } from '../../backends/types';
import type { EventServices, GraphQLContext } from '../context';
import type { Loaders } from '../loaders';
import type { Backend } from '../types/backend';
import type { BackendKindEnum } from '../types/enums';

export function backendView(b: DomainBackend, events?: EventServices): Backend {
  const status = events?.ingestStatus(b.name) ?? null;
  return {
    id: b.name,
    name: b.name,
    kind: b.kind as BackendKindEnum,
    url: b.url,
    health: b.health(),
    ingest: status && { ...status, liveView: events!.live(b.name) !== null },
  };
}

/**
 * Views built in one execution, keyed by its loaders: those are per request, and fresh for every
 * event of a subscription (context.ts refreshLoaders), so a view never outlives what it shows.
 */
const viewsByExecution = new WeakMap<Loaders, Map<string, Backend>>();

/**
 * The backend's view, built once per execution: a listing of N channels (or recipients) shows
 * one snapshot of their backend instead of rebuilding it N times (health, ingest status).
 */
export function backendViewOnce(ctx: GraphQLContext, name: string): Backend {
  let views = viewsByExecution.get(ctx.loaders);
  if (!views) viewsByExecution.set(ctx.loaders, (views = new Map()));
  let view = views.get(name);
  if (!view) views.set(name, (view = backendView(ctx.registry.require(name), ctx.events)));
  return view;
}
