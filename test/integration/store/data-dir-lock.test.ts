/** The pid file that keeps two processes off one embedded data dir. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lockDataDir } from '../../../src/store/data-dir-lock';
import { DatabaseError } from '../../../src/store/errors';
import { removeDir, tempDir } from './store-fixtures';

describe('data dir lock', () => {
  let dir: string;
  const lockFile = () => path.join(dir, 'patchbay.lock');

  beforeEach(() => {
    dir = tempDir('lock');
  });
  afterEach(() => removeDir(dir));

  test('holds a pid file while held and removes it on release', () => {
    const lock = lockDataDir(dir);
    expect(readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
    lock.release();
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
    lockDataDir(dir).release();
  });

  test('a live process holding it is named in the refusal', () => {
    writeFileSync(lockFile(), `${process.ppid}\n`);
    let failure: unknown;
    try {
      lockDataDir(dir);
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(DatabaseError);
    expect(failure).toMatchObject({ code: 'DATA_DIR_IN_USE' });
    expect((failure as Error).message).toContain(`already open by process ${process.ppid}`);
  });

  test('a lock left by a dead process is taken over', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lockFile(), `${dead}\n`);
    const lock = lockDataDir(dir);
    expect(readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
    lock.release();
  });
});
