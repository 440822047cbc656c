/**
 * Demo mode: with no config, patchbay runs its own simulators in process (an Asterisk via ARI
 * and a KAZOO cluster with Qubicle) plus call generators, so GraphiQL shows live calls and
 * agents at once.
 */
import type { BackendConfig } from './config';
import { startAriCallGenerator } from './simulators/ari/call-generator';
import { startAriSimulator } from './simulators/ari';
import { startKazooCallGenerator, startKazooSimulator } from './simulators/kazoo';

export interface DemoBackends {
  config: BackendConfig[];
  stop(): Promise<void>;
}

export const DEMO_APP = 'patchbay';

export async function startDemoBackends(): Promise<DemoBackends> {
  const ari = await startAriSimulator({ port: 0 });
  const ariCalls = startAriCallGenerator(ari, { app: DEMO_APP });
  const kazoo = await startKazooSimulator({ crossbarPort: 0, blackholePort: 0 });
  const kazooCalls = startKazooCallGenerator(kazoo);
  const account = kazoo.world.customerAccount ?? kazoo.world.superduperAccount;
  return {
    config: [
      { name: 'demo-pbx', kind: 'ari', url: ari.url, username: 'asterisk', password: 'asterisk', app: DEMO_APP, requestTimeoutMs: 5000 },
      {
        name: 'demo-kazoo',
        kind: 'kazoo',
        url: kazoo.crossbarUrl,
        apiKey: account.apiKey,
        accountId: account.id,
        blackholeUrl: kazoo.blackholeUrl,
        requestTimeoutMs: 5000,
      },
    ],
    async stop() {
      ariCalls.stop();
      kazooCalls.stop();
      await Promise.allSettled([ari.close(), kazoo.close()]);
    },
  };
}
