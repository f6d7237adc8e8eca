// Time to detect a carrier outage: the simulator scripts an outage of CMCC in Shanghai (35 cellular
// terminals in this 600-terminal fleet) at a known minute; the events are streamed in arrival order
// through the fleet correlator (the engine's incidents come from it unchanged) and incidents(now) is
// asked every simulated minute. The figure is the delay from the outage start to the first incident
// with that scope, in minutes and in light-heartbeat intervals (300 s). Target: ≤ 2 intervals.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRegistryJson, validateLine, type Incident } from '../src/domain/index.ts';
import { createCorrelator } from '../src/engine/correlate/index.ts';
import { generateFleet, parseScenario, writeSimFiles } from '../src/sim/index.ts';
import type { BenchResult } from './run.ts';

const MINUTE = 60_000;
const HEARTBEAT_MS = 300_000;
const START = '2026-11-20T06:00:00Z';
const OUTAGE_AT = '2026-11-21T03:00:00Z'; // 11:00 in Shanghai on the second day: shops open, 21 h of history
const SCOPE = { carrier: 'CMCC', region: 'Shanghai' };

const scenario = {
  start: START, days: 1, terminals: 600, seed: 3, random: false,
  faults: [{ at: OUTAGE_AT, cause: 'net.carrier_outage', scope: SCOPE }],
};

export interface OutageLatency {
  delayMs: number;
  members: number;
  truthMembers: number;
  jaccard: number;
  /** Incidents of any other scope seen along the way (false alarms). */
  others: string[];
  events: number;
}

const inScope = (i: Incident): boolean => i.cause === 'net.carrier_outage' && i.scope['carrier'] === SCOPE.carrier && i.scope['region'] === SCOPE.region;

function jaccard(a: string[], b: string[]): number {
  const sa = new Set(a);
  const inter = b.filter((x) => sa.has(x)).length;
  return inter / (sa.size + b.length - inter || 1);
}

/** Streams the files, asking incidents(minute) whenever the arrival clock passes a minute. */
export async function measureOutageLatency(dir: string): Promise<OutageLatency> {
  const registry = parseRegistryJson(await readFile(join(dir, 'fleet.json'), 'utf8')).registry;
  const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as { incidents: { cause: string; terminals: string[] }[] };
  const truthMembers = truth.incidents.find((i) => i.cause === 'net.carrier_outage')?.terminals ?? [];
  const correlator = createCorrelator(registry);
  const outage = Date.parse(OUTAGE_AT);
  const others = new Set<string>();
  let clock = -Infinity;
  let next = -Infinity;
  let found: { at: number; incident: Incident } | undefined;
  let events = 0;
  for (const line of (await readFile(join(dir, 'events.ndjson'), 'utf8')).split('\n')) {
    const v = line ? validateLine(line) : undefined;
    if (!v?.ok) continue;
    events++;
    clock = Math.max(clock, v.event.tsMs);
    while (next <= clock && !found) {
      if (next >= outage - 2 * 60 * MINUTE) {
        const incidents = correlator.incidents(next);
        for (const i of incidents) if (!inScope(i)) others.add(`${i.cause} ${JSON.stringify(i.scope)} since ${i.since}`);
        const hit = incidents.find(inScope);
        if (hit) found = { at: next, incident: hit };
      }
      next = next === -Infinity ? Math.ceil(clock / MINUTE) * MINUTE : next + MINUTE;
    }
    correlator.observe(v.event);
    if (found) break;
  }
  if (!found) return { delayMs: NaN, members: 0, truthMembers: truthMembers.length, jaccard: 0, others: [...others], events };
  return {
    delayMs: found.at - outage, members: found.incident.terminals.length, truthMembers: truthMembers.length,
    jaccard: jaccard(truthMembers, found.incident.terminals), others: [...others], events,
  };
}

export async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'posops-outage-'));
  try {
    const fleet = generateFleet({ terminals: scenario.terminals, days: scenario.days, seed: scenario.seed, scenario: parseScenario(JSON.stringify(scenario)) });
    await writeSimFiles(fleet, dir);
    const r = await measureOutageLatency(dir);
    const minutes = r.delayMs / MINUTE;
    const note = `${SCOPE.carrier} ${SCOPE.region} at ${OUTAGE_AT}: ${r.members} terminals at first report (truth ${r.truthMembers} at the end, Jaccard ${r.jaccard.toFixed(2)}); ` +
      `other incidents on the way: ${r.others.length ? r.others.join('; ') : 'none'}; target <= 2 intervals`;
    return [
      { name: 'carrier outage: time to first incident', value: minutes, unit: 'minutes', note: `${r.events} events streamed` },
      { name: 'carrier outage: time to first incident', value: r.delayMs / HEARTBEAT_MS, unit: 'heartbeat intervals (300 s)', note },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
