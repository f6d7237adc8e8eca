// The embedded store belongs to one process at a time: `${dataDir}/posops.lock` holds its pid.
// A lock left by a process that is gone is taken over; a live one is refused with STORE_LOCKED.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PosopsError } from '../domain/index.ts';

export const LOCK_FILE = 'posops.lock';

export interface DataFolderLock {
  path: string;
  release(): void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx');
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Takes the lock of `dataDir` (which must exist) or throws PosopsError('STORE_LOCKED'). */
export function lockDataFolder(dataDir: string): DataFolderLock {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path)) return { path, release: () => releaseLock(path) };
    const pid = readPid(path);
    if (pid !== undefined && processAlive(pid)) {
      throw new PosopsError(
        'STORE_LOCKED',
        `the data folder ${dataDir} is in use by another posops process (pid ${pid}); stop it or use another --data folder`,
        { pid, dataDir },
      );
    }
    // Stale (its process is gone) or unreadable half-written: take it over.
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new PosopsError('STORE_LOCKED', `could not take the lock ${path}: another process keeps recreating it`);
}

function releaseLock(path: string): void {
  // Remove it only while it is still ours.
  if (readPid(path) !== process.pid) return;
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
