// provider.issuer_down: rc 91 concentrated on one card BIN range across terminals, while other
// BINs work. Per 6-digit BIN: 5-minute buckets of transactions and 91s, the recent 91s and the
// latest answers that were not 91 (the issuer was up then). Members: every terminal that got a 91
// on the failing range since the outage began, unless another incident explains its trouble.

import type { Incident, PosEvent } from '../../domain/index.ts';
import { Buckets, HOUR, MINUTE, iso, pct } from './buckets.ts';

const WINDOW = HOUR;
const KEEP = 6 * HOUR;
/** Latest good answers kept per BIN: enough to see where the outage began, bounded at any load. */
const KEEP_OK = 32;

interface BinCount {
  n: number;
  r91: number;
}

interface BinState {
  buckets: Buckets<BinCount>;
  recent91: { ts: number; terminal: string }[];
  /** Times of the latest answers that were not 91/96 (ascending, at most KEEP_OK). */
  oks: number[];
}

interface Hit {
  ts: number;
  terminal: string;
  bin: string;
}

/** Whether a 91 the terminal got at `ts` has another explanation than the issuer. */
export type Excluded = (terminal: string, ts: number) => boolean;

interface Answer {
  ts: number;
  hit?: Hit;
}

export interface IssuerSnapshot {
  bins: [bin: string, buckets: [number, number, number][], r91: [number, string][], oks: number[]][];
}

export class IssuerTracker {
  private readonly bins = new Map<string, BinState>();
  private readonly byPrefix = new Map<string, Set<string>>();

  observe(event: PosEvent): void {
    if (event.type !== 'txn' || !event.bin || event.timeout === true || !event.rc) return;
    const state = this.state(event.bin.slice(0, 6));
    const count = state.buckets.at(event.tsMs);
    count.n++;
    if (event.rc === '91') {
      count.r91++;
      state.recent91.push({ ts: event.tsMs, terminal: event.terminal });
      if (state.recent91.length > 64 && (state.recent91[0]?.ts ?? 0) < event.tsMs - KEEP) {
        state.recent91 = state.recent91.filter((r) => r.ts >= event.tsMs - KEEP);
      }
    } else if (event.rc !== '96') keepOk(state.oks, event.tsMs);
  }

  private state(bin: string): BinState {
    let state = this.bins.get(bin);
    if (!state) {
      state = { buckets: new Buckets(5 * MINUTE, KEEP, () => ({ n: 0, r91: 0 })), recent91: [], oks: [] };
      this.bins.set(bin, state);
      const prefix = bin.slice(0, 5);
      const set = this.byPrefix.get(prefix) ?? new Set();
      set.add(bin);
      this.byPrefix.set(prefix, set);
    }
    return state;
  }

  private window(bins: Iterable<string>, from: number, to: number): BinCount {
    const w = { n: 0, r91: 0 };
    for (const bin of bins) {
      for (const [, c] of this.bins.get(bin)?.buckets.between(from, to) ?? []) {
        w.n += c.n;
        w.r91 += c.r91;
      }
    }
    return w;
  }

  /** The 91s of the current outage of a prefix's BINs (those with 91s), newest first in time: the
   * longest run back from now in which good answers stay a small minority. A good answer or two
   * (a late upload, a stand-in authorisation) does not end the run; a working issuer does. */
  private streak(bins: string[], now: number, excluded: Excluded): Hit[] {
    const answers: Answer[] = [];
    let floor = -Infinity;
    for (const bin of bins) {
      const state = this.bins.get(bin)!;
      for (const r of state.recent91) {
        if (r.ts > now - KEEP && r.ts <= now && !excluded(r.terminal, r.ts)) answers.push({ ts: r.ts, hit: { ...r, bin } });
      }
      for (const ts of state.oks) if (ts <= now) answers.push({ ts });
      // Older good answers were forgotten: the run cannot be followed further back than this.
      if (state.oks.length >= KEEP_OK) floor = Math.max(floor, state.oks[0]!);
    }
    answers.sort((a, b) => b.ts - a.ts || Number(!a.hit) - Number(!b.hit));
    let ok = 0;
    let start = 0;
    const hits: Hit[] = [];
    for (let i = 0; i < answers.length && answers[i]!.ts >= floor; i++) {
      const a = answers[i]!;
      const allowed = Math.max(1, hits.length / 3);
      if (a.hit) {
        hits.push(a.hit);
        if (ok <= Math.max(1, hits.length / 3)) start = hits.length;
      } else if (++ok > allowed + 3) break; // well into a time the issuer worked
    }
    const run = hits.slice(0, start);
    if (run.length === 0 || run[0]!.ts < now - WINDOW) return [];
    return run;
  }

  /** `excluded`: 91s another cause explains (the terminal's host in maintenance then, or slow, …). */
  incidents(now: number, excluded: Excluded = () => false): Incident[] {
    const incidents: Incident[] = [];
    for (const [prefix, all] of this.byPrefix) {
      // BINs failing on their own account (a working BIN with a stray 91 does not join), then
      // their answers together: one issuer's BINs fail together.
      const failing = [...all].filter((bin) => this.bins.get(bin)!.recent91.some((r) => r.ts > now - WINDOW && r.ts <= now) && this.streak([bin], now, excluded).length > 0);
      if (failing.length === 0) continue;
      const incident = this.groupIncident(prefix, this.streak(failing, now, excluded), now);
      if (incident) incidents.push(incident);
    }
    return incidents;
  }

  private groupIncident(prefix: string, hits: Hit[], now: number): Incident | undefined {
    const bins = [...new Set(hits.map((h) => h.bin))].sort();
    const perBin = Math.max(0, ...bins.map((b) => hits.filter((h) => h.bin === b).length));
    const terminals = [...new Set(hits.map((h) => h.terminal))].sort();
    if (hits.length < 3 || perBin < 2 || terminals.length < 2) return undefined;
    const since = Math.min(...hits.map((h) => h.ts));
    const inside = this.window(bins, since, now + 1);
    const all = this.window(this.bins.keys(), since, now + 1);
    const outside = (all.r91 - inside.r91) / Math.max(all.n - inside.n, 1);
    if (inside.r91 / Math.max(inside.n, 1) < 0.5 || inside.r91 / inside.n < 5 * outside) return undefined;
    return issuerIncident(this.scope(prefix, bins, since, now), terminals, since, { n: inside.n, r91: inside.r91, outside });
  }

  /** The 5-digit prefix unless another BIN under it clearly works (mostly good answers since the
   * outage began); then the failing BINs themselves. */
  private scope(prefix: string, failing: string[], since: number, now: number): { bin: string | string[]; bins: string[] } {
    const siblings = [...(this.byPrefix.get(prefix) ?? [])].filter((b) => !failing.includes(b));
    const working = siblings.filter((b) => {
      const state = this.bins.get(b)!;
      const oks = state.oks.filter((ts) => ts >= since && ts <= now).length;
      const r91 = state.recent91.filter((r) => r.ts >= since && r.ts <= now).length;
      return oks >= 3 && oks > 3 * r91;
    });
    if (working.length > 0) return { bin: failing.length === 1 ? failing[0]! : failing, bins: failing };
    return { bin: prefix, bins: [...failing, ...siblings].sort() };
  }

  snapshot(): IssuerSnapshot {
    const bins: IssuerSnapshot['bins'] = [];
    for (const [bin, s] of this.bins) {
      const buckets = s.buckets.entries().map(([k, c]): [number, number, number] => [k, c.n, c.r91]);
      bins.push([bin, buckets, s.recent91.map((r): [number, string] => [r.ts, r.terminal]), [...s.oks]]);
    }
    return { bins };
  }

  restore(snap: IssuerSnapshot | undefined): void {
    for (const [bin, buckets, r91, oks] of snap?.bins ?? []) {
      const s = this.state(bin);
      s.buckets.restore(buckets.map(([k, n, r]) => [k, { n, r91: r }]));
      s.recent91 = r91.map(([ts, terminal]) => ({ ts, terminal }));
      s.oks = [...oks];
    }
  }
}

/** Keeps the KEEP_OK latest times, ascending (answers arrive roughly in order: insert from the end). */
function keepOk(oks: number[], ts: number): void {
  if (oks.length >= KEEP_OK && ts <= oks[0]!) return;
  let i = oks.length;
  while (i > 0 && oks[i - 1]! > ts) i--;
  oks.splice(i, 0, ts);
  if (oks.length > KEEP_OK) oks.shift();
}

function issuerIncident(scope: { bin: string | string[]; bins: string[] }, terminals: string[], since: number, f: { n: number; r91: number; outside: number }): Incident {
  const label = Array.isArray(scope.bin) ? scope.bin.join(',') : scope.bin;
  return {
    id: `provider.issuer_down:${label}`,
    cause: 'provider.issuer_down',
    scope,
    terminals,
    since: iso(since),
    evidence: [
      `${f.r91} of ${f.n} transactions with cards of BIN ${label} (${scope.bins.join(', ')}) got 91 since ${iso(since)}; other BINs ${pct(f.outside)}`,
      `${terminals.length} terminals saw it since ${iso(since)}, and their other cards still work`,
    ],
    evidence_zh: [
      `自 ${iso(since)} 起卡 BIN ${label}(${scope.bins.join('、')})的 ${f.n} 笔交易中 ${f.r91} 笔返回 91;其他 BIN 为 ${pct(f.outside)}`,
      `自 ${iso(since)} 起 ${terminals.length} 台终端遇到,这些终端刷其他卡仍正常`,
    ],
  };
}
