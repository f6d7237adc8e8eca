// Offline, weak signal, wrong network settings and a slow host. Carrier outages are fleet
// incidents: the correlator finds them, and they take over the offline terminals they explain.

import { C, decayedCount } from '../counters.ts';
import { bearerOf } from '../fleet.ts';
import { silence } from '../liveness.ts';
import { candidate, hours, n1, count, pct, type Candidate, type Detector, type DetectorInput } from './types.ts';

export function cellular(x: DetectorInput): boolean {
  const t = x.state.health?.netType;
  return t !== undefined && t !== 'ethernet' && t !== 'wifi';
}

function offline(x: DetectorInput): Candidate | undefined {
  const sil = silence(x.state, x.fleet, x.registry?.merchant, x.at * 1000, x.merchantLastSeen);
  if (!sil || sil.expected < 0.5) return undefined;
  const never = x.state.lastArrival === 0;
  // a terminal installed while the feed ran may simply not be in service yet
  if (never && x.registry?.installed && Date.parse(x.registry.installed) > x.fleet.observedFrom - 86_400_000) return undefined;
  const ev: [string, string][] = [never
    ? [`no events at all since the feed began ${hours(sil.silentMs / 1000)} ago, while the fleet reports`, `数据开始 ${hours(sil.silentMs / 1000)} 以来没有任何事件，而其他终端正常上报`]
    : [`no events for ${hours(sil.silentMs / 1000)}`, `已 ${hours(sil.silentMs / 1000)} 没有任何事件`]];
  if (sil.observedHours >= 2) {
    ev.push([`it was active in ${sil.activeHours} of the same ${sil.observedHours} hours the day before`, `前一天同时段 ${sil.observedHours} 小时中有 ${sil.activeHours} 小时在线`]);
  }
  if (sil.merchantTerminals > 1) {
    ev.push([`${sil.merchantTerminals - sil.merchantSilent} of ${sil.merchantTerminals} terminals of the merchant still report`, `该商户 ${sil.merchantTerminals} 台终端中 ${sil.merchantTerminals - sil.merchantSilent} 台仍在上报`]);
  }
  const since = Math.round(sil.lastSeen / 1000);
  return candidate('net.offline', 0.45 + 0.45 * sil.expected, since, ev);
}

/** Three and two failures, as decayed counts (see decayedCount). */
const THREE_FAILURES = decayedCount(3);
const TWO_FAILURES = decayedCount(2);

function weakSignal(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const c = s.counters;
  const n = c.short(C.RSSI_N, now);
  if (n < 2) return undefined;
  const mean = c.short(C.RSSI_SUM, now) / n;
  const weakShare = c.short(C.RSSI_WEAK, now) / n;
  // trouble comes and goes: the last hours, plus half of the day's
  const trouble = c.short(C.TIMEOUT, now) + c.short(C.NET_FAIL, now) + c.short(C.HB_NORTT, now) * 0.5 + 0.5 * (c.long(C.TIMEOUT, now) + c.long(C.NET_FAIL, now));
  // weak by the absolute scale, or far below the fleet's terminals on the same bearer with more trouble
  const bearer = s.health?.netType ? x.fleet.signalByBearer.get(bearerOf(s.health.netType)) : undefined;
  const far = (v: number | undefined): boolean => bearer !== undefined && bearer.terminals >= 10 && v !== undefined && v <= bearer.mean - Math.max(10, 2 * bearer.sd);
  const low = far(mean);
  // a signal that just fell — the latest reading, of the half hour before the report moment (not
  // held through a silence like the hours' mean), far below the fleet and 20 dB below the
  // terminal's own day — shows before the hours' mean follows it, with the trouble it causes
  const latest = s.health?.rssi;
  const dayN = c.long(C.RSSI_N, now);
  const below = latest !== undefined && dayN >= 6 ? c.long(C.RSSI_SUM, now) / dayN - latest : 0;
  const fell = below >= 20 && far(latest) && x.at - (s.health?.at ?? 0) <= 1800;
  const fellTrouble = fell && c.short(C.TIMEOUT, now) + c.short(C.NET_FAIL, now) >= TWO_FAILURES;
  if (!(((mean <= -97 || weakShare >= 0.4) && trouble >= 1) || (low && trouble >= 3) || fellTrouble)) return undefined;
  const key = `${x.registry?.carrier ?? ''}|${x.registry?.region ?? ''}`;
  const byBearer = low || fellTrouble;
  const fleet = byBearer ? bearer!.mean : x.fleet.signal.get(key);
  const where = byBearer ? `${s.health!.netType} terminals of the fleet` : key.replace('|', ' in ');
  return candidate('net.weak_signal', Math.min(0.9, 0.55 + weakShare * 0.3 + trouble / 40), c.first(C.RSSI_WEAK) || c.first(C.NET_FAIL) || now, [
    [`signal ${n1(mean)} dBm over the last hours (${pct(weakShare)} of readings below -100 dBm${fleet !== undefined ? `; ${where} average ${n1(fleet)} dBm` : ''})`,
      `近几小时信号 ${n1(mean)} dBm（${pct(weakShare)} 的读数低于 -100 dBm${fleet !== undefined ? `；${byBearer ? '同类联网方式' : '同运营商同地区'}平均 ${n1(fleet)} dBm` : ''}）`],
    [`${count(c.short(C.TIMEOUT, now))} timeouts, ${count(c.short(C.NET_FAIL, now))} NET_CONNECT_FAIL`, `${count(c.short(C.TIMEOUT, now))} 次超时，${count(c.short(C.NET_FAIL, now))} 次联网失败`],
    ...(fellTrouble ? [[`latest reading ${latest} dBm, ${n1(below)} dB below its own day`, `最新读数 ${latest} dBm，比它自己当天的平均低 ${n1(below)} dB`] as [string, string]] : []),
  ]);
}

function config(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const c = s.counters;
  const dns = c.short(C.DNS_FAIL, now) + c.short(C.HB_DNS_BAD, now);
  const connect = c.short(C.NET_FAIL, now);
  const hb = c.short(C.HB, now);
  const noRtt = hb > 0 ? c.short(C.HB_NORTT, now) / hb : 0;
  const rssi = s.health?.rssi;
  // a signal hovering about -95 dBm is fair, not weak: when DNS fails on nearly every heartbeat
  // the settings are wrong, whichever side of -95 the latest reading fell
  const n = c.short(C.RSSI_N, now);
  const meanRssi = n >= 2 ? c.short(C.RSSI_SUM, now) / n : rssi;
  const dnsEveryBeat = hb >= 4 && c.short(C.HB_DNS_BAD, now) / hb >= 0.8;
  const goodSignal = !cellular(x) || rssi === undefined || rssi > -95 || (dnsEveryBeat && meanRssi !== undefined && meanRssi > -100);
  if (!goodSignal || !(dns >= THREE_FAILURES || (connect >= 4 && noRtt >= 0.5))) return undefined;
  return candidate('net.config', Math.min(0.92, 0.6 + dns / 40 + noRtt * 0.2), Math.min(c.first(C.DNS_FAIL) || now, c.first(C.HB_DNS_BAD) || now), [
    [`${count(dns)} DNS failures and ${count(connect)} connect failures in the last hours with ${rssi !== undefined ? `signal ${rssi} dBm` : `a ${s.health?.netType ?? 'wired'} link`}`,
      `近几小时 ${count(dns)} 次域名解析失败、${count(connect)} 次联网失败，${rssi !== undefined ? `信号 ${rssi} dBm` : '有线/Wi-Fi 链路'}正常`],
    [`host unreachable in ${pct(noRtt)} of heartbeats`, `${pct(noRtt)} 的心跳无法连到主机`],
  ]);
}

function hostSlow(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const c = s.counters;
  const n = c.short(C.LAT_N, now);
  if (n < 2) return undefined;
  const mine = c.short(C.LAT_SUM, now) / n;
  const host = x.registry?.host ?? '';
  const h = x.fleet.hostLatency.get(host);
  let others = 0;
  let count = 0;
  for (const [k, v] of x.fleet.hostLatency) if (k !== host && v.long > 0) { others += v.long; count++; }
  const base = count > 0 ? others / count : (h?.long ?? 0);
  if (!h || base <= 0 || h.short < 2.5 * base || mine < 2.5 * base) return undefined;
  return candidate('net.host_slow', Math.min(0.85, 0.5 + (mine / base) / 20), c.last(C.LAT_N) - 3600, [
    [`transaction latency ${Math.round(mine)} ms; host ${host} averages ${Math.round(h.short)} ms now vs ${Math.round(base)} ms on other hosts`,
      `交易耗时 ${Math.round(mine)} ms；主机 ${host} 当前平均 ${Math.round(h.short)} ms，其他主机 ${Math.round(base)} ms`],
  ]);
}

export const networkDetector: Detector = {
  family: 'network',
  detect(x) {
    return [offline(x), weakSignal(x), config(x), hostSlow(x)].filter((c): c is Candidate => c !== undefined);
  },
};
