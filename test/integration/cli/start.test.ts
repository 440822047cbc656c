/**
 * The real CLI, as `npm start` runs it: demo mode with no config serves live channels; a bad
 * config file exits 2 naming the key. Spawned as a child process, like a newcomer would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../helpers/gateway-harness';

const ROOT = join(__dirname, '..', '..', '..');

function startCli(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, ['-r', './scripts/register.js', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'info', ...env },
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );
}

describe('npm start (src/main.ts)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('demo mode: no config, live channels from both simulators, graceful SIGTERM', async () => {
    const { child, output } = startCli([], { PORT: '0', PATCHBAY_DATA_DIR: dataDir });
    try {
      const url = await waitFor(
        () => /"url":"(http:\/\/[^"]+\/graphql)"/.exec(output())?.[1],
        'the gateway to listen',
        60_000,
      );
      const key = await waitFor(
        () => /patchbay demo admin key[^\n]*\n\s+(pbk_\S+)/.exec(output())?.[1],
        'the demo admin key',
        10_000,
      );
      const query = async () =>
        (await (
          await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query: '{ channels { id backend { kind } } backends { name kind } }' }),
          })
        ).json()) as {
          data: { channels: Array<{ backend: { kind: string } }>; backends: Array<{ name: string; kind: string }> };
        };
      const r = await waitFor(
        async () => {
          const res = await query();
          const kinds = new Set(res.data.channels.map((c) => c.backend.kind));
          return kinds.has('ARI') && kinds.has('KAZOO') ? res : null;
        },
        'live channels from both simulators',
        30_000,
      );
      expect(r.data.backends).toEqual([
        { name: 'demo-pbx', kind: 'ARI' },
        { name: 'demo-kazoo', kind: 'KAZOO' },
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited(child)).toBe(0);
    expect(output()).toContain('patchbay stopped');
  }, 90_000);

  it('a bad config exits 2 and names the key and what was expected', async () => {
    const file = join(dataDir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        port: 'x',
        backends: [{ name: 'pbx1', kind: 'ari', url: 'ftp://h', username: 'a', password: 'b' }],
      }),
    );
    const { child, output } = startCli(['--config', file], {});
    expect(await exited(child)).toBe(2);
    expect(output()).toContain('config.port: expected an integer from 0 to 65535, got "x"');
    expect(output()).toContain('config.backends[0].url: expected a http or https URL, got "ftp://h"');
  }, 60_000);
});
