// Measures the correlator on a sample folder (fleet.json, events.ndjson, truth.json):
//   node --import tsx scripts/correlate-check.ts ../shared/samples/small [--restore-at 0.9]
// Streams the events through validateLine → observe, asks incidents(truth.at) and compares
// cause, scope and members (Jaccard) with truth.incidents. A development tool: it reads files,
// the correlator itself never does (and never sees the truth).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRegistryJson, validateLine, type Incident } from '../src/domain/index.ts';
import { createCorrelator } from '../src/engine/correlate/index.ts';

interface TruthIncident {
  cause: string;
  scope: Record<string, string | string[]>;
  terminals: string[];
}

function jaccard(a: string[], b: string[]): number {
  const sa = new Set(a);
  const inter = b.filter((x) => sa.has(x)).length;
  return inter / (sa.size + b.length - inter || 1);
}

function scopeAgrees(truth: TruthIncident, out: Incident): boolean {
  for (const [k, v] of Object.entries(truth.scope)) {
    const got = out.scope[k];
    if (got === undefined) return false;
    const want = String(v).toLowerCase();
    if (k === 'bin') {
      const bins = Array.isArray(got) ? got : [got];
      if (!bins.every((b) => b.startsWith(want) || want.startsWith(b)) || bins.some((b) => b.length < 5)) return false;
    } else if (String(got).toLowerCase() !== want) return false;
  }
  return true;
}

/** `restoreAt` (0..1): at that share of the lines, snapshot → JSON → a new correlator from it. */
async function main(dir: string, restoreAt?: number): Promise<void> {
  const parsed = parseRegistryJson(readFileSync(join(dir, 'fleet.json'), 'utf8'));
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as { at: string; incidents: TruthIncident[] };
  let correlator = createCorrelator(parsed.registry);
  const started = performance.now();
  const text = readFileSync(join(dir, 'events.ndjson'), 'utf8');
  const total = restoreAt === undefined ? Infinity : text.split('\n').length;
  let events = 0;
  let line = 0;
  for (const raw of text.split('\n')) {
    if (++line === Math.floor(total * (restoreAt ?? 1))) {
      const json = JSON.stringify(correlator.snapshot());
      correlator = createCorrelator(parsed.registry, JSON.parse(json));
      console.log(`restored at line ${line}: snapshot ${Math.round(json.length / 1024)} KB`);
    }
    const v = raw ? validateLine(raw) : undefined;
    if (v?.ok) {
      correlator.observe(v.event);
      events++;
    }
  }
  const observed = performance.now();
  const found = correlator.incidents(Date.parse(truth.at));
  console.log(`${events} events observed in ${Math.round(observed - started)} ms; incidents() in ${Math.round(performance.now() - observed)} ms`);
  report(truth.incidents, found);
}

function report(truth: TruthIncident[], found: Incident[]): void {
  const used = new Set<Incident>();
  let matched = 0;
  for (const t of truth) {
    const candidates = found.filter((f) => !used.has(f) && f.cause === t.cause);
    const best = candidates.map((f) => ({ f, j: jaccard(t.terminals, f.terminals), s: scopeAgrees(t, f) })).sort((a, b) => Number(b.s) - Number(a.s) || b.j - a.j)[0];
    const ok = !!best && best.s && best.j >= 0.7;
    if (ok) matched++;
    if (best) used.add(best.f);
    console.log(`${ok ? 'MATCH' : 'MISS '} ${t.cause} ${JSON.stringify(t.scope)} truth=${t.terminals.length}` + (best ? ` found=${best.f.terminals.length} scope=${JSON.stringify(best.f.scope)} scopeOk=${best.s} jaccard=${best.j.toFixed(2)}` : ' not found'));
    if (best && best.j < 1) {
      const st = new Set(t.terminals);
      const sf = new Set(best.f.terminals);
      console.log(`      missing ${t.terminals.filter((x) => !sf.has(x)).join(' ')} | extra ${best.f.terminals.filter((x) => !st.has(x)).join(' ')}`);
    }
  }
  for (const f of found.filter((x) => !used.has(x))) console.log(`EXTRA ${f.cause} ${JSON.stringify(f.scope)} n=${f.terminals.length}: ${f.evidence?.[0] ?? ''}`);
  console.log(`incidents=${matched}/${truth.length} extra=${found.length - used.size}`);
}

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--') && !/^[\d.]+$/.test(a));
const restoreIdx = args.indexOf('--restore-at');
const restoreAt = restoreIdx >= 0 ? Number(args[restoreIdx + 1]) : undefined;
if (!dir || (restoreAt !== undefined && !(restoreAt > 0 && restoreAt < 1))) {
  console.error('usage: node --import tsx scripts/correlate-check.ts <sample folder> [--restore-at 0.9]');
  process.exitCode = 2;
} else await main(dir, restoreAt);
