/**
 * Command line of `npm run keys`: parsed into a command, or a usage error (exit 2) that says
 * what was wrong. Nothing here touches the database.
 */
import type { NewApiKeyInput } from './key-input';
import type { Role } from './principal';
import { parseCommandLine, UsageError } from '../cli-args';

export { UsageError };

export const USAGE = `Usage: npm run keys -- <command> [--config <file>]

Commands:
  create --name <name> --role <ADMIN|SUPERVISOR|AGENT|VIEWER>
         (--all | [--accounts <id,id>] [--backends <name,name>])
         [--recipient <backend:accountId/userId>] [--expires <YYYY-MM-DD or ISO time>]
      Creates a key and prints it once; only its hash is stored.
  list [--json]
      Lists keys (never their secrets).
  revoke <id>
      Revokes a key at once for this database; running gateways drop it within 60 s.

Database: --config <file> (its database.url), else DATABASE_URL, else the embedded database
under PATCHBAY_DATA_DIR (default ./data), which a running gateway holds locked.
Exit codes: 0 done, 1 failed (database, unknown key), 2 bad usage or input.`;

export type KeysCommand =
  | { kind: 'help' }
  | { kind: 'create'; input: NewApiKeyInput }
  | { kind: 'list'; json: boolean }
  | { kind: 'revoke'; id: string };

export interface ParsedArgs {
  command: KeysCommand;
  configFile?: string;
}

const OPTIONS = {
  config: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  accounts: { type: 'string' },
  backends: { type: 'string' },
  recipient: { type: 'string' },
  expires: { type: 'string' },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Verb = Exclude<KeysCommand['kind'], 'help'>;
const APPLIES_TO: Record<Verb, readonly string[]> = {
  create: ['name', 'role', 'accounts', 'backends', 'recipient', 'expires', 'all'],
  list: ['json'],
  revoke: [],
};

export function parseKeysArgs(argv: readonly string[]): ParsedArgs {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, true);
  const { config: configFile, help, ...options } = values;
  const [verb, ...rest] = positionals;
  if (help || verb === 'help' || verb === undefined) return { command: { kind: 'help' }, configFile };
  if (!Object.hasOwn(APPLIES_TO, verb))
    throw new UsageError(`unknown command ${JSON.stringify(verb)} (expected create, list or revoke)`);
  const extra = Object.keys(options).find((o) => !APPLIES_TO[verb as Verb].includes(o));
  if (extra) throw new UsageError(`--${extra} does not apply to ${verb}`);

  switch (verb as Verb) {
    case 'create':
      if (rest.length > 0) throw new UsageError(`create takes options only, got ${JSON.stringify(rest.join(' '))}`);
      return { command: { kind: 'create', input: createInput(options) }, configFile };
    case 'list':
      if (rest.length > 0) throw new UsageError(`list takes no arguments, got ${JSON.stringify(rest.join(' '))}`);
      return { command: { kind: 'list', json: options.json === true }, configFile };
    case 'revoke':
      if (rest.length !== 1) throw new UsageError('revoke needs exactly one key id');
      return { command: { kind: 'revoke', id: rest[0] }, configFile };
  }
}

type CreateOptions = Omit<ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values'], 'config' | 'help'>;

function createInput(options: CreateOptions): NewApiKeyInput {
  const { name, role, all, expires } = options;
  if (!name) throw new UsageError('create needs --name');
  if (!role) throw new UsageError('create needs --role');
  if (all && (options.accounts !== undefined || options.backends !== undefined))
    throw new UsageError('--all reaches everything: drop --accounts/--backends');
  let expiresAt: Date | undefined;
  if (expires !== undefined) {
    expiresAt = new Date(expires);
    if (!/^\d{4}-\d{2}-\d{2}/.test(expires) || Number.isNaN(expiresAt.getTime())) {
      throw new UsageError(`--expires must be a date (YYYY-MM-DD) or ISO time, got ${JSON.stringify(expires)}`);
    }
  }
  return {
    name,
    role: role.toUpperCase() as Role,
    scope: all ? { all: true } : { all: false, accountIds: list(options.accounts), backends: list(options.backends) },
    recipientId: options.recipient,
    expiresAt,
  };
}

function list(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}
