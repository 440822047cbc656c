/**
 * Entry point of `npm run keys` (see keys-args.ts for the commands). Store logs are kept to
 * warnings so stdout carries the command's own output; LOG_LEVEL still overrides.
 */
process.env.LOG_LEVEL ??= 'warn';

// Required after the line above: loggers read LOG_LEVEL when their modules load, and static
// imports would load them first.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runKeysCli } = require('./keys-command') as typeof import('./keys-command');

runKeysCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `patchbay keys: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
