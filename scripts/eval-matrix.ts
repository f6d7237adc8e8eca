// node --import tsx scripts/eval-matrix.ts [--verbose] [--only name,name] [--no-public]
// Generalisation check: scores the diagnosis on the two public samples and on simulator runs
// with other seeds, sizes, lengths and start times (evening and night `at`, a subtle-fault mix).
// Sim sets are generated once into /tmp/posops-matrix/<name>-<hash of params> and reused.
// Prints one line per set (accuracy, fpr, incidents) and the mean; --verbose adds confusions.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnoseFilesWithStats } from '../src/cli/diagnose.ts';
import { jaccard, score, scopeAgrees, type Truth } from '../src/eval/score.ts';
import { generateFleet, writeSimFiles, type Scenario, type ScenarioFault } from '../src/sim/index.ts';
import { suits, TERMINAL_CAUSES } from '../src/sim/plan.faults.ts';

interface SimSet { name: string; terminals: number; days: number; seed: number; start: string; subtle?: boolean }

const SAMPLES = '/work/shared/samples';
const CACHE = '/tmp/posops-matrix';
/** Local (UTC+8) time of `at` is in the comment. */
const SIM_SETS: SimSet[] = [
  { name: 'sim-s11', terminals: 300, days: 2, seed: 11, start: '2026-11-20T06:00:00Z' }, // 14:00
  { name: 'sim-s23-eve', terminals: 150, days: 1, seed: 23, start: '2026-03-10T12:30:00Z' }, // 20:30
  { name: 'sim-s37-morn', terminals: 500, days: 1.5, seed: 37, start: '2026-03-10T12:30:00Z' }, // 08:30
  { name: 'sim-s41', terminals: 1000, days: 1, seed: 41, start: '2026-07-01T05:00:00Z' }, // 13:00
  { name: 'sim-s53-eve', terminals: 300, days: 2, seed: 53, start: '2026-03-10T13:45:00Z' }, // 21:45
  { name: 'sim-s67-night', terminals: 200, days: 1, seed: 67, start: '2026-09-15T19:00:00Z' }, // 03:00
  { name: 'sim-s79-subtle', terminals: 400, days: 1.5, seed: 79, start: '2026-05-02T16:00:00Z', subtle: true }, // 12:00
];

/** Causes a subtle scenario scripts (the always-plain ones stay in the random mix). */
const PLAIN = new Set(['hw.power', 'net.offline', 'contract.expired', 'sec.tamper', 'hw.printer_paper']);

/** Every per-terminal cause once more, subtle, on a suitable terminal, besides the random mix. */
function subtleScenario(s: SimSet): Scenario {
  const base = generateFleet({ terminals: s.terminals, seed: s.seed, days: s.days, start: s.start });
  const taken = new Set([...base.faults.map((f) => f.terminal), ...base.installs.map((i) => i.terminal)]);
  const size = new Map<string, number>();
  for (const p of base.profiles) size.set(p.merchant, (size.get(p.merchant) ?? 0) + 1);
  const faults: ScenarioFault[] = [];
  const startMs = Date.parse(s.start);
  for (const cause of TERMINAL_CAUSES.filter((c) => !PLAIN.has(c))) {
    const p = base.profiles.find((x) => !taken.has(x.id) && suits(cause, x, size));
    if (!p) continue;
    taken.add(p.id);
    const from = cause.startsWith('op.') || cause === 'acct.merchant_setup' || cause === 'sw.outdated' ? 0 : s.days * 0.45;
    faults.push({ at: new Date(startMs + from * 86_400_000).toISOString(), cause, terminal: p.id, magnitude: 'subtle' });
  }
  return { random: true, faults };
}

/** The simulator's source: a changed simulator makes new sets. */
function simSource(): string {
  const dir = new URL('../src/sim/', import.meta.url);
  return readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort().map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
}

function cacheDir(s: SimSet): string {
  const key = createHash('sha1').update(JSON.stringify(s)).update(simSource()).digest('hex').slice(0, 8);
  return join(CACHE, `${s.name}-${key}`);
}

async function ensure(s: SimSet): Promise<string> {
  const dir = cacheDir(s);
  if (existsSync(join(dir, 'truth.json'))) return dir;
  const scenario = s.subtle ? subtleScenario(s) : undefined;
  const fleet = generateFleet({ terminals: s.terminals, seed: s.seed, days: s.days, start: s.start, scenario });
  await writeSimFiles(fleet, dir);
  return dir;
}

interface Row { name: string; accuracy: number; fpr: number; matched: number; total: number; faulty: number; confusions: [string, string, string][]; incidentLines: string[] }

async function evaluate(name: string, dir: string): Promise<Row> {
  const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as Truth;
  const run = await diagnoseFilesWithStats({ fleet: join(dir, 'fleet.json'), events: [join(dir, 'events.ndjson')], at: truth.at ? Date.parse(truth.at) : undefined });
  const s = score(truth, JSON.parse(JSON.stringify(run.report)));
  const incidentLines = describeIncidents(truth, run.report.incidents as unknown as OutIncident[]);
  return { name, accuracy: s.accuracy, fpr: s.fpr, matched: s.incidentsMatched, total: s.incidentsTotal, faulty: s.faulty, confusions: s.confusions, incidentLines };
}

interface OutIncident { cause: string; scope: Record<string, unknown>; terminals: string[] }

/** One line per true incident (best output candidate: Jaccard, missing/extra members) and per unmatched output incident. */
function describeIncidents(truth: Truth, out: OutIncident[]): string[] {
  const lines: string[] = [];
  const used = new Set<OutIncident>();
  for (const t of truth.incidents) {
    const cands = out.filter((o) => o.cause === t.cause && scopeAgrees(t.cause, t.scope, o.scope));
    const best = cands.sort((a, b) => jaccard(b.terminals, t.terminals) - jaccard(a.terminals, t.terminals))[0];
    if (best) used.add(best);
    const j = best ? jaccard(best.terminals, t.terminals) : 0;
    const miss = best ? t.terminals.filter((x) => !best.terminals.includes(x)) : t.terminals;
    const extra = best ? best.terminals.filter((x) => !t.terminals.includes(x)) : [];
    const mark = j >= 0.7 ? 'ok  ' : 'MISS';
    lines.push(`  ${mark} ${t.cause} ${JSON.stringify(t.scope)} n=${t.terminals.length} j=${j.toFixed(2)} missing=[${miss.join(',')}] extra=[${extra.join(',')}]`);
  }
  for (const o of out) if (!used.has(o)) lines.push(`  EXTRA ${o.cause} ${JSON.stringify(o.scope)} n=${o.terminals.length}`);
  return lines;
}

const args = process.argv.slice(2);
const verbose = args.includes('--verbose') || args.includes('-v');
const onlyArg = args[args.indexOf('--only') + 1];
const only = args.includes('--only') && onlyArg ? new Set(onlyArg.split(',')) : undefined;
const wanted = (name: string): boolean => !only || only.has(name);

const sets: [string, () => Promise<string>][] = [];
if (!args.includes('--no-public')) for (const n of ['small', 'medium']) sets.push([n, async () => join(SAMPLES, n)]);
for (const s of SIM_SETS) sets.push([s.name, () => ensure(s)]);

const f2 = (x: number): string => x.toFixed(2);
const rows: Row[] = [];
for (const [name, dirOf] of sets) {
  if (!wanted(name)) continue;
  const r = await evaluate(name, await dirOf());
  rows.push(r);
  console.log(`${name.padEnd(16)} accuracy=${f2(r.accuracy)} fpr=${f2(r.fpr)} incidents=${r.matched}/${r.total}  (faulty ${r.faulty})`);
  if (verbose) for (const [t, want, got] of r.confusions) console.log(`    ${t}  ${want.padEnd(24)} -> ${got}`);
  if (verbose) for (const line of r.incidentLines) console.log(line);
}
const mean = (f: (r: Row) => number): number => rows.reduce((a, r) => a + f(r), 0) / Math.max(1, rows.length);
console.log(`${'mean'.padEnd(16)} accuracy=${f2(mean((r) => r.accuracy))} fpr=${f2(mean((r) => r.fpr))} incidents=${f2(mean((r) => r.matched / Math.max(1, r.total)))}`);
