// Time to detect, per cause, on a simulated fleet: the simulator's random fault mix (every
// cause, obvious and subtle magnitudes) over two days; the events are streamed in arrival order
// through one engine and diagnose(now) is asked every simulated minute (POSOPS_DETECT_CHECK_MS
// changes it). For each fault that began after the first 12 hours (so the terminal has history), the delay from its onset to the
// first check where the true cause is the terminal's first diagnosis, in light-heartbeat
// intervals (300 s) and in the terminal's transactions. The onset is when the fault could first
// show: the terminal's first event after it began (a fault that strikes a switched-off terminal
// shows in the morning; a member of a bad update, when it installs the update); a silence
// (offline, no power, expired SIM, carrier outage) counts only when it struck a terminal that was
// talking in the 10 minutes before. Target: within 2 intervals, or within 20 transactions (from
// the onset) for faults that show in transactions.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRegistryJson, validateLine } from '../src/domain/index.ts';
import { createEngine } from '../src/engine/index.ts';
import { generateFleet, writeSimFiles } from '../src/sim/index.ts';
import type { BenchResult } from './run.ts';

const INTERVAL_MS = 300_000;
/** How often the replay asks for a diagnosis (the server re-diagnoses every few seconds; a coarser check adds its own delay). */
const CHECK_MS = Number(process.env.POSOPS_DETECT_CHECK_MS ?? 60_000);
const HISTORY_MS = 12 * 3_600_000;
const TALKING_MS = 10 * 60_000;
/** Device times further than this from the replay's clock are a wrong clock, not the time of the event. */
const SKEWED_MS = 6 * 3_600_000;
/** Causes whose symptom is the silence itself. */
const SILENCE = new Set(['net.offline', 'hw.power', 'contract.expired', 'net.carrier_outage']);
const SETS = [
  { terminals: 500, days: 2, seed: 101, start: '2026-11-20T02:00:00Z' },
  { terminals: 500, days: 2, seed: 131, start: '2026-04-07T09:00:00Z' },
];

export interface Detection {
  terminal: string;
  cause: string;
  /** When the fault could first show (ms). */
  onset: number;
  intervals: number;
  transactions: number;
}

interface TruthIncident {
  cause: string;
  scope?: Record<string, unknown>;
  since?: string;
  until?: string;
}

interface Truth {
  faults: Record<string, { cause: string; since: string }>;
  incidents: (TruthIncident & { terminals: string[] })[];
  /** Incidents that ended before `at` (the simulator's truth). */
  past?: TruthIncident[];
  window: { start: string };
  at: string;
}

/** An incident reported while none with its cause and scope was under way (10 minutes early or an hour late allowed). */
function falseIncident(i: { cause: string; scope: object }, now: number, truth: Truth): boolean {
  const same = (t: TruthIncident): boolean =>
    t.cause === i.cause &&
    Object.entries(t.scope ?? {}).every(([k, v]) => JSON.stringify((i.scope as Record<string, unknown>)[k]) === JSON.stringify(v)) &&
    (!t.since || now >= Date.parse(t.since) - 10 * 60_000) &&
    (!t.until || now <= Date.parse(t.until) + 3_600_000);
  return ![...truth.incidents, ...(truth.past ?? [])].some(same);
}

/** One fleet: the onset-to-diagnosis delay of each fault that began with history behind it. */
export async function measureDetection(dir: string): Promise<{ found: Detection[]; missed: string[]; quiet: number; falseIncidents: string[] }> {
  const registry = parseRegistryJson(await readFile(join(dir, 'fleet.json'), 'utf8')).registry;
  const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as Truth;
  const start = Date.parse(truth.window.start);
  const watched = new Map<string, { cause: string; since: number }>();
  for (const [terminal, f] of Object.entries(truth.faults)) {
    const since = Date.parse(f.since);
    if (since >= start + HISTORY_MS) watched.set(terminal, { cause: f.cause, since });
  }
  for (const i of truth.incidents) {
    const since = i.since ? Date.parse(i.since) : NaN;
    if (since >= start + HISTORY_MS) for (const t of i.terminals) watched.set(t, { cause: i.cause, since });
  }
  const engine = createEngine({ registry });
  const lastTs = new Map<string, number>();
  /** When each watched fault could first show; NaN: a silence that struck a quiet terminal (not measured). */
  const onset = new Map<string, number>();
  const txns = new Map<string, number>();
  /** Terminals that installed an update (a bad update's member shows from then on). */
  const installed = new Set<string>();
  const found = new Map<string, Detection>();
  const falseIncidents = new Set<string>();
  const check = (now: number): void => {
    const report = engine.diagnose(now);
    for (const i of report.incidents) if (falseIncident(i, now, truth)) falseIncidents.add(`${i.cause} ${JSON.stringify(i.scope)} at ${new Date(now).toISOString()}`);
    for (const t of report.terminals) {
      const w = watched.get(t.terminal);
      const from = onset.get(t.terminal);
      if (!w || from === undefined || Number.isNaN(from) || found.has(t.terminal) || now < from || t.diagnoses[0]?.cause !== w.cause) continue;
      found.set(t.terminal, { terminal: t.terminal, cause: w.cause, onset: from, intervals: (now - from) / INTERVAL_MS, transactions: txns.get(t.terminal) ?? 0 });
    }
  };
  let clock = -Infinity;
  let next = -Infinity;
  for (const line of (await readFile(join(dir, 'events.ndjson'), 'utf8')).split('\n')) {
    const v = line ? validateLine(line) : undefined;
    if (!v?.ok) continue;
    const e = v.event;
    clock = Math.max(clock, e.tsMs);
    while (next <= clock) {
      if (next > -Infinity) check(next);
      next = next === -Infinity ? Math.ceil(clock / CHECK_MS) * CHECK_MS : next + CHECK_MS;
    }
    for (const [t, w] of watched) {
      if (!SILENCE.has(w.cause) || onset.has(t) || clock < w.since) continue;
      onset.set(t, (lastTs.get(t) ?? -Infinity) >= w.since - TALKING_MS ? w.since : NaN);
    }
    const w = watched.get(e.terminal);
    // a device clock far off (sw.clock_skew) says nothing about when the event came: the replay's clock does
    const shown = Math.abs(e.tsMs - clock) > SKEWED_MS ? clock : e.tsMs;
    // a member of a bad update shows when it installs the update (campaigns reach terminals over hours)
    if (e.type === 'update' && e.status === 'installed') installed.add(e.terminal);
    const waiting = w?.cause === 'sw.incompatible_update' && !installed.has(e.terminal);
    if (w && shown >= w.since && !onset.has(e.terminal) && !waiting) onset.set(e.terminal, shown);
    if (w && e.type === 'txn' && shown >= (onset.get(e.terminal) ?? Infinity)) txns.set(e.terminal, (txns.get(e.terminal) ?? 0) + 1);
    lastTs.set(e.terminal, Math.max(lastTs.get(e.terminal) ?? 0, e.tsMs));
    engine.observe(e);
  }
  check(Date.parse(truth.at)); // the moment the truth describes (the last check may be before it)
  const measured = [...watched].filter(([t]) => !Number.isNaN(onset.get(t) ?? 0));
  const missed = measured.filter(([t]) => !found.has(t)).map(([t, w]) => `${w.cause} (${t})`);
  return { found: [...found.values()], missed, quiet: watched.size - measured.length, falseIncidents: [...falseIncidents] };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function run(): Promise<BenchResult[]> {
  const all: Detection[] = [];
  const missed: string[] = [];
  let quiet = 0;
  const falseIncidents: string[] = [];
  for (const s of SETS) {
    const dir = await mkdtemp(join(tmpdir(), 'posops-detect-'));
    try {
      await writeSimFiles(generateFleet(s), dir);
      const r = await measureDetection(dir);
      all.push(...r.found);
      missed.push(...r.missed);
      quiet += r.quiet;
      falseIncidents.push(...r.falseIncidents.map((f) => `seed ${s.seed}: ${f}`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const within = (d: Detection) => d.intervals <= 2 || (d.transactions > 0 && d.transactions <= 20);
  const causes = [...new Set(all.map((d) => d.cause))].sort();
  const rows: BenchResult[] = causes.map((cause) => {
    const ds = all.filter((d) => d.cause === cause);
    const miss = missed.filter((m) => m.startsWith(`${cause} `)).length;
    return {
      name: `time to detect: ${cause}`, value: median(ds.map((d) => d.intervals)), unit: 'heartbeat intervals (median)',
      note: `${ds.length} faults, ${ds.filter(within).length} within 2 intervals or 20 transactions; median ${median(ds.map((d) => d.transactions))} transactions, worst ${Math.max(...ds.map((d) => d.intervals)).toFixed(1)} intervals${miss ? `; ${miss} not diagnosed by the end` : ''}`,
    };
  });
  rows.push({
    name: 'time to detect: all faults with history', value: all.filter(within).length / Math.max(1, all.length), unit: 'share within target',
    note: `${all.filter(within).length} of ${all.length} diagnosed faults within 2 intervals or 20 transactions; ${missed.length} not diagnosed by the end${missed.length ? `: ${missed.join(', ')}` : ''}; ${quiet} silences that struck switched-off terminals not measured`,
  });
  // first sighting per incident: one alarm that lasts an hour is one false incident, not twelve
  const firsts = new Map<string, string>();
  for (const f of falseIncidents) {
    const key = f.replace(/ at .*$/, '');
    if (!firsts.has(key)) firsts.set(key, f);
  }
  rows.push({
    name: 'false incidents during the replay', value: firsts.size, unit: 'incidents',
    note: `incidents reported at a check (every ${CHECK_MS / 60_000} min) with no true one of that cause and scope under way (10 min early to 1 h after its end allowed); checks with one: ${falseIncidents.length}${firsts.size ? `; first sightings: ${[...firsts.values()].slice(0, 6).join('; ')}` : ''}`,
  });
  return rows;
}
