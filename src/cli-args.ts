/**
 * Command lines of every entry point (`npm start`, `npm run keys`, the simulators) go through
 * node:util parseArgs in strict mode; this only rewords its errors into one short style
 * ("unknown option --x", "--x needs a value") and refuses an option given twice, which
 * parseArgs would silently resolve to the last value.
 */
import { parseArgs, types, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseCommandLine<const O extends Options>(
  argv: readonly string[],
  options: O,
  allowPositionals = false,
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals, tokens: true });
  } catch (err) {
    throw reword(err);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} given twice`);
    seen.add(token.name);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** A port number option: absent gives the fallback, anything but 0..65535 is a usage error. */
export function portOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
  return n;
}

// parseArgs' own messages are long and suggest `--` tricks; its error codes are stable.
// isNativeError, not instanceof: under jest's VM contexts Node's errors come from another realm.
function reword(err: unknown): unknown {
  if (!types.isNativeError(err) || !('code' in err)) return err;
  const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  // Quoted as '--name <value>' or '-h, --help': keep the long name.
  const option = quoted.split(/[ ,]+/).find((part) => part.startsWith('--')) ?? quoted;
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${option}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(
        err.message.includes('does not take an argument') ? `${option} takes no value` : `${option} needs a value`,
      );
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument ${JSON.stringify(quoted)}`);
    default:
      return err;
  }
}

/** For a UsageError: prints `program: reason` and the usage to stderr, then exits 2. Anything else returns. */
export function exitOnUsageError(err: unknown, program: string, usage: string): void {
  if (!(err instanceof UsageError)) return;
  process.stderr.write(`${program}: ${err.message}\n${usage}\n`);
  process.exit(2);
}
