// What the ingest benches share: child processes (the server, the floor, the load generators) and
// the measurement of events/s over several generator processes run side by side.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './run.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Child {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `node <args>` from the repository root, collecting stdout and stderr. */
export function child(args: string[]): Child {
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  return { proc, output: () => out, exited: new Promise((r) => proc.once('exit', (code) => r(code))) };
}

/** Waits for the child to print the address `pattern` captures (its first group), for up to a minute. */
export async function addressOf(c: Child, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = pattern.exec(c.output());
    if (m) return m[1]!;
    if (Date.now() > deadline || c.proc.exitCode !== null) throw new Error(`${c.proc.spawnargs.join(' ')} did not start:\n${c.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The `posops serve` under test: a temporary data folder, free ports, no authentication. */
export function serveChild(data: string): Child {
  return child(['bin/posops.js', 'serve', '--data', data, '--port', '0', '--mqtt-port', '0', '--auth', 'off', '--log-level', 'warn']);
}

/** Load generator processes run side by side (BENCH_GENERATORS, default 2): one process cannot saturate the server. */
export const GENERATORS = Number(process.env['BENCH_GENERATORS'] ?? 2);

/**
 * Starts GENERATORS copies of `generatorScript --generate <target> <seconds>`; each prints
 * `{"events","seconds"}` as its last line. Answers the events/s they reached together.
 */
export async function measure(generatorScript: string, target: string, seconds: number): Promise<number> {
  const gens = Array.from({ length: GENERATORS }, () => child(['--import', 'tsx', generatorScript, '--generate', target, String(seconds)]));
  let events = 0;
  let took = 0;
  for (const gen of gens) {
    if ((await gen.exited) !== 0) throw new Error(`load generator failed:\n${gen.output()}`);
    const r = JSON.parse(gen.output().trim().split('\n').pop()!) as { events: number; seconds: number };
    events += r.events;
    took = Math.max(took, r.seconds);
  }
  return events / took;
}

export interface IngestComparison {
  /** The bench file: it runs as the floor (`floorMode`) and as the load generator (`--generate`). */
  script: string;
  floorMode: string;
  /** Captures the address to load from what the floor and the server print. */
  address: RegExp;
  /** Turns that address into the generator's target (e.g. adds the route). */
  target?: (address: string) => string;
  name: (seconds: number) => string;
  note: string;
}

/**
 * Runs the generators against the floor, then against a real `posops serve` (fresh data folder),
 * for BENCH_SECONDS (default 15) each, and answers the events/s of the server against the floor.
 */
export async function compareWithFloor(c: IngestComparison): Promise<BenchResult[]> {
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 15);
  const target = c.target ?? ((a: string) => a);
  const data = await mkdtemp(join(tmpdir(), 'posops-bench-ingest-'));
  const floorProc = child(['--import', 'tsx', c.script, c.floorMode]);
  const server = serveChild(data);
  try {
    const floor = await measure(c.script, target(await addressOf(floorProc, c.address)), seconds);
    floorProc.proc.kill();
    const value = await measure(c.script, target(await addressOf(server, c.address)), seconds);
    return [{ name: c.name(seconds), value, unit: 'events/s', floor, ratio: value / floor, note: c.note }];
  } finally {
    floorProc.proc.kill();
    server.proc.kill('SIGTERM');
    await server.exited;
    await rm(data, { recursive: true, force: true });
  }
}
