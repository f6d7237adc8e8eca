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
