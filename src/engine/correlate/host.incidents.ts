// Host-wide incidents: net.host_slow and provider.maintenance (announced windows and unannounced
// bursts of 91/96/timeouts).

import type { Incident } from '../../domain/index.ts';
import { DAY, HOUR, MINUTE, iso, median, pct } from './buckets.ts';
import type { FleetIndex } from './fleet.ts';
import { BUCKET_MS, hostBaseline, hostWindow, slowdown, type Baseline, type HostState, type HostTracker } from './host.ts';
import type { LivenessTracker } from './liveness.ts';

const RECENT = 30 * MINUTE;
/** The short window of a sharp slowdown: at least SHARP times the baseline over SHORT_SAMPLES round trips and latencies. */
const SHORT = 10 * MINUTE;
const SHARP = 4;
const SHORT_SAMPLES = 20;
const MIN_TERMINALS = 3;

/** Hosts under an announced maintenance window at `now` (a window without host covers them all). */
export function announcedHosts(fleet: FleetIndex, now: number, grace = 0): Map<string, { start: number; end: number; note?: string }> {
  const out = new Map<string, { start: number; end: number; note?: string }>();
  for (const w of fleet.maintenance) {
    const start = Date.parse(w.start);
    const end = Date.parse(w.end);
    if (!(start <= now && now < end + grace)) continue;
    for (const host of w.host ? [w.host] : fleet.hosts()) out.set(host, { start, end, note: w.note });
  }
  return out;
}

export function announcedMaintenance(fleet: FleetIndex, live: LivenessTracker, hosts: HostTracker, now: number): Incident[] {
  const incidents: Incident[] = [];
  for (const [host, w] of announcedHosts(fleet, now)) {
    const members = fleet.terminalsOfHost(host).filter((t) => (live.terminals.get(t)?.last ?? -Infinity) >= w.start);
    if (members.length === 0) continue;
    const state = hosts.hosts.get(host);
    const during = state ? hostWindow(state, w.start, now + 1) : { txn: 0, fail: 0 };
    const note = w.note ? ` (${w.note})` : '';
    incidents.push({
      id: `provider.maintenance:${host}`,
      cause: 'provider.maintenance',
      scope: { host },
      terminals: [...members].sort(),
      since: iso(w.start),
      evidence: [
        `announced maintenance of host ${host} from ${iso(w.start)} to ${iso(w.end)}${note}`,
        `${members.length} terminals of ${host} active during the window; ${during.fail} of ${during.txn} transactions failed (91/96/timeout)`,
      ],
      evidence_zh: [
        `主机 ${host} 已公告维护:${iso(w.start)} 至 ${iso(w.end)}${note}`,
        `维护期间 ${host} 有 ${members.length} 台终端在用;${during.txn} 笔交易中 ${during.fail} 笔失败(91/96/超时)`,
      ],
    });
  }
  return incidents;
}

/** A burst of 91/96/timeouts across many terminals of one host, with no announcement. */
export function unannouncedMaintenance(hosts: HostTracker, now: number, announced: Set<string>): Incident[] {
  const incidents: Incident[] = [];
  for (const [host, state] of hosts.hosts) {
    if (announced.has(host)) continue;
    const w = hostWindow(state, now - RECENT, now + 1);
    const base = hostBaseline(state, now - HOUR);
    if (w.fail < 5 || w.fail / Math.max(w.txn, 1) < 0.5 || (base.failRate ?? 1) > 0.1) continue;
    const members = [...state.failing].filter(([, m]) => m.last >= now - RECENT).map(([t]) => t);
    if (members.length < MIN_TERMINALS) continue;
    const since = runStart(state, now, (b) => b.txn > 0 && b.fail / b.txn >= 0.3);
    incidents.push({
      id: `provider.maintenance:${host}`,
      cause: 'provider.maintenance',
      scope: { host },
      terminals: members.sort(),
      since: iso(since),
      evidence: [
        `${w.fail} of ${w.txn} transactions on host ${host} failed (91/96/timeout) in the last 30 minutes across ${members.length} terminals; usually ${pct(base.failRate ?? 0)}`,
        'no maintenance was announced for this host: an unannounced outage or maintenance of the provider',
      ],
      evidence_zh: [
        `近 30 分钟主机 ${host} 的 ${w.txn} 笔交易中 ${w.fail} 笔失败(91/96/超时),涉及 ${members.length} 台终端;平时为 ${pct(base.failRate ?? 0)}`,
        '该主机没有公告维护:支付机构未公告的故障或维护',
      ],
    });
  }
  return incidents;
}

/** Round trips / latencies on one host several times its own baseline while other hosts are normal. */
export function slowHosts(hosts: HostTracker, now: number, announced: Set<string>): Incident[] {
  const ratios = new Map<string, { ratio: number; minutes: number; base: Baseline; state: HostState }>();
  for (const [host, state] of hosts.hosts) {
    const base = hostBaseline(state, now);
    const ratio = slowdown(hostWindow(state, now - RECENT, now + 1), base);
    // a sharp slowdown shows in the last 10 minutes before the 30-minute mean reaches 3x
    const recent = hostWindow(state, now - SHORT, now + 1);
    const sharp = recent.samples >= SHORT_SAMPLES ? slowdown(recent, base) : undefined;
    if (sharp !== undefined && sharp >= SHARP && sharp > (ratio ?? 0)) ratios.set(host, { ratio: sharp, minutes: SHORT / MINUTE, base, state });
    else if (ratio !== undefined) ratios.set(host, { ratio, minutes: RECENT / MINUTE, base, state });
  }
  const incidents: Incident[] = [];
  for (const [host, { ratio, minutes, base, state }] of ratios) {
    if (ratio < 3 || announced.has(host)) continue;
    const others = median([...ratios].filter(([h]) => h !== host).map(([, r]) => r.ratio));
    if (others !== undefined && ratio < 3 * others) continue;
    const members = [...state.elevated].filter(([, m]) => m.last >= now - 45 * MINUTE && m.n >= 2).map(([t]) => t);
    if (members.length < MIN_TERMINALS) continue;
    const since = runStart(state, now, (b) => bucketSlow(b, base));
    incidents.push(slowIncident(host, members, since, ratio, minutes, base, others));
  }
  return incidents;
}

function bucketSlow(b: { rttSum: number; rttN: number; latSum: number; latN: number }, base: Baseline): boolean {
  if (b.rttN > 0 && base.rtt) return b.rttSum / b.rttN >= 2 * base.rtt;
  if (b.latN > 0 && base.lat) return b.latSum / b.latN >= 2 * base.lat;
  return true;
}

/** Start of the run of buckets (ending at `now`) that satisfy `inRun`. */
function runStart<B>(state: { buckets: { between(from: number, to: number): Generator<[number, B]> } }, now: number, inRun: (b: B) => boolean): number {
  const list = [...state.buckets.between(now - DAY, now + 1)];
  let start = now;
  for (let i = list.length - 1; i >= 0; i--) {
    const [at, b] = list[i]!;
    if (!inRun(b)) break;
    start = at;
  }
  return Math.min(start, now - BUCKET_MS);
}

function slowIncident(host: string, members: string[], since: number, ratio: number, minutes: number, base: Baseline, others: number | undefined): Incident {
  const what = base.rtt ? `round trip baseline ${Math.round(base.rtt)} ms` : `latency baseline ${Math.round(base.lat ?? 0)} ms`;
  const whatZh = base.rtt ? `往返时延基线 ${Math.round(base.rtt)} 毫秒` : `交易时延基线 ${Math.round(base.lat ?? 0)} 毫秒`;
  const x = ratio.toFixed(1);
  const ox = others === undefined ? 'no other host to compare' : `other hosts ${others.toFixed(1)}x`;
  const oxZh = others === undefined ? '无其他主机可比' : `其他主机为 ${others.toFixed(1)} 倍`;
  return {
    id: `net.host_slow:${host}`,
    cause: 'net.host_slow',
    scope: { host },
    terminals: [...members].sort(),
    since: iso(since),
    evidence: [
      `host ${host} responds ${x}x slower over the last ${minutes} minutes than its own ${what}; ${ox}`,
      `${members.length} terminals of ${host} see the slowdown since ${iso(since)}`,
    ],
    evidence_zh: [
      `主机 ${host} 近 ${minutes} 分钟响应比自身${whatZh}慢 ${x} 倍;${oxZh}`,
      `${host} 的 ${members.length} 台终端自 ${iso(since)} 起响应变慢`,
    ],
  };
}
