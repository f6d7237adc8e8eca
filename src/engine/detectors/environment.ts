// Heat and humidity, when failures follow them.

import { C, decayedCount } from '../counters.ts';
import { HOT_C, HOTTER_C, HUMID_PCT, meanTemp, WARM_C } from '../state.heartbeat.ts';
import { candidate, count, n1, pct, type Candidate, type Detector, type DetectorInput } from './types.ts';

/** Humidity points above the same region's terminals that make a terminal's spot damp. */
const DAMPER_PCT = 15;
/** Two readings, as a decayed count (see decayedCount). */
const TWO_READINGS = decayedCount(2);

/** The region's mean temperature and humidity without this terminal (neighbours only), if there are enough of them. */
function neighbours(x: DetectorInput): { temp?: number; humidity?: number } {
  const c = x.fleet.climate.get(x.registry?.region ?? '');
  if (!c) return {};
  const own = meanTemp(x.state.counters, x.at);
  const tn = c.tempN - (own !== undefined ? 1 : 0);
  const ownHum = x.state.health?.humidity;
  const hn = c.humN - (ownHum !== undefined ? 1 : 0);
  return {
    temp: tn >= 3 ? (c.tempSum - (own ?? 0)) / tn : undefined,
    humidity: hn >= 3 ? (c.humSum - (ownHum ?? 0)) / hn : undefined,
  };
}

/** Recent mean temperature of the terminal (at its evidence time). */
function recentTemp(x: DetectorInput): number | undefined {
  const c = x.state.counters;
  const n = c.short(C.TEMP_N, x.now);
  return n >= TWO_READINGS ? c.short(C.TEMP_SUM, x.now) / n : undefined;
}

function failures(x: DetectorInput): number {
  const c = x.state.counters;
  const now = x.now;
  return c.long(C.PRINTER_ERR, now) + c.long(C.BOOT_CRASH, now) + c.long(C.RF_CHIP, now) + c.long(C.RF_CTLS, now) + c.long(C.RF_SWIPE, now) + c.long(C.CRASH, now);
}

/**
 * Far hotter than its neighbours, failures or not: the terminal's own spot (sun, heater) is too hot.
 * The heat is its mean over the last hours (two readings or more), or, once two readings in a row
 * were far above its own day (the heat run), the latest reading: a spot that turned hot while the
 * terminal was on would otherwise wait an hour or more for the mean to climb.
 */
function hotterThanNeighbours(x: DetectorInput): Candidate | undefined {
  const h = x.state.health;
  const run = h?.heatRun ?? 0;
  const latest = run >= 2 ? h?.temp : undefined;
  const mean = recentTemp(x);
  const temp = Math.max(latest ?? -Infinity, mean ?? -Infinity);
  const around = neighbours(x).temp;
  if (!Number.isFinite(temp) || around === undefined || temp < WARM_C || temp - around < HOTTER_C) return undefined;
  const fails = failures(x);
  const c = x.state.counters;
  const heat: [string, string] = temp === latest
    ? [`${n1(temp)} °C, ${count(run)} readings in a row far above its own day`, `${n1(temp)} °C，连续 ${count(run)} 次读数远高于它自己的日常温度`]
    : [`${n1(temp)} °C over the last hours`, `近几小时 ${n1(temp)} °C`];
  return candidate('env.overheat', 0.5 + Math.min(0.25, (temp - around - HOTTER_C) / 60) + Math.min(0.2, fails / 20), c.first(C.TEMP_N), [
    [`${heat[0]}, ${n1(temp - around)} °C above the region's other terminals (${n1(around)} °C)`, `${heat[1]}，比同地区其他终端（${n1(around)} °C）高 ${n1(temp - around)} °C`],
    [`${count(fails)} printer errors, reboots or read failures`, `${count(fails)} 次打印错误、重启或读卡失败`],
  ]);
}

function overheat(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const c = s.counters;
  const hot = c.long(C.HOT, now);
  const share = hot / Math.max(1, c.long(C.TEMP_N, now));
  const fails = failures(x);
  if (hot < 3 || share < 0.1 || fails < 3 || c.short(C.HOT, now) < 0.5) return hotterThanNeighbours(x);
  return candidate('env.overheat', Math.min(0.92, 0.55 + share + fails / 100), c.first(C.HOT), [
    [`temperature ≥ ${HOT_C} °C or printer overheat in ${pct(share)} of heartbeats (now ${s.health?.temp ?? '?'} °C)`, `${pct(share)} 的心跳温度 ≥ ${HOT_C} °C 或打印机过热（当前 ${s.health?.temp ?? '?'} °C）`],
    [`${count(fails)} printer errors, reboots or read failures follow the heat`, `高温期间 ${count(fails)} 次打印错误、重启或读卡失败`],
  ]);
}

/** Far damper than its neighbours, and for two heartbeats or more: the terminal's own spot is too humid. */
function damperThanNeighbours(x: DetectorInput): Candidate | undefined {
  const hum = x.state.health?.humidity;
  const around = neighbours(x).humidity;
  const c = x.state.counters;
  const humid = c.long(C.HUMID, x.now);
  if (hum === undefined || around === undefined || hum < HUMID_PCT || hum - around < DAMPER_PCT || humid < TWO_READINGS) return undefined;
  const fails = failures(x);
  return candidate('env.humidity', 0.5 + Math.min(0.2, (hum - around - DAMPER_PCT) / 50) + Math.min(0.2, fails / 15), c.first(C.HUMID), [
    [`humidity ${hum}% (${count(humid)} heartbeats ≥ ${HUMID_PCT}%), ${Math.round(hum - around)} points above the region's other terminals (${Math.round(around)}%)`,
      `湿度 ${hum}%（${count(humid)} 次心跳 ≥ ${HUMID_PCT}%），比同地区其他终端（${Math.round(around)}%）高 ${Math.round(hum - around)} 个百分点`],
    [`${count(fails)} printer errors, reboots or read failures`, `${count(fails)} 次打印错误、重启或读卡失败`],
  ]);
}

function humidity(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const c = s.counters;
  const humid = c.long(C.HUMID, now);
  const fails = failures(x);
  if (humid < TWO_READINGS || fails < 3 || c.short(C.HUMID, now) + (s.health?.humidity ?? 0) / 100 < 0.9) return damperThanNeighbours(x);
  return candidate('env.humidity', Math.min(0.88, 0.55 + humid / 40 + fails / 100), c.first(C.HUMID), [
    [`humidity ≥ ${HUMID_PCT}% in ${count(humid)} heartbeats (now ${s.health?.humidity ?? '?'}%)`, `${count(humid)} 次心跳湿度 ≥ ${HUMID_PCT}%（当前 ${s.health?.humidity ?? '?'}%）`],
    [`${count(fails)} printer errors, reboots or read failures follow it`, `随之出现 ${count(fails)} 次打印错误、重启或读卡失败`],
  ]);
}

export const environmentDetector: Detector = {
  family: 'environment',
  detect(x) {
    return [overheat(x), humidity(x)].filter((c): c is Candidate => c !== undefined);
  },
};
