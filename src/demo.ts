/**
 * Demo mode: with no config, patchbay runs its own simulators in process (an Asterisk via ARI
 * and a KAZOO cluster with Qubicle) plus call generators, so GraphiQL shows live calls and
 * agents at once.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiKeyStore } from './auth/api-keys';
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
      {
        name: 'demo-pbx',
        kind: 'ari',
        url: ari.url,
        username: 'asterisk',
        password: 'asterisk',
        app: DEMO_APP,
        requestTimeoutMs: 5000,
      },
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

const DEMO_KEY_FILE = 'demo-admin.key';

/**
 * Demo mode's local ADMIN key. Made on first start and kept in `<dataDir>/demo-admin.key`
 * (mode 0600) so every demo start can hand it to GraphiQL; the demo listens on 127.0.0.1 only.
 */
export async function demoAdminKey(keys: ApiKeyStore, dataDir: string): Promise<{ key: string; created: boolean }> {
  const file = join(dataDir, DEMO_KEY_FILE);
  try {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved && (await keys.authenticate(saved))) return { key: saved, created: false };
  } catch {
    // No saved key yet (or unreadable): make one.
  }
  const { key } = await keys.create({ name: 'demo admin', role: 'ADMIN', scope: { all: true } });
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { key, created: true };
}
