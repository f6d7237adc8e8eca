// Provider and host: announced maintenance windows and one issuer answering 91 (per-terminal
// fallbacks; the fleet correlator gives the incident view).

import { C } from '../counters.ts';
import { candidate, count, type Candidate, type Detector, type DetectorInput } from './types.ts';

function maintenance(x: DetectorInput): Candidate | undefined {
  const nowMs = x.at * 1000;
  const host = x.registry?.host;
  const w = x.maintenance.find((m) => Date.parse(m.start) <= nowMs && nowMs <= Date.parse(m.end) && (m.host === undefined || m.host === host));
  // a terminal switched off well before the window began (its shop closed) is not caught in it
  if (!w || x.state.lastArrival < Date.parse(w.start) - 3_600_000) return undefined;
  const c = x.state.counters;
  const hostErr = c.short(C.RC_HOST, x.now) + c.short(C.TIMEOUT, x.now);
  return candidate('provider.maintenance', hostErr >= 1 ? 0.9 : 0.75, Date.parse(w.start) / 1000, [
    [`announced maintenance of ${w.host ?? 'all hosts'} from ${w.start} to ${w.end}${w.note ? ` (${w.note})` : ''}`, `${w.host ?? '所有主机'} 公告维护 ${w.start} 至 ${w.end}`],
    [`${count(hostErr)} 91/96/timeouts in the last hours`, `近几小时 ${count(hostErr)} 次 91/96/超时`],
  ]);
}

function issuer(x: DetectorInput): Candidate | undefined {
  const s = x.state;
  if (!s.bins91 || s.counters.short(C.RC_HOST, x.now) < 0.8) return undefined;
  const prefixes = new Map<string, number>();
  for (const [bin, n] of x.fleet.bins91) prefixes.set(bin.slice(0, 5), (prefixes.get(bin.slice(0, 5)) ?? 0) + n);
  let best: [string, number] | undefined;
  for (const bin of s.bins91.keys()) {
    const p = bin.slice(0, 5);
    const n = prefixes.get(p) ?? 0;
    if (n >= 3 && (!best || n > best[1])) best = [p, n];
  }
  if (!best) return undefined;
  return candidate('provider.issuer_down', 0.7, s.counters.last(C.RC_HOST) - 1800, [
    [`91 answers on cards of BIN ${best[0]}x, seen on ${best[1]} terminals`, `BIN ${best[0]}x 的卡返回 91，共 ${best[1]} 台终端出现`],
  ]);
}

export const providerDetector: Detector = {
  family: 'provider',
  detect(x) {
    return [maintenance(x), issuer(x)].filter((c): c is Candidate => c !== undefined);
  },
};
