// `posops` as a user runs it: a real child process whose output the test reads.
import { spawn, type ChildProcess } from 'node:child_process';

export interface PosopsProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `node bin/posops.js <args>` from the repository root (the tests' working directory). */
export function spawnPosops(args: string[]): PosopsProcess {
  const child = spawn(process.execPath, ['bin/posops.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/**
 * Logs in as the first admin with the one-time password `posops serve` printed, sets an own
 * password (a one-time password allows nothing else) and logs in again: a session token.
 */
export async function firstAdminSession(url: string, output: string, password = 'an own password, not the printed one'): Promise<string> {
  const printed = /first admin login: (\S+) \/ (\S+)/.exec(output);
  if (!printed) throw new Error(`no first admin login in the output:\n${output}`);
  const login = async (pw: string) => {
    const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: printed[1], password: pw }) });
    if (!res.ok) throw new Error(`login answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { token: string; must_change_password: boolean };
  };
  const once = await login(printed[2]!);
  if (!once.must_change_password) return once.token;
  const set = await fetch(`${url}/api/v1/auth/password`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${once.token}` }, body: JSON.stringify({ password }) });
  if (!set.ok) throw new Error(`setting the password answered ${set.status}: ${await set.text()}`);
  return (await login(password)).token;
}
