// Simulator speed: events/s that `posops sim` writes (simulate, order by arrival, write NDJSON)
// against a floor measured in the same run: JSON.stringify + write of the same number of fixed events.
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

export async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'posops-simbench-'));
  try {
    // Warm-up (JIT) on a small fleet, so that the figure is the steady state a long run sees.
    await writeSimFiles(generateFleet({ terminals: 200, days: 0.25, seed: 1 }), join(dir, 'warm'));
    await floorMs(50_000, dir);
    const t0 = performance.now();
    const fleet = generateFleet({ terminals: TERMINALS, days: DAYS, seed: 5 });
    const planMs = performance.now() - t0;
    const t1 = performance.now();
    const { events } = await writeSimFiles(fleet, join(dir, 'sim'));
    const simMs = performance.now() - t1;
    const fMs = await floorMs(events, dir);
    const value = events / (simMs / 1000);
    const floor = events / (fMs / 1000);
    const mem = process.memoryUsage().heapUsed;
    return [
      { name: `sim write (${TERMINALS} terminals × ${DAYS} day)`, value, unit: 'events/s', floor, ratio: value / floor,
        note: `${events} events; floor = JSON.stringify+write of fixed events; plan ${planMs.toFixed(0)} ms` },
      { name: 'sim heap after run', value: mem / TERMINALS, unit: 'bytes/terminal' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
