// A SIM plan or lease that ran out: the terminal went silent from the day it expired.

import { missedHeartbeatsMs } from '../liveness.ts';
import { candidate, hours, type Candidate, type Detector, type DetectorInput } from './types.ts';

/** Expiry dates are China dates, valid through that day: service stops at the next midnight (16:00 UTC that day). */
export function expiryMs(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`) + 86_400_000;
}

/** Silence that makes an expired contract the cause; shorter when the terminal went quiet right at the expiry. */
const SILENT_MS = 60 * 60_000;
const CUT_OFF_MS = 20 * 60_000;

function expired(x: DetectorInput, field: 'sim_expires' | 'lease_expires'): Candidate | undefined {
  const date = x.registry?.[field];
  if (!date) return undefined;
  const at = expiryMs(date);
  const nowMs = x.at * 1000;
  if (at > nowMs) return undefined;
  const s = x.state;
  const what: [string, string] = field === 'sim_expires' ? ['SIM plan', 'SIM 套餐'] : ['lease', '租约'];
  if (s.lastArrival === 0) {
    return candidate('contract.expired', 0.75, at / 1000, [[`${what[0]} expired on ${date}; no events at all`, `${what[1]}已于 ${date} 到期；没有任何事件`]]);
  }
  const silentMs = nowMs - s.lastArrival;
  // talking until the moment it expired: a couple of missed heartbeats say enough
  const cutOff = s.lastArrival >= at - CUT_OFF_MS && s.lastArrival <= at + CUT_OFF_MS;
  const minMs = cutOff ? missedHeartbeatsMs(s) : SILENT_MS;
  if (silentMs < minMs || s.lastArrival < at - 24 * 3_600_000) return undefined;
  return candidate('contract.expired', 0.93, at / 1000, [
    [`${what[0]} expired on ${date}`, `${what[1]}已于 ${date} 到期`],
    [`no events for ${hours(silentMs / 1000)}`, `已 ${hours(silentMs / 1000)} 没有任何事件`],
  ]);
}

export const contractDetector: Detector = {
  family: 'contract',
  detect(x) {
    const c = expired(x, 'sim_expires') ?? expired(x, 'lease_expires');
    return c ? [c] : [];
  },
};
