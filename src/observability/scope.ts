/**
 * Which gateway (and which client request, if any) the current async work belongs to.
 *
 * Backend transports only know a backend's name, and several gateways may live in one process
 * (tests), so attribution rides on AsyncLocalStorage: the gateway runs its start-up inside its
 * scope (event sockets, lease timers and reconciles inherit it), and every client request runs in
 * a child scope carrying its RequestObservation. A backend request then reports to exactly the
 * gateway and request that caused it, with no change to the backend interfaces.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { BackendKind } from '../domain/channel';

export interface BackendRequestSample {
  backend: string;
  kind: BackendKind;
  method: string;
  /** Request path below the backend's base URL, ids included (templated by the metrics). */
  path: string;
  /** HTTP status, or 'error' when no answer came (refused, reset, deadline). */
  status: number | 'error';
  ms: number;
}

/** What a scope receives; implemented by the gateway's metrics and by a request's observation. */
export interface BackendRequestSink {
  backendRequest(sample: BackendRequestSample): void;
}

export interface ObservabilityScope {
  gateway?: BackendRequestSink;
  request?: BackendRequestSink;
}

const storage = new AsyncLocalStorage<ObservabilityScope>();

export function runInScope<T>(scope: ObservabilityScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentScope(): ObservabilityScope | undefined {
  return storage.getStore();
}

/**
 * The hook backend transports call when a request starts; the returned function is called once
 * with the outcome. The scope is captured at the start, so whatever runs in between (keep-alive
 * sockets created by another request, retries) cannot move the sample to another request.
 */
export function beginBackendRequest(
  kind: BackendKind,
  backend: string,
  method: string,
  path: string,
): (status: number | 'error') => void {
  const scope = storage.getStore();
  const started = process.hrtime.bigint();
  let done = false;
  return (status) => {
    if (done || !scope) return;
    done = true;
    const sample: BackendRequestSample = {
      backend,
      kind,
      method,
      path,
      status,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    };
    scope.gateway?.backendRequest(sample);
    scope.request?.backendRequest(sample);
  };
}
