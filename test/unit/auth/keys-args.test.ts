import { parseKeysArgs, UsageError } from '../../../src/auth/keys-args';

const ACCOUNT = '0123456789abcdef0123456789abcdef';

describe('npm run keys arguments', () => {
  it('parses create with lists, recipient, expiry and --config anywhere', () => {
    expect(
      parseKeysArgs([
        '--config',
        'gw.yaml',
        'create',
        '--name',
        'desk 4',
        '--role',
        'agent',
        `--accounts=${ACCOUNT}, `,
        '--backends',
        'pbx1,kz1',
        '--recipient',
        `kz1:${ACCOUNT}/u1`,
        '--expires',
        '2027-01-01',
      ]),
    ).toEqual({
      configFile: 'gw.yaml',
      command: {
        kind: 'create',
        input: {
          name: 'desk 4',
          role: 'AGENT',
          scope: { all: false, accountIds: [ACCOUNT], backends: ['pbx1', 'kz1'] },
          recipientId: `kz1:${ACCOUNT}/u1`,
          expiresAt: new Date('2027-01-01T00:00:00Z'),
        },
      },
    });
  });

  it('parses create --all, list [--json], revoke <id> and help', () => {
    expect(parseKeysArgs(['create', '--name', 'root', '--role', 'ADMIN', '--all']).command).toEqual({
      kind: 'create',
      input: { name: 'root', role: 'ADMIN', scope: { all: true }, recipientId: undefined, expiresAt: undefined },
    });
    expect(parseKeysArgs(['list']).command).toEqual({ kind: 'list', json: false });
    expect(parseKeysArgs(['list', '--json']).command).toEqual({ kind: 'list', json: true });
    expect(parseKeysArgs(['revoke', 'abcdefgh23'])).toEqual({
      command: { kind: 'revoke', id: 'abcdefgh23' },
      configFile: undefined,
    });
    expect(parseKeysArgs([]).command).toEqual({ kind: 'help' });
    expect(parseKeysArgs(['list', '--help']).command).toEqual({ kind: 'help' });
  });

  it.each([
    [['frobnicate'], 'unknown command "frobnicate" (expected create, list or revoke)'],
    [['create', '--role', 'ADMIN'], 'create needs --name'],
    [['create', '--name', 'x'], 'create needs --role'],
    [['create', '--name'], '--name needs a value'],
    [['create', '--name', 'x', '--name', 'y'], '--name given twice'],
    [
      ['create', '--name', 'x', '--role', 'ADMIN', '--all', '--backends', 'pbx1'],
      '--all reaches everything: drop --accounts/--backends',
    ],
    [
      ['create', '--name', 'x', '--role', 'ADMIN', '--expires', 'soon'],
      '--expires must be a date (YYYY-MM-DD) or ISO time, got "soon"',
    ],
    [['create', '--nmae', 'x'], 'unknown option --nmae'],
    [['list', '--name', 'x'], '--name does not apply to list'],
    [['revoke'], 'revoke needs exactly one key id'],
    [['revoke', 'a', 'b'], 'revoke needs exactly one key id'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseKeysArgs(argv)).toThrow(new UsageError(message));
  });
});
