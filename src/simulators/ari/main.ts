/**
 * Standalone ARI simulator, for pointing other tools at it:
 *   node -r @swc-node/register src/simulators/ari/main.ts --port 8088 [--host 127.0.0.1] [--app demo]
 * With --app, the demo call generator feeds calls into that Stasis application.
 */
import { startAriSimulator } from './index';
import { startAriCallGenerator } from './call-generator';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const sim = await startAriSimulator({
    port: Number(arg('port') ?? 8088),
    host: arg('host') ?? '127.0.0.1',
    timing: { ringMs: 500, answerMs: 1000, playbackMs: 2000, recordingMs: 5000 },
  });
  const app = arg('app');
  const generator = app ? startAriCallGenerator(sim, { app }) : undefined;
  process.stdout.write(`ARI simulator at ${sim.url} (user asterisk / password asterisk)\n`);
  const shutdown = () => {
    generator?.stop();
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

void main();
