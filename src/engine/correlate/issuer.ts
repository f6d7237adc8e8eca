// provider.issuer_down: rc 91 concentrated on one card BIN range across terminals, while other
// BINs work. Per 6-digit BIN: 5-minute buckets of transactions and 91s, and the recent 91s.

import type { Incident, PosEvent } from '../../domain/index.ts';
import { Buckets, HOUR, MINUTE, iso, pct } from './buckets.ts';

const WINDOW = HOUR;
const KEEP = 6 * HOUR;

interface BinCount {
  n: number;
  r91: number;
}

interface BinState {
  buckets: Buckets<BinCount>;
  recent91: { ts: number; terminal: string }[];
  /** Latest answer from the issuer that was not 91/96 (it is up then). */
  lastOk: number;
}

interface Hit {
  ts: number;
  terminal: string;
  bin: string;
}

export class IssuerTracker {
  private readonly bins = new Map<string, BinState>();
  private readonly byPrefix = new Map<string, Set<string>>();

  observe(event: PosEvent): void {
    if (event.type !== 'txn' || !event.bin || event.timeout === true || !event.rc) return;
    const bin = event.bin.slice(0, 6);
    const state = this.state(bin);
    const count = state.buckets.at(event.tsMs);
    count.n++;
    if (event.rc === '91') {
      count.r91++;
      state.recent91.push({ ts: event.tsMs, terminal: event.terminal });
      if (state.recent91.length > 64 && (state.recent91[0]?.ts ?? 0) < event.tsMs - KEEP) {
        state.recent91 = state.recent91.filter((r) => r.ts >= event.tsMs - KEEP);
      }
    } else if (event.rc !== '96' && event.tsMs > state.lastOk) state.lastOk = event.tsMs;
  }

  private state(bin: string): BinState {
    let state = this.bins.get(bin);
    if (!state) {
      state = { buckets: new Buckets(5 * MINUTE, KEEP, () => ({ n: 0, r91: 0 })), recent91: [], lastOk: -Infinity };
      this.bins.set(bin, state);
      const prefix = bin.slice(0, 5);
      const set = this.byPrefix.get(prefix) ?? new Set();
      set.add(bin);
      this.byPrefix.set(prefix, set);
    }
    return state;
  }

  private window(bins: string[], from: number, to: number): BinCount {
    const w = { n: 0, r91: 0 };
    for (const bin of bins) {
      for (const [, c] of this.bins.get(bin)?.buckets.between(from, to) ?? []) {
        w.n += c.n;
        w.r91 += c.r91;
      }
    }
    return w;
  }

  /** 91s since the BIN's issuer last answered, when the latest came within the hour. */
  private streak(bin: string, state: BinState, now: number, excluded: (terminal: string) => boolean): Hit[] {
    const hits = state.recent91.filter((r) => r.ts > state.lastOk && r.ts > now - KEEP && r.ts <= now && !excluded(r.terminal));
    if (hits.length === 0 || Math.max(...hits.map((h) => h.ts)) < now - WINDOW) return [];
    return hits.map((h) => ({ ...h, bin }));
  }

  /** `excluded`: terminals whose 91s another incident explains (e.g. their host is in maintenance). */
  incidents(now: number, excluded: (terminal: string) => boolean = () => false): Incident[] {
    const byPrefix = new Map<string, Hit[]>();
    for (const [bin, state] of this.bins) {
      const hits = this.streak(bin, state, now, excluded);
      if (hits.length === 0) continue;
      const prefix = bin.slice(0, 5);
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), ...hits]);
    }
    const incidents: Incident[] = [];
    for (const [prefix, hits] of byPrefix) {
      const incident = this.groupIncident(prefix, hits, now);
      if (incident) incidents.push(incident);
    }
    return incidents;
  }

  private groupIncident(prefix: string, hits: Hit[], now: number): Incident | undefined {
    const bins = [...new Set(hits.map((h) => h.bin))].sort();
    const perBin = Math.max(...bins.map((b) => hits.filter((h) => h.bin === b).length));
    const terminals = [...new Set(hits.map((h) => h.terminal))].sort();
    if (hits.length < 3 || perBin < 2 || terminals.length < 2) return undefined;
    const since = Math.min(...hits.map((h) => h.ts));
    const inside = this.window(bins, since, now + 1);
    const all = this.window([...this.bins.keys()], since, now + 1);
    const outside = (all.r91 - inside.r91) / Math.max(all.n - inside.n, 1);
    if (inside.r91 / Math.max(inside.n, 1) < 0.5 || inside.r91 / inside.n < 5 * outside) return undefined;
    return issuerIncident(this.scope(prefix, bins, since, now), terminals, since, { n: inside.n, r91: inside.r91, outside });
  }

  /** The 5-digit prefix when no other BIN under it works; otherwise the failing BINs themselves. */
  private scope(prefix: string, failing: string[], since: number, now: number): { bin: string | string[]; bins: string[] } {
    const siblings = [...(this.byPrefix.get(prefix) ?? [])].filter((b) => !failing.includes(b));
    const working = siblings.filter((b) => (this.bins.get(b)?.lastOk ?? -Infinity) >= since && this.bins.get(b)!.lastOk <= now);
    if (working.length > 0) return { bin: failing.length === 1 ? failing[0]! : failing, bins: failing };
    return { bin: prefix, bins: [...failing, ...siblings].sort() };
  }
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
      `${f.r91} of ${f.n} transactions with cards of BIN ${label} (${scope.bins.join(', ')}) got 91 in the last hour; other BINs ${pct(f.outside)}`,
      `${terminals.length} terminals saw it since ${iso(since)}, and their other cards still work`,
    ],
    evidence_zh: [
      `近一小时卡 BIN ${label}(${scope.bins.join('、')})的 ${f.n} 笔交易中 ${f.r91} 笔返回 91;其他 BIN 为 ${pct(f.outside)}`,
      `自 ${iso(since)} 起 ${terminals.length} 台终端遇到,这些终端刷其他卡仍正常`,
    ],
  };
}
