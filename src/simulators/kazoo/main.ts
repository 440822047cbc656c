/**
 * Standalone KAZOO simulator: `node -r @swc-node/register src/simulators/kazoo/main.ts`
 * [--host 127.0.0.1] [--crossbar-port 8000] [--blackhole-port 5555]; each option falls back to
 * env KAZOO_SIM_HOST, KAZOO_SIM_CROSSBAR_PORT, KAZOO_SIM_BLACKHOLE_PORT. Env only:
 * KAZOO_SIM_SYSTEM_WIDE_CHANNELS=true, KAZOO_SIM_GENERATOR=false to stay idle.
 */
import { componentLogger } from '../../log';
import { startKazooCallGenerator } from './call-generator';
import { startKazooSimulator } from './index';
import { exitOnUsageError, parseCommandLine, portOption } from '../../cli-args';

const log = componentLogger('kazoo-sim.main');

const USAGE =
  'Usage: node -r @swc-node/register src/simulators/kazoo/main.ts [--host 127.0.0.1] [--crossbar-port 8000] [--blackhole-port 5555]';
const OPTIONS = {
  host: { type: 'string' },
  'crossbar-port': { type: 'string' },
  'blackhole-port': { type: 'string' },
} as const;

async function main(): Promise<void> {
  const { values } = parseCommandLine(process.argv.slice(2), OPTIONS);
  const env = process.env;
  const sim = await startKazooSimulator({
    host: values.host ?? env.KAZOO_SIM_HOST ?? '127.0.0.1',
    crossbarPort: portOption(
      '--crossbar-port (or KAZOO_SIM_CROSSBAR_PORT)',
      values['crossbar-port'] ?? env.KAZOO_SIM_CROSSBAR_PORT,
      8000,
    ),
    blackholePort: portOption(
      '--blackhole-port (or KAZOO_SIM_BLACKHOLE_PORT)',
      values['blackhole-port'] ?? env.KAZOO_SIM_BLACKHOLE_PORT,
      5555,
    ),
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
      ...w.accounts.map(
        (a) => `account ${a.name} id=${a.id} api_key=${a.apiKey}${a.superduperAdmin ? ' (superduper admin)' : ''}`,
      ),
      ...w.users.map(
        (u) => `user ${u.username} / ${u.password} in ${w.accounts.find((a) => a.id === u.accountId)?.name}`,
      ),
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
  exitOnUsageError(err, 'kazoo-simulator', USAGE);
  log.error({ err }, 'KAZOO simulator failed to start');
  process.exit(1);
});
