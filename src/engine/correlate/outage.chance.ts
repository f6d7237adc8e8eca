// How likely a carrier+region group's silence is by coincidence: shops close, terminals are
// switched off, and at closing time many go quiet in the same quarter hour. The group's k quiet
// terminals out of its n awake ones are compared with the rest of the fleet at the same time:
// under "no outage" each awake terminal goes quiet with the fleet's rate p, and P(X >= k) for
// X ~ Binomial(n, p) is the chance of seeing this many by coincidence.

import { binomialTail } from '../stats.ts';
import type { LivenessTracker } from './liveness.ts';

/** The troubled terminals (silent or failing to connect) and when their trouble began. */
export interface Start {
  terminal: string;
  since: number;
}

export interface Chance {
  /** Group terminals awake when the cluster window opened (or in trouble within it). */
  awake: number;
  /** The rest of the fleet's rate of going quiet in the window, among its awake terminals. */
  base: number;
  /** P(at least k of `awake` by coincidence). */
  p: number;
}

/** Largest chance of coincidence at which a group's trouble is an outage (checked every few
 * minutes over tens of groups, so it must be small). */
export const MAX_COINCIDENCE = 1e-5;

/** The group `key`'s `k` quiet terminals (starts in [from, to]) against the whole fleet's
 * starts in the same window: `fleetStarts` are every troubled terminal of the fleet. */
export function coincidence(live: LivenessTracker, key: string, k: number, groupStarts: readonly Start[], fleetStarts: readonly Start[], from: number, to: number, now: number): Chance {
  const inWindow = (s: Start): boolean => s.since >= from && s.since <= to;
  const quietInGroup = new Set(groupStarts.filter(inWindow).map((s) => s.terminal));
  // awake: last seen since the window opened and known before it (counted per bucket, not per terminal)
  let groupAwake = live.awakeBetween(key, from, now + 1);
  let fleetAwake = live.awakeBetween('all', from, now + 1) - groupAwake;
  // terminals failing to connect may have been last seen before the window: they were awake too
  for (const t of quietInGroup) if (!live.awake(t, from, now + 1)) groupAwake++;
  let fleetQuiet = 0;
  for (const s of fleetStarts) {
    if (!inWindow(s) || quietInGroup.has(s.terminal)) continue;
    const l = live.terminals.get(s.terminal);
    if (!l || live.groupKeys(s.terminal, l).includes(key)) continue;
    fleetQuiet++;
    if (!live.awake(s.terminal, from, now + 1)) fleetAwake++;
  }
  const n = Math.max(groupAwake, k);
  const base = (fleetQuiet + 0.5) / (fleetAwake + 1);
  return { awake: n, base, p: binomialTail(n, k, base) };
}
