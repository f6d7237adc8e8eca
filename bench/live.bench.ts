// Live diagnosis cost: what one server tick (5 s of event time: the events of those seconds, then
// changes(now) and view()) costs against diagnosing the whole fleet once, on a simulated fleet of
// 10,000 terminals fed six hours of history. The ratio is the share of a full diagnosis a tick
// costs; the server used to run two or three full diagnoses per tick.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRegistryJson, validateLine, type PosEvent } from '../src/domain/index.ts';
import { createEngine } from '../src/engine/index.ts';
import { generateFleet, writeSimFiles } from '../src/sim/index.ts';
import type { BenchResult } from './run.ts';

const TERMINALS = 10_000;
const TICK_MS = 5_000;
const TICKS = 60;

export async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'posops-live-'));
  try {
    await writeSimFiles(generateFleet({ terminals: TERMINALS, days: 0.25, seed: 17, start: '2026-11-20T01:00:00Z' }), dir);
    const registry = parseRegistryJson(await readFile(join(dir, 'fleet.json'), 'utf8')).registry;
    const events: PosEvent[] = [];
    for (const line of (await readFile(join(dir, 'events.ndjson'), 'utf8')).split('\n')) {
      const v = line ? validateLine(line) : undefined;
      if (v?.ok) events.push(v.event);
    }
    const end = events.reduce((m, e) => Math.max(m, e.tsMs), 0);
    const from = end - TICKS * TICK_MS;
    const engine = createEngine({ registry });
    let i = 0;
    let clock = 0;
    for (; i < events.length && clock < from; i++) {
      clock = Math.max(clock, events[i]!.tsMs);
      engine.observe(events[i]!);
    }
    let t = performance.now();
    engine.diagnose(clock);
    const full = performance.now() - t;
    engine.changes(clock);
    let tickMs = 0;
    let fed = 0;
    for (let k = 1; k <= TICKS; k++) {
      const now = from + k * TICK_MS;
      for (; i < events.length && events[i]!.tsMs <= now; i++, fed++) engine.observe(events[i]!);
      t = performance.now();
      engine.changes(now);
      engine.view();
      tickMs += performance.now() - t;
    }
    const tick = tickMs / TICKS;
    return [
      { name: `full diagnose, ${TERMINALS.toLocaleString('en-US')} terminals (floor)`, value: full, unit: 'ms' },
      {
        name: 'live tick: changes(now) + view()', value: tick, unit: 'ms', floor: full, ratio: tick / full,
        note: `${TICKS} ticks of 5 s, ${Math.round(fed / TICKS)} events per tick; the server used to run 2-3 full diagnoses per tick`,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
