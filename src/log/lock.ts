// An exclusive lock on a log folder: a LOCK file holding the owner's process id.
// A lock left by a process that no longer runs (a crash, kill -9) is taken over.
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PosopsError } from '../domain/index.ts';

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'wx');
    try {
      await fh.writeFile(`${process.pid}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Takes the lock of `dir`; returns the function that releases it. */
export async function lockLogDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await tryCreate(path)) return () => unlink(path).catch(() => undefined);
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && processRuns(owner)) {
      throw new PosopsError('LOG_LOCKED', `the event log ${dir} is in use by process ${owner}; stop it or use another data folder`);
    }
    await unlink(path).catch(() => undefined); // stale: its owner is gone
  }
  throw new PosopsError('LOG_LOCKED', `could not take the lock ${path}`);
}
