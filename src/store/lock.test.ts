// The embedded store belongs to one process at a time (PGlite only: a server has no data folder).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { openTestStore } from '../../test/support/store.ts';
import { isPosopsError } from '../domain/index.ts';
import { openStore } from './index.ts';
import { lockDataFolder, LOCK_FILE } from './lock.ts';

const run = promisify(execFile);
const storeModule = new URL('./index.ts', import.meta.url).href;

const lockedMessage = (dir: string, pid: number) =>
  `the data folder ${dir} is in use by another posops process (pid ${pid}); stop it or use another --data folder`;

/** Tries to open the store of `dir` in a child process; resolves with what it printed. */
async function openInChild(dir: string): Promise<{ code?: string; message?: string; opened?: boolean }> {
  const script = `
    const { openStore } = await import(${JSON.stringify(storeModule)});
    try { const s = await openStore({ dataDir: ${JSON.stringify(dir)} }); await s.close(); console.log(JSON.stringify({ opened: true })); }
    catch (err) { console.log(JSON.stringify({ code: err.code, message: err.message })); }`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

test('openStore() refuses a data folder open in this process or another, and frees it on close', { timeout: 120_000 }, async () => {
  const held = await openTestStore('pglite');
  const dir = held.where;
  try {
    assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8').trim(), String(process.pid));
    await assert.rejects(openStore({ dataDir: dir }), (err) => {
      assert.ok(isPosopsError(err, 'STORE_LOCKED'));
      assert.equal(err.message, lockedMessage(dir, process.pid));
      return true;
    });
    assert.deepEqual(await openInChild(dir), { code: 'STORE_LOCKED', message: lockedMessage(dir, process.pid) });
    await held.store.close();
    assert.equal(existsSync(join(dir, LOCK_FILE)), false, 'close() removes the lock file');
    assert.deepEqual(await openInChild(dir), { opened: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lockDataFolder() takes over a lock whose process is gone, and an unreadable one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'posops-lock-'));
  try {
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(join(dir, LOCK_FILE), gone.stdout);
    const lock = lockDataFolder(dir);
    assert.equal(readFileSync(lock.path, 'utf8').trim(), String(process.pid));
    assert.throws(() => lockDataFolder(dir), (err) => isPosopsError(err, 'STORE_LOCKED'));
    lock.release();
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    lockDataFolder(dir).release();
    assert.equal(existsSync(join(dir, LOCK_FILE)), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock file rewritten by someone else is left alone on release', () => {
  const dir = mkdtempSync(join(tmpdir(), 'posops-lock-'));
  try {
    const lock = lockDataFolder(dir);
    writeFileSync(lock.path, '1\n'); // pid 1 (init) is alive: someone else's lock now
    lock.release();
    assert.equal(readFileSync(lock.path, 'utf8'), '1\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
