import { parseCommandLine, portOption, UsageError } from '../../src/cli-args';

const OPTIONS = {
  config: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

describe('parseCommandLine (node:util parseArgs, strict)', () => {
  it('reads long options with a space or =, short flags and positionals', () => {
    expect(parseCommandLine(['list', '--config=gw.yaml', '-h', '--json'], OPTIONS, true)).toEqual({
      values: { config: 'gw.yaml', help: true, json: true },
      positionals: ['list'],
    });
    expect(parseCommandLine(['--config', 'a b.yaml'], OPTIONS).values).toEqual({ config: 'a b.yaml' });
  });

  it.each([
    [['--confg', 'x'], true, 'unknown option --confg'],
    [['-x'], true, 'unknown option -x'],
    [['--config'], false, '--config needs a value'],
    [['--config', '--json'], false, '--config needs a value'],
    [['--json=yes'], false, '--json takes no value'],
    [['--help=1'], false, '--help takes no value'],
    [['--config', 'a', '--config=b'], false, '--config given twice'],
    [['stray'], false, 'unexpected argument "stray"'],
  ])('%j (positionals %s) is a usage error: %s', (argv, positionals, message) => {
    expect(() => parseCommandLine(argv, OPTIONS, positionals)).toThrow(new UsageError(message));
  });
});

describe('portOption', () => {
  it('takes 0..65535 and falls back when absent', () => {
    expect(portOption('--port', undefined, 8088)).toBe(8088);
    expect(portOption('--port', '0', 8088)).toBe(0);
    expect(portOption('--port', '65535', 8088)).toBe(65535);
  });

  it.each(['', ' ', 'abc', '1.5', '-1', '65536'])('%j is a usage error', (raw) => {
    expect(() => portOption('--port', raw, 8088)).toThrow(
      new UsageError(`--port must be a port number (0-65535), got ${JSON.stringify(raw)}`),
    );
  });
});
