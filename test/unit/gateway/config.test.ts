import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendSecretEnv, ConfigError, loadConfigFile, parseConfig } from '../../../src/config';

const ari = {
  name: 'pbx1',
  kind: 'ari',
  url: 'http://127.0.0.1:8088/ari',
  username: 'asterisk',
  password: 'asterisk',
  app: 'patchbay',
};

function problems(doc: unknown, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(doc, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('config', () => {
  it('accepts the documented shape and fills defaults', () => {
    const c = parseConfig({ port: 4001, database: { url: 'postgresql://u:p@127.0.0.1:5432/db' }, backends: [ari] }, {});
    expect(c.port).toBe(4001);
    expect(c.database.url).toBe('postgresql://u:p@127.0.0.1:5432/db');
    expect(c.backends).toEqual([{ ...ari, requestTimeoutMs: 5000 }]);
  });

  it('PORT and DATABASE_URL env override the file', () => {
    const c = parseConfig({ port: 4001, backends: [] }, { PORT: '5000', DATABASE_URL: 'postgresql://x/y' });
    expect(c.port).toBe(5000);
    expect(c.database.url).toBe('postgresql://x/y');
  });

  it('workers: one per core by default, from the file, PATCHBAY_WORKERS over both', () => {
    expect(parseConfig({}, {}).workers).toBe(availableParallelism());
    expect(parseConfig({ workers: 3 }, {}).workers).toBe(3);
    expect(parseConfig({ workers: 3 }, { PATCHBAY_WORKERS: '1' }).workers).toBe(1);
    expect(problems({ workers: 0 })).toEqual(['config.workers: expected an integer from 1 to 64, got 0']);
    expect(() => parseConfig({}, { PATCHBAY_WORKERS: 'two' })).toThrow(/env PATCHBAY_WORKERS: expected an integer/);
  });

  it('backend secrets come from env before the file', () => {
    const { password: _p, ...noPassword } = ari;
    const c = parseConfig({ backends: [noPassword] }, { [backendSecretEnv('pbx1', 'password')]: 'from-env' });
    expect(backendSecretEnv('pbx1', 'password')).toBe('PATCHBAY_BACKEND_PBX1_PASSWORD');
    expect(c.backends[0]).toMatchObject({ password: 'from-env' });
  });

  it('names every bad key and what was expected', () => {
    const p = problems({
      port: 'x',
      backends: [
        { ...ari, url: 'ftp://h', kind: 'ari' },
        { name: 'k', kind: 'sip' },
      ],
      extra: 1,
    });
    expect(p).toEqual(
      expect.arrayContaining([
        'config.port: expected an integer from 0 to 65535, got "x"',
        'config.backends[0].url: expected a http or https URL, got "ftp://h"',
        'config.backends[1].kind: expected one of "ari", "kazoo", got "sip"',
        'config.extra: unknown key (expected one of port, host, database, pubsub, events, security, responseCache, cors, workers, backends)',
      ]),
    );
  });

  it('refuses duplicate names and names with ":"', () => {
    expect(problems({ backends: [ari, ari] })).toContain('config.backends[1].name: duplicate backend name "pbx1"');
    expect(problems({ backends: [{ ...ari, name: 'a:b' }] })[0]).toMatch(
      /^config\.backends\[0\]\.name: expected letters/,
    );
  });

  it('refuses credentials inside URLs without echoing the password', () => {
    const p = problems({ backends: [{ ...ari, url: 'http://asterisk:secret@127.0.0.1:8088/ari' }] });
    expect(p[0]).toMatch(/^config\.backends\[0\]\.url: expected a URL without credentials/);
    expect(p.join()).not.toContain('secret');
  });

  it('requires kazoo auth and a 32-hex account id', () => {
    const p = problems({
      backends: [{ name: 'k1', kind: 'kazoo', url: 'http://127.0.0.1:8000/v2', accountId: 'nothex' }],
    });
    expect(p).toContain('config.backends[0].accountId: expected 32 lowercase hex characters, got "nothex"');
    expect(p.some((x) => x.startsWith('config.backends[0]: expected apiKey'))).toBe(true);
  });

  it('loads JSON and YAML files, with clear errors for broken ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-config-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ port: 4100, backends: [ari] }));
    writeFileSync(
      join(dir, 'c.yaml'),
      'port: 4200\nbackends:\n  - name: pbx1\n    kind: ari\n    url: http://127.0.0.1:8088/ari\n    username: a\n    password: b\n',
    );
    writeFileSync(join(dir, 'bad.json'), '{ "port": ');
    expect(loadConfigFile(join(dir, 'c.json'), {}).port).toBe(4100);
    expect(loadConfigFile(join(dir, 'c.yaml'), {}).backends[0]).toMatchObject({ name: 'pbx1', app: 'patchbay' });
    expect(() => loadConfigFile(join(dir, 'bad.json'), {})).toThrow(/not valid JSON/);
    expect(() => loadConfigFile(join(dir, 'missing.json'), {})).toThrow(/cannot read file \(ENOENT\)/);
  });

  it('cors.origins: "*" or origins with an optional :* port; local origins in demo mode, none otherwise', () => {
    expect(parseConfig({ cors: { origins: '*' } }, {}).cors).toEqual({ origins: '*' });
    const list = ['https://app.example.com', 'http://localhost:*', 'http://[::1]:5173'];
    expect(parseConfig({ cors: { origins: list } }, {}).cors).toEqual({ origins: list });
    expect(parseConfig({}, {}).cors).toBeUndefined();
    expect(parseConfig({}, {}, { demo: true }).cors).toEqual({
      origins: ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'],
    });
    expect(problems({ cors: { origins: ['https://app.example.com/path', 'localhost'] } })).toEqual([
      'config.cors.origins: expected "*" or a list of origins like "https://app.example.com" or "http://localhost:*", got ["https://app.example.com/path","localhost"]',
    ]);
    expect(problems({ cors: { origins: 'https://a.example' } })[0]).toMatch(/^config\.cors\.origins: expected/);
  });

  it('security.publicIntrospection: off by default, a boolean when given', () => {
    expect(parseConfig({}, {}).security!.publicIntrospection).toBe(false);
    expect(parseConfig({ security: { publicIntrospection: true } }, {}).security!.publicIntrospection).toBe(true);
    expect(problems({ security: { publicIntrospection: 'yes' } })).toEqual([
      'config.security.publicIntrospection: expected true or false, got "yes"',
    ]);
  });

  it('security.keyHashCost: 15 by default, from the file, PATCHBAY_KEY_HASH_COST over both', () => {
    expect(parseConfig({}, {}).security!.keyHashCost).toBe(15);
    expect(parseConfig({ security: { keyHashCost: 17 } }, {}).security!.keyHashCost).toBe(17);
    expect(parseConfig({ security: { keyHashCost: 17 } }, { PATCHBAY_KEY_HASH_COST: '10' }).security!.keyHashCost).toBe(
      10,
    );
    expect(problems({ security: { keyHashCost: 9 } })).toEqual([
      'config.security.keyHashCost: expected an integer from 10 to 20, got 9',
    ]);
    expect(problems({}, { PATCHBAY_KEY_HASH_COST: '21' })).toEqual([
      'env PATCHBAY_KEY_HASH_COST: expected an integer from 10 to 20, got "21"',
    ]);
  });
});
