/**
 * Every entry point refuses a mistyped command line the same way, before starting anything:
 * exit 2, `program: reason` and the usage on stderr, nothing on stdout.
 */
import { runScript as run } from '../../helpers/run-script';

const ARI_USAGE =
  'Usage: node -r @swc-node/register src/simulators/ari/main.ts [--port 8088] [--host 127.0.0.1] [--app <name>]\n';
const KAZOO_USAGE =
  'Usage: node -r @swc-node/register src/simulators/kazoo/main.ts [--host 127.0.0.1] [--crossbar-port 8000] [--blackhole-port 5555]\n';

describe('command-line mistakes exit 2 with the reason', () => {
  it.each([
    [
      'src/main.ts',
      ['--confg', 'gw.yaml'],
      {},
      'patchbay: unknown option --confg\nUsage: npm start [-- --config <file>]\n',
    ],
    ['src/main.ts', ['--config'], {}, 'patchbay: --config needs a value\nUsage: npm start [-- --config <file>]\n'],
    ['src/simulators/ari/main.ts', ['--prot', '8088'], {}, `ari-simulator: unknown option --prot\n${ARI_USAGE}`],
    [
      'src/simulators/ari/main.ts',
      ['--port', 'http'],
      {},
      `ari-simulator: --port must be a port number (0-65535), got "http"\n${ARI_USAGE}`,
    ],
    [
      'src/simulators/kazoo/main.ts',
      ['--crossbar-port'],
      {},
      `kazoo-simulator: --crossbar-port needs a value\n${KAZOO_USAGE}`,
    ],
    [
      'src/simulators/kazoo/main.ts',
      [],
      { KAZOO_SIM_BLACKHOLE_PORT: '99999' },
      `kazoo-simulator: --blackhole-port (or KAZOO_SIM_BLACKHOLE_PORT) must be a port number (0-65535), got "99999"\n${KAZOO_USAGE}`,
    ],
  ])(
    '%s %j',
    async (script, args, env, stderr) => {
      expect(await run(script, args, env)).toEqual({ code: 2, stdout: '', stderr });
    },
    30_000,
  );
});
