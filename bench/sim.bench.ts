// Simulator speed: events/s that `posops sim` writes (simulate, order by arrival, write NDJSON)
// against a floor measured in the same run: JSON.stringify + write of the same number of fixed events.
// Measured in one thread, and on a 4× fleet also with a worker thread running 60% of the terminals (same files).
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleet, writeSimFiles } from '../src/sim/index.ts';
import type { BenchResult } from './run.ts';

const TERMINALS = 1000;
const DAYS = 0.5;

const FIXED = {
  v: 1, id: '1a2b3c', type: 'heartbeat', terminal: 'T1000042', ts: '2026-11-20T09:37:49Z',
  net: { type: '4g', carrier: 'CMCC', rssi_dbm: -66, host_rtt_ms: 65 }, battery: { level_pct: 96, charging: true },
  env: { temp_c: 34.7 }, printer: 'ok', uptime_s: 856802,
};

async function floorMs(count: number, dir: string): Promise<number> {
  const t0 = performance.now();
  const stream = createWriteStream(join(dir, 'floor.ndjson'));
  let lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(JSON.stringify({ ...FIXED, id: i.toString(36) }));
    if (lines.length === 4096) {
      if (!stream.write(lines.join('\n') + '\n')) await new Promise<void>((r) => stream.once('drain', () => r()));
      lines = [];
    }
  }
  stream.end(lines.join('\n') + '\n');
  await new Promise<void>((r) => stream.once('finish', () => r()));
  return performance.now() - t0;
}

interface Timed {
  events: number;
  ms: number;
  cpuMs: number;
}

/** Best wall time of `reps` runs (the machine is shared: the best is the least disturbed), with its CPU time. */
async function timeSim(dir: string, terminals: number, workers: number, reps: number): Promise<Timed> {
  let best: Timed | undefined;
  for (let i = 0; i < reps; i++) {
    const fleet = generateFleet({ terminals, days: DAYS, seed: 5 });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const { events } = await writeSimFiles(fleet, join(dir, 'sim'), undefined, { workers });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    if (!best || ms < best.ms) best = { events, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
  }
  return best!;
}

export async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'posops-simbench-'));
  try {
    // Warm-up (JIT) on a small fleet, so that the figure is the steady state a long run sees.
    await writeSimFiles(generateFleet({ terminals: 200, days: 0.25, seed: 1 }), join(dir, 'warm'), undefined, { workers: 0 });
    await floorMs(50_000, dir);
    const t0 = performance.now();
    generateFleet({ terminals: TERMINALS, days: DAYS, seed: 5 });
    const planMs = performance.now() - t0;
    const one = await timeSim(dir, TERMINALS, 0, 3);
    // The worker pays only on large fleets (its start-up costs about a second of CPU): compared on 4×.
    const bigOne = await timeSim(dir, 4 * TERMINALS, 0, 2);
    const bigTwo = await timeSim(dir, 4 * TERMINALS, 1, 2);
    let fMs = Infinity;
    for (let i = 0; i < 2; i++) fMs = Math.min(fMs, await floorMs(one.events, dir));
    const floor = one.events / (fMs / 1000);
    const mem = process.memoryUsage().heapUsed;
    const row = (name: string, t: Timed): BenchResult => {
      const value = t.events / (t.ms / 1000);
      return { name, value, unit: 'events/s', floor, ratio: value / floor,
        note: `${t.events} events, best run: ${t.ms.toFixed(0)} ms wall, ${t.cpuMs.toFixed(0)} ms CPU (all threads); plan ${planMs.toFixed(0)} ms` };
    };
    return [
      row(`sim write, one thread (${TERMINALS} terminals × ${DAYS} day)`, one),
      row(`sim write, one thread (${4 * TERMINALS} terminals × ${DAYS} day)`, bigOne),
      row(`sim write, 1 worker + main (${4 * TERMINALS} terminals × ${DAYS} day)`, bigTwo),
      { name: 'sim heap after run', value: mem / TERMINALS, unit: 'bytes/terminal' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
