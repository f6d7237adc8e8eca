// Heat and humidity, when failures follow them.

import { C } from '../counters.ts';
import { HOT_C, HUMID_PCT } from '../state.heartbeat.ts';
import { candidate, count, pct, type Candidate, type Detector, type DetectorInput } from './types.ts';

function failures(x: DetectorInput): number {
  const c = x.state.counters;
  const now = x.now;
  return c.long(C.PRINTER_ERR, now) + c.long(C.BOOT_CRASH, now) + c.long(C.RF_CHIP, now) + c.long(C.RF_CTLS, now) + c.long(C.RF_SWIPE, now) + c.long(C.CRASH, now);
}

function overheat(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const c = s.counters;
  const hot = c.long(C.HOT, now);
  const share = hot / Math.max(1, c.long(C.TEMP_N, now));
  const fails = failures(x);
  if (hot < 3 || share < 0.1 || fails < 3 || c.short(C.HOT, now) < 0.5) return undefined;
  return candidate('env.overheat', Math.min(0.92, 0.55 + share + fails / 100), c.first(C.HOT), [
    [`temperature ≥ ${HOT_C} °C or printer overheat in ${pct(share)} of heartbeats (now ${s.health?.temp ?? '?'} °C)`, `${pct(share)} 的心跳温度 ≥ ${HOT_C} °C 或打印机过热（当前 ${s.health?.temp ?? '?'} °C）`],
    [`${count(fails)} printer errors, reboots or read failures follow the heat`, `高温期间 ${count(fails)} 次打印错误、重启或读卡失败`],
  ]);
}

function humidity(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const c = s.counters;
  const humid = c.long(C.HUMID, now);
  const fails = failures(x);
  if (humid < 2 || fails < 3 || c.short(C.HUMID, now) + (s.health?.humidity ?? 0) / 100 < 0.9) return undefined;
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
