/** Parent side of the gateway child. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkChild, type RpcChild } from '../lib/child-rpc';

/** Where gateway children write their logs (one file per bench run). */
export const GATEWAY_LOG = join(tmpdir(), `patchbay-bench-${process.pid}.log`);
import type { Commands, StartOptions, Started } from './protocol';

export interface GatewayChild {
  rpc: RpcChild<Commands>;
  info: Started;
  close(): Promise<void>;
}

/** BENCH_GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": extra node flags for the gateway child (profiling). */
function extraNodeArgs(): string[] {
  return (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

/**
 * `env`: extra environment of the child only (e.g. PATCHBAY_COMPILED_QUERIES=0 for an A/B);
 * `root`: run the child from another checkout (older code, for a same-run A/B).
 */
export async function startGatewayChild(
  o: StartOptions,
  env?: Record<string, string>,
  root?: string,
): Promise<GatewayChild> {
  const rpc = forkChild<Commands>('bench/server/child.ts', {
    exposeGc: true,
    name: 'gateway child',
    logFile: GATEWAY_LOG,
    nodeArgs: extraNodeArgs(),
    env,
    root,
  });
  try {
    const info = await rpc.call('start', o, 60_000);
    return { rpc, info, close: () => rpc.close() };
  } catch (e) {
    await rpc.close();
    throw e;
  }
}
