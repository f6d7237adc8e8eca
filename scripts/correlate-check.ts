// Measures the correlator on a sample folder (fleet.json, events.ndjson, truth.json):
//   node --import tsx scripts/correlate-check.ts ../shared/samples/small [--restore-at 0.9] [--replay 5]
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

interface Truth {
  at: string;
  incidents: (TruthIncident & { since: string })[];
  past?: (string | { cause: string; scope: Record<string, string>; since: string; until: string })[];
}

interface Options {
  /** 0..1: at that share of the lines, snapshot → JSON → a new correlator from it. */
  restoreAt?: number;
  /** Minutes: ask incidents() whenever the arrival clock passes a multiple of it, and list those the truth does not know then. */
  replayStep?: number;
}

async function main(dir: string, o: Options): Promise<void> {
  const parsed = parseRegistryJson(readFileSync(join(dir, 'fleet.json'), 'utf8'));
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
  let correlator = createCorrelator(parsed.registry);
  const started = performance.now();
  const lines = readFileSync(join(dir, 'events.ndjson'), 'utf8').split('\n');
  const cut = o.restoreAt === undefined ? -1 : Math.floor(lines.length * o.restoreAt);
  const replay = o.replayStep ? new Replay(truth, parsed.registry.maintenance, o.replayStep * 60_000) : undefined;
  let events = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i === cut) {
      const json = JSON.stringify(correlator.snapshot());
      correlator = createCorrelator(parsed.registry, JSON.parse(json));
      console.log(`restored at line ${i}: snapshot ${Math.round(json.length / 1024)} KB`);
    }
    const v = lines[i] ? validateLine(lines[i]!) : undefined;
    if (!v?.ok) continue;
    replay?.advance(v.event.tsMs, correlator);
    correlator.observe(v.event);
    events++;
  }
  const observed = performance.now();
  const found = correlator.incidents(Date.parse(truth.at));
  console.log(`${events} events observed in ${Math.round(observed - started)} ms; incidents() in ${Math.round(performance.now() - observed)} ms`);
  report(truth.incidents, found);
  replay?.print();
}

/** Incidents found along the way that the truth does not have at that moment (false alarms). */
class Replay {
  private clock = -Infinity;
  private next = -Infinity;
  private checks = 0;
  private readonly unknown = new Map<string, { first: number; last: number; times: number; max: number }>();

  constructor(private readonly truth: Truth, private readonly windows: { start: string; end: string; host?: string }[], private readonly stepMs: number) {}

  advance(ts: number, correlator: { incidents(now: number): Incident[] }): void {
    if (ts <= this.clock) return;
    this.clock = ts;
    if (this.next === -Infinity) this.next = Math.ceil(ts / this.stepMs) * this.stepMs + 3 * 3_600_000; // after 3 h of history
    for (; this.next <= ts; this.next += this.stepMs) {
      this.checks++;
      for (const inc of correlator.incidents(this.next)) {
        if (this.known(inc, this.next)) continue;
        const key = `${inc.cause} ${JSON.stringify({ ...inc.scope, bins: undefined })}`;
        const u = this.unknown.get(key) ?? { first: this.next, last: this.next, times: 0, max: 0 };
        u.last = this.next;
        u.times++;
        u.max = Math.max(u.max, inc.terminals.length);
        this.unknown.set(key, u);
      }
    }
  }

  private known(inc: Incident, now: number): boolean {
    if (this.truth.incidents.some((t) => t.cause === inc.cause && Date.parse(t.since) <= now && scopeAgrees(t, inc))) return true;
    if (inc.cause === 'provider.maintenance' && this.windows.some((w) => Date.parse(w.start) <= now && now <= Date.parse(w.end) + 1_800_000 && (!w.host || w.host === inc.scope['host']))) return true;
    return (this.truth.past ?? []).some((p) => {
      if (typeof p === 'string') {
        // "past carrier outage CUCC/Guangzhou 2026-06-05T03:33:00Z": allowed for 4 h from then
        const m = /carrier outage (\S+)\/(\S+) (\S+)/.exec(p);
        return !!m && inc.cause === 'net.carrier_outage' && inc.scope['carrier'] === m[1] && inc.scope['region'] === m[2] && Date.parse(m[3]!) <= now && now <= Date.parse(m[3]!) + 4 * 3_600_000;
      }
      return p.cause === inc.cause && Date.parse(p.since) <= now && now <= Date.parse(p.until) + 1_800_000 && scopeAgrees({ cause: p.cause, scope: p.scope, terminals: [] }, inc);
    });
  }

  print(): void {
    console.log(`replay: ${this.checks} checks every ${this.stepMs / 60_000} min; incidents the truth does not have then: ${this.unknown.size}`);
    for (const [key, u] of this.unknown) console.log(`  UNKNOWN ${key} ${new Date(u.first).toISOString()} .. ${new Date(u.last).toISOString()} (${u.times} checks, up to ${u.max} terminals)`);
  }
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
const value = (flag: string): number | undefined => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : undefined);
const dir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const options: Options = { restoreAt: value('--restore-at'), replayStep: value('--replay') };
if (!dir || (options.restoreAt !== undefined && !(options.restoreAt > 0 && options.restoreAt < 1)) || (options.replayStep !== undefined && !(options.replayStep > 0))) {
  console.error('usage: node --import tsx scripts/correlate-check.ts <sample folder> [--restore-at 0.9] [--replay <minutes>]');
  process.exitCode = 2;
} else await main(dir, options);
