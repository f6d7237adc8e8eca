// Terminal states to plain JSON and back (the slab block becomes number arrays).

import { restoreHealth } from './state.heartbeat.ts';
import { TerminalState } from './state.ts';

type Plain = Record<string, unknown>;
type Block = ReturnType<TerminalState['block']>;

/** Plain fields of TerminalState (the times live in the counters block). */
const FIELDS = ['ringHour', 'skewStreak', 'health', 'operators', 'reports', 'updates', 'failedUpdates', 'firstCrash'] as const;

export function snapshotStates(states: Map<string, TerminalState>): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const [t, s] of states) {
    const p: Plain = { counters: s.block() };
    for (const f of FIELDS) if (s[f] !== undefined) p[f] = s[f];
    if (s.bins91) p['bins91'] = [...s.bins91];
    out[t] = p;
  }
  return out;
}

export function restoreStates(x: unknown): Map<string, TerminalState> {
  const out = new Map<string, TerminalState>();
  if (typeof x !== 'object' || x === null) return out;
  for (const [t, p] of Object.entries(x as Record<string, Plain>)) {
    const s = new TerminalState();
    const { counters, bins91, ...rest } = p as { counters: Block; bins91?: [string, number][] } & Plain;
    for (const f of FIELDS) if (rest[f] !== undefined) (s as unknown as Plain)[f] = rest[f];
    s.health = restoreHealth(rest['health']);
    s.name = t;
    s.counters.restore(counters);
    if (bins91) s.bins91 = new Map(bins91);
    out.set(t, s);
  }
  return out;
}
