/**
 * Standalone ARI simulator, for pointing other tools at it:
 *   node -r @swc-node/register src/simulators/ari/main.ts [--port 8088] [--host 127.0.0.1] [--app demo]
 * With --app, the demo call generator feeds calls into that Stasis application.
 */
import { startAriSimulator } from './index';
import { startAriCallGenerator } from './call-generator';
import { exitOnUsageError, parseCommandLine, portOption } from '../../cli-args';

const USAGE =
  'Usage: node -r @swc-node/register src/simulators/ari/main.ts [--port 8088] [--host 127.0.0.1] [--app <name>]';
const OPTIONS = { port: { type: 'string' }, host: { type: 'string' }, app: { type: 'string' } } as const;

async function main(): Promise<void> {
  const { values } = parseCommandLine(process.argv.slice(2), OPTIONS);
  const sim = await startAriSimulator({
    port: portOption('--port', values.port, 8088),
    host: values.host ?? '127.0.0.1',
    timing: { ringMs: 500, answerMs: 1000, playbackMs: 2000, recordingMs: 5000 },
  });
  const app = values.app;
  const generator = app ? startAriCallGenerator(sim, { app }) : undefined;
  process.stdout.write(`ARI simulator at ${sim.url} (user asterisk / password asterisk)\n`);
  const shutdown = () => {
    generator?.stop();
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  exitOnUsageError(err, 'ari-simulator', USAGE);
  throw err;
});
