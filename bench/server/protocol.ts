/** What the bench parent asks the gateway child over IPC, and what it answers. */

export interface AriTarget {
  url: string;
  username: string;
  password: string;
  app: string;
}

export interface StartOptions {
  /** A real ARI to front; absent = a local ARI simulator in the child. */
  ari?: AriTarget;
  /** Also start a local KAZOO simulator and front it as backend "kz". */
  kazoo?: boolean;
  liveView: boolean;
  /** Worker processes (src/cluster/); absent or 1: one process, as before. */
  workers?: number;
}

export interface Started {
  gatewayUrl: string;
  /** An all-scope ADMIN key made for this run; every request and socket of the bench sends it. */
  apiKey: string;
  ari: AriTarget;
  /** True when the ARI is the child's own simulator (request logs available). */
  localAri: boolean;
}

export interface MemorySample {
  heapUsed: number;
  heapTotal: number;
  external: number;
  rss: number;
}

export interface BareResult {
  requests: number;
  errors: number;
  elapsedMs: number;
  latenciesMs: number[];
}

export interface RequestCounts {
  ari: string[];
  kazoo: string[];
}

/** Commands and their argument / result types. */
export interface Commands {
  start: [StartOptions, Started];
  memory: [{ gc: boolean }, MemorySample];
  /** Dispatcher listeners: one per distinct shared subscription stream, not per subscriber. */
  listeners: [Record<string, never>, number];
  /** graphql-ws subscriptions the server has accepted (the patchbay_graphql_subscriptions_active gauge). */
  subscriptions: [Record<string, never>, number];
  /** CPU (user + system, µs) this child has used so far. */
  cpu: [Record<string, never>, number];
  /** CPU (user + system, µs) each worker process has used so far; empty for one process. */
  workerCpu: [Record<string, never>, number[]];
  bare: [{ query: string; durationMs: number; concurrency: number }, BareResult];
  requests: [{ reset: boolean }, RequestCounts];
  kazooPopulate: [{ recipients: number; calls: number }, { recipients: number; calls: number; accountId: string }];
  kazooClear: [Record<string, never>, void];
  stop: [Record<string, never>, void];
}
