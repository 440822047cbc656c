/**
 * Demo mode: with no config, patchbay runs its own simulators in process and a call generator,
 * so GraphiQL shows live calls at once.
 */
import type { GatewayConfig } from './config';
import { startAriCallGenerator } from './simulators/ari/call-generator';
import { startAriSimulator } from './simulators/ari';

export interface DemoBackends {
  config: GatewayConfig['backends'];
  stop(): Promise<void>;
}

export const DEMO_APP = 'patchbay';

export async function startDemoBackends(): Promise<DemoBackends> {
  const ari = await startAriSimulator({ port: 0 });
  const generator = startAriCallGenerator(ari, { app: DEMO_APP });
  return {
    config: [
      { name: 'demo-pbx', kind: 'ari', url: ari.url, username: 'asterisk', password: 'asterisk', app: DEMO_APP, requestTimeoutMs: 5000 },
    ],
    async stop() {
      generator.stop();
      await ari.close();
    },
  };
}
