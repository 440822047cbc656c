/**
 * Command line of `npm run keys`: parsed into a command, or a usage error (exit 2) that says
 * what was wrong. Nothing here touches the database.
 */
import type { NewApiKeyInput } from './key-input';
import type { Role } from './principal';

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

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const CREATE_OPTIONS = ['name', 'role', 'accounts', 'backends', 'recipient', 'expires'];
const FLAGS = ['all', 'json', 'help'];

export function parseKeysArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      flags.add('help');
      continue;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (FLAGS.includes(name) && eq < 0) {
      flags.add(name);
      continue;
    }
    if (!CREATE_OPTIONS.includes(name) && name !== 'config') throw new UsageError(`unknown option --${name}`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    if (options.has(name)) throw new UsageError(`--${name} given twice`);
    options.set(name, value);
  }
  const configFile = options.get('config');
  options.delete('config');
  const [verb, ...rest] = positional;
  if (flags.has('help') || verb === 'help' || verb === undefined) return { command: { kind: 'help' }, configFile };

  const onlyFor = (command: string, allowedOptions: string[], allowedFlags: string[]): void => {
    const extraOption = [...options.keys()].find((o) => !allowedOptions.includes(o));
    const extraFlag = [...flags].find((f) => !allowedFlags.includes(f));
    const extra = extraOption ?? extraFlag;
    if (extra) throw new UsageError(`--${extra} does not apply to ${command}`);
  };

  switch (verb) {
    case 'create': {
      onlyFor('create', CREATE_OPTIONS, ['all']);
      if (rest.length > 0) throw new UsageError(`create takes options only, got ${JSON.stringify(rest.join(' '))}`);
      const name = options.get('name');
      const role = options.get('role');
      if (!name) throw new UsageError('create needs --name');
      if (!role) throw new UsageError('create needs --role');
      const all = flags.has('all');
      if (all && (options.has('accounts') || options.has('backends'))) throw new UsageError('--all reaches everything: drop --accounts/--backends');
      const expires = options.get('expires');
      let expiresAt: Date | undefined;
      if (expires !== undefined) {
        expiresAt = new Date(expires);
        if (!/^\d{4}-\d{2}-\d{2}/.test(expires) || Number.isNaN(expiresAt.getTime())) {
          throw new UsageError(`--expires must be a date (YYYY-MM-DD) or ISO time, got ${JSON.stringify(expires)}`);
        }
      }
      const input: NewApiKeyInput = {
        name,
        role: role.toUpperCase() as Role,
        scope: all ? { all: true } : { all: false, accountIds: list(options.get('accounts')), backends: list(options.get('backends')) },
        recipientId: options.get('recipient'),
        expiresAt,
      };
      return { command: { kind: 'create', input }, configFile };
    }
    case 'list':
      onlyFor('list', [], ['json']);
      if (rest.length > 0) throw new UsageError(`list takes no arguments, got ${JSON.stringify(rest.join(' '))}`);
      return { command: { kind: 'list', json: flags.has('json') }, configFile };
    case 'revoke':
      onlyFor('revoke', [], []);
      if (rest.length !== 1) throw new UsageError('revoke needs exactly one key id');
      return { command: { kind: 'revoke', id: rest[0] }, configFile };
    default:
      throw new UsageError(`unknown command ${JSON.stringify(verb)} (expected create, list or revoke)`);
  }
}

function list(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}
