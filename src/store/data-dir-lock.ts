/**
 * PGlite has no postmaster to stop a second process from opening the same data folder, and
 * two writers corrupt it. A pid file does that job: taken exclusively, released on close,
 * taken over when the pid it names is no longer alive.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DatabaseError } from './errors';

const LOCK_FILE = 'patchbay.lock';
const heldHere = new Set<string>();

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dir: string): DataDirLock {
  const file = path.join(path.resolve(dir), LOCK_FILE);
  if (heldHere.has(file)) {
    throw inUse(dir, process.pid);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      heldHere.add(file);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          heldHere.delete(file);
          try {
            unlinkSync(file);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(file);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw inUse(dir, owner);
      // Stale: its process died without closing (or it is a leftover of ours from a crash).
      try {
        unlinkSync(file);
      } catch {
        // Someone else removed it first; retry the exclusive create.
      }
    }
  }
  throw inUse(dir, readOwner(file));
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(dir: string, pid: number | undefined): DatabaseError {
  return new DatabaseError(
    'DATA_DIR_IN_USE',
    `The embedded database in ${dir} is already open${pid ? ` by process ${pid}` : ''}. ` +
      'Stop that gateway, or give this one another data dir (or a DATABASE_URL to share PostgreSQL).',
  );
}
