/**
 * What the cluster's processes say to each other over node:cluster IPC (serialization
 * 'advanced', so Dates and Buffers cross as they are). Workers ask the primary (rpc) and publish
 * (bus, control, live); the primary answers and relays publications to every worker.
 */
import type { Channel } from '../domain/channel';
import type { Journaled } from '../domain/events';
import type { ControlMessage } from '../events/bus/control';
import type { GatewayConfig } from '../config';

/** One backend's live channels as the ingesting worker last saw them: only what changed. */
export interface LiveDelta {
  backend: string;
  /** The worker that ingests the backend (its EventRuntime instance id). */
  from: string;
  /** null: the sender cannot vouch for the backend's live view now (reads go to the backend). */
  upserts: Channel[] | null;
  deletes: string[];
  /** Native ids in the live view's order, when the set of channels changed. */
  order?: string[];
}

export type StoreOp =
  | { op: 'query'; sql: string; params?: unknown[] }
  | { op: 'raw'; kind: 'queryRaw' | 'executeRaw'; query: unknown; tx?: number }
  | { op: 'script'; script: string }
  | { op: 'begin'; isolationLevel?: string }
  | { op: 'end'; tx: number; commit: boolean };

export type RpcRequest = { op: 'hello' } | { op: 'store'; call: StoreOp };

/** Worker → primary. */
export type WorkerMessage =
  | { t: 'rpc'; id: number; req: RpcRequest }
  | { t: 'bus'; event: Journaled }
  | { t: 'control'; message: ControlMessage }
  | { t: 'live'; delta: LiveDelta }
  /** Rate-limit tokens this worker's requests took since its last report, per API key id. */
  | { t: 'rate'; spent: Record<string, number> }
  | { t: 'listening'; url: string; port: number; instanceId: string }
  | { t: 'stats'; id: number; stats: WorkerStats };

/** Primary → worker. */
export type PrimaryMessage =
  | { t: 'rpc'; id: number; ok: true; value: unknown }
  | { t: 'rpc'; id: number; ok: false; error: { message: string; name: string; cause?: unknown } }
  | { t: 'bus'; event: Journaled }
  | { t: 'control'; message: ControlMessage }
  | { t: 'live'; delta: LiveDelta }
  /** Tokens other workers took (relayed as sent). */
  | { t: 'rate'; spent: Record<string, number> }
  /** A worker is gone: live views it sent are no longer vouched for. */
  | { t: 'instance-gone'; instanceId: string }
  /** A worker joined: ingesting workers send their whole live view again. */
  | { t: 'live-resync' }
  | { t: 'stats'; id: number }
  | { t: 'stop' };

/** What a worker reports when asked (tests and the bench). */
export interface WorkerStats {
  worker: string;
  subscriptions: number;
  listeners: number;
  ingesting: string[];
  cpuMicros: number;
}

/** What the primary hands a worker at start (the answer to `hello`). */
export interface WorkerSetup {
  /** The worker's label: the `x-patchbay-worker` header and log field. */
  worker: string;
  instanceId: string;
  config: GatewayConfig;
  /** The primary's database, which an embedded store's workers reach through it. */
  store: { kind: 'pglite' | 'postgresql'; location: string };
  graphiqlHeaders?: Record<string, string>;
  /** How long stop() lets requests and subscriptions finish. */
  drainMs?: number;
  /** Lease TTL and journal poll (tests shorten them). */
  events?: { leaseTtlMs?: number; pollIntervalMs?: number };
}
