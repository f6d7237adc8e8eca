// Terminal states to plain JSON and back (typed arrays become number arrays).

import { TerminalState } from './state.ts';

type Plain = Record<string, unknown>;

export function snapshotStates(states: Map<string, TerminalState>): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const [t, s] of states) {
    out[t] = {
      ...s,
      counters: { v: Array.from(s.counters.v), t: Array.from(s.counters.t), ref: s.counters.ref },
      ring: Array.from(s.ring),
      bins91: s.bins91 ? [...s.bins91] : undefined,
    };
  }
  return out;
}

export function restoreStates(x: unknown): Map<string, TerminalState> {
  const out = new Map<string, TerminalState>();
  if (typeof x !== 'object' || x === null) return out;
  for (const [t, p] of Object.entries(x as Record<string, Plain>)) {
    const s = new TerminalState();
    const { counters, ring, bins91, ...rest } = p as { counters: { v: number[]; t: number[]; ref: number }; ring: number[]; bins91?: [string, number][] } & Plain;
    Object.assign(s, rest);
    s.counters.v.set(counters.v);
    s.counters.t.set(counters.t);
    s.counters.ref = counters.ref;
    s.ring.set(ring);
    if (bins91) s.bins91 = new Map(bins91);
    out.set(t, s);
  }
  return out;
}
