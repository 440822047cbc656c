/**
 * Standalone KAZOO simulator: `node -r @swc-node/register src/simulators/kazoo/main.ts`.
 * Env: KAZOO_SIM_HOST (127.0.0.1), KAZOO_SIM_CROSSBAR_PORT (8000), KAZOO_SIM_BLACKHOLE_PORT
 * (5555), KAZOO_SIM_SYSTEM_WIDE_CHANNELS=true, KAZOO_SIM_GENERATOR=false to stay idle.
 */
import { componentLogger } from '../../log';
import { startKazooCallGenerator } from './call-generator';
import { startKazooSimulator } from './index';

const log = componentLogger('kazoo-sim.main');

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got ${raw}`);
  return n;
}

async function main(): Promise<void> {
  const sim = await startKazooSimulator({
    host: process.env.KAZOO_SIM_HOST ?? '127.0.0.1',
    crossbarPort: port('KAZOO_SIM_CROSSBAR_PORT', 8000),
    blackholePort: port('KAZOO_SIM_BLACKHOLE_PORT', 5555),
    allowSystemWideChannels: process.env.KAZOO_SIM_SYSTEM_WIDE_CHANNELS === 'true',
    timing: { channelLookupTimeoutMs: 2000 },
  });
  const generator = process.env.KAZOO_SIM_GENERATOR === 'false' ? undefined : startKazooCallGenerator(sim);
  log.info({ crossbar: sim.crossbarUrl, blackhole: sim.blackholeUrl }, 'KAZOO simulator listening');
  // Demo-only credentials of the simulated world, printed so a person can try it with curl.
  const w = sim.world;
  process.stdout.write(
    [
      `Crossbar  ${sim.crossbarUrl}`,
      `Blackhole ${sim.blackholeUrl}`,
      ...w.accounts.map((a) => `account ${a.name} id=${a.id} api_key=${a.apiKey}${a.superduperAdmin ? ' (superduper admin)' : ''}`),
      ...w.users.map((u) => `user ${u.username} / ${u.password} in ${w.accounts.find((a) => a.id === u.accountId)?.name}`),
      '',
    ].join('\n'),
  );
  const shutdown = async () => {
    generator?.stop();
    await sim.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  log.error({ err }, 'KAZOO simulator failed to start');
  process.exit(1);
});
