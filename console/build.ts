/** `npm run console:build` (and postinstall): bundles console/src into console/dist. */
import { buildConsole, CONSOLE_BUNDLE } from '../src/http/console-build';

buildConsole().then(
  () => process.stdout.write(`console built: ${CONSOLE_BUNDLE}\n`),
  (e: Error) => {
    process.stderr.write(`console build failed: ${e.message}\n`);
    process.exit(1);
  },
);
