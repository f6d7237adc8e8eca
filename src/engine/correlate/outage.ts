// net.carrier_outage: cellular terminals of one carrier in one region silent or failing to connect
// together, while the rest of the region and the same carrier elsewhere are fine.

import type { Incident } from '../../domain/index.ts';
import { HOUR, MINUTE, iso, pct } from './buckets.ts';
import { erringSince, silentSince, type LivenessTracker } from './liveness.ts';

const MIN_TERMINALS = 3;
const MIN_SHARE = 0.4;
const MIN_LIFT = 3;

interface Troubled {
  terminal: string;
  since: number;
  silent: boolean;
}

/** Cellular terminals with network trouble at `now`, from the silence index and the error set. */
function troubledTerminals(live: LivenessTracker, now: number): Troubled[] {
  const out = new Map<string, Troubled>();
  for (const terminal of live.lastSeenBetween(now - 12 * HOUR, now - 15 * MINUTE)) {
    const l = live.terminals.get(terminal);
    const since = l && silentSince(l, now);
    if (since !== undefined) out.set(terminal, { terminal, since, silent: true });
  }
  for (const terminal of live.erring) {
    const l = live.terminals.get(terminal);
    const since = !l || out.has(terminal) ? undefined : erringSince(l, now);
    if (since !== undefined) out.set(terminal, { terminal, since, silent: false });
  }
  return [...out.values()];
}

function tally(live: LivenessTracker, troubled: Troubled[]): Map<string, Troubled[]> {
  const byKey = new Map<string, Troubled[]>();
  for (const t of troubled) {
    const l = live.terminals.get(t.terminal);
    if (!l) continue;
    for (const key of live.groupKeys(t.terminal, l)) {
      const list = byKey.get(key) ?? [];
      list.push(t);
      byKey.set(key, list);
    }
  }
  return byKey;
}

interface Rates {
  k: number;
  n: number;
  share: number;
  outside: number;
}

function rates(live: LivenessTracker, byKey: Map<string, Troubled[]>, key: string, against: string[]): Rates {
  const k = byKey.get(key)?.length ?? 0;
  const n = live.counts.get(key) ?? 0;
  let outside = 0;
  for (const other of against) {
    const ko = (byKey.get(other)?.length ?? 0) - k;
    const no = (live.counts.get(other) ?? 0) - n;
    outside = Math.max(outside, (ko + 0.5) / (no + 1));
  }
  return { k, n, share: n ? k / n : 0, outside };
}

function passes(r: Rates): boolean {
  return r.k >= MIN_TERMINALS && r.share >= MIN_SHARE && r.share >= MIN_LIFT * Math.max(r.outside, 0.02);
}

export function carrierOutages(live: LivenessTracker, now: number): Incident[] {
  const byKey = tally(live, troubledTerminals(live, now));
  const incidents: Incident[] = [];
  const nationwide = new Set<string>();
  for (const key of byKey.keys()) {
    if (!key.startsWith('c:')) continue;
    const carrier = key.slice(2);
    const r = rates(live, byKey, key, ['cell']);
    if (!passes(r)) continue;
    nationwide.add(carrier);
    incidents.push(outageIncident({ carrier }, byKey.get(key) ?? [], r));
  }
  for (const key of byKey.keys()) {
    if (!key.startsWith('cr:')) continue;
    const [carrier = '', region = ''] = key.slice(3).split('|');
    if (nationwide.has(carrier)) continue;
    const r = rates(live, byKey, key, [`r:${region}`, `c:${carrier}`]);
    if (passes(r)) incidents.push(outageIncident({ carrier, region }, byKey.get(key) ?? [], r));
  }
  return incidents;
}

function outageIncident(scope: { carrier: string; region?: string }, members: Troubled[], r: Rates): Incident {
  const since = Math.min(...members.map((m) => m.since));
  const silent = members.filter((m) => m.silent).length;
  const where = scope.region ? `${scope.carrier} in ${scope.region}` : `${scope.carrier} (every region)`;
  const whereZh = scope.region ? `${scope.region}的${scope.carrier}` : `${scope.carrier}(全部地区)`;
  return {
    id: `net.carrier_outage:${scope.carrier}${scope.region ? `:${scope.region}` : ''}`,
    cause: 'net.carrier_outage',
    scope: { ...scope },
    terminals: members.map((m) => m.terminal).sort(),
    since: iso(since),
    evidence: [
      `${r.k} of ${r.n} cellular terminals on ${where} (${pct(r.share)}) lost the network since ${iso(since)}; ${silent} went silent, ${r.k - silent} fail to connect`,
      `elsewhere in the comparison groups only ${pct(r.outside)} are affected`,
    ],
    evidence_zh: [
      `${whereZh}的 ${r.n} 台蜂窝网络终端中有 ${r.k} 台(${pct(r.share)})自 ${iso(since)} 起断网;${silent} 台无心跳,${r.k - silent} 台连接失败`,
      `对照组(同地区其他终端、同运营商其他地区)仅 ${pct(r.outside)} 受影响`,
    ],
  };
}
